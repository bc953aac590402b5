import { type Request, Router } from 'express';
import type { EmulatorContext } from './context.ts';
import { notFound } from './errors.ts';
import { pageOf } from './paging.ts';

/**
 * The account-level Conversations reads: the Configuration (whose `default_chat_service_sid` is the
 * service Flex uses, here the emulator's one service) and the Services list and instance.
 *
 * @see https://www.twilio.com/docs/conversations/api/configuration-resource
 * @see https://www.twilio.com/docs/conversations/api/service-resource
 */
const PUBLIC_BASE = 'https://conversations.twilio.com/v1';

export function conversationsAccountRouter(
  ctx: EmulatorContext,
  friendlyName = 'Flex Conversations Service',
): Router {
  const router = Router();
  const service = () => {
    const url = `${PUBLIC_BASE}/Services/${ctx.conversationsServiceSid}`;
    return {
      sid: ctx.conversationsServiceSid,
      account_sid: ctx.accountSid,
      friendly_name: friendlyName,
      date_created: new Date(0).toISOString(),
      date_updated: new Date(0).toISOString(),
      url,
      links: {
        conversations: `${url}/Conversations`,
        users: `${url}/Users`,
        roles: `${url}/Roles`,
        bindings: `${url}/Bindings`,
        configuration: `${url}/Configuration`,
        participant_conversations: `${url}/ParticipantConversations`,
      },
    };
  };
  router.get('/Configuration', (_req, res) => {
    res.json({
      account_sid: ctx.accountSid,
      default_chat_service_sid: ctx.conversationsServiceSid,
      default_messaging_service_sid: ctx.messagingServiceSid,
      default_inactive_timer: null,
      default_closed_timer: null,
      url: `${PUBLIC_BASE}/Configuration`,
      links: { service: `${PUBLIC_BASE}/Services/${ctx.conversationsServiceSid}` },
    });
  });
  router.get('/Services', (req, res) => {
    res.json(pageOf(req, [service()], 'services', ctx.baseUrl()));
  });
  router.get('/Services/:sid', (req: Request, res, next) => {
    // Only the service itself: its sub-resources belong to the Conversations router.
    if (req.params.sid !== ctx.conversationsServiceSid) {
      next(notFound(req.originalUrl));
      return;
    }
    res.json(service());
  });
  return router;
}
