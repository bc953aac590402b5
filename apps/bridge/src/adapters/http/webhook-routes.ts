import { BotTurnRequestSchema, ConversationsWebhookSchema, TaskRouterEventSchema } from '@flexcord/contracts';
import express, { type RequestHandler, Router } from 'express';
import type { BotService } from '../../domain/virtual-agent/bot-service.ts';
import { isTransientDbError, retryTransient } from '../../infrastructure/db/transient-errors.ts';
import { UnavailableError } from '../../infrastructure/util/domain-errors.ts';
import { safeDeep } from '../../infrastructure/util/safe-text.ts';
import type { ConversationEvents } from '../twilio/conversation-events.ts';
import { badRequest } from './http-errors.ts';
import type { Metrics } from './metrics.ts';
import { verifyTwilioSignature } from './verify-twilio-signature.ts';

export interface WebhookRoutesDeps {
  authToken: string;
  publicBaseUrl: string;
  bot: BotService;
  events: ConversationEvents;
  metrics: Metrics;
}

/**
 * Twilio's webhooks: conversation events, the Studio flow's bot turn, TaskRouter events. Each is
 * signature-checked, parsed with its contract, handled (a transaction that enqueues the side
 * effects) and answered at once; delivery happens in the outbox.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '256kb' });
  const json = express.json({
    limit: '256kb',
    verify: (req, _res, buffer) => {
      (req as { rawBody?: string }).rawBody = buffer.toString('utf8');
    },
  });
  const signed = verifyTwilioSignature(deps);
  // After the signature check, which covers the bytes as Twilio sent them.
  const safe: RequestHandler = (req, _res, next) => {
    req.body = safeDeep(req.body);
    next();
  };

  router.post('/webhooks/twilio/conversations', form, json, signed, safe, async (req, res) => {
    const parsed = ConversationsWebhookSchema.safeParse(req.body);
    if (!parsed.success) {
      deps.metrics.webhooks.inc({ endpoint: 'conversations', outcome: 'invalid' });
      throw badRequest(parsed.error, 'Conversations webhook');
    }
    const outcome = await retrying(() => deps.events.handleWebhook(parsed.data));
    deps.metrics.webhooks.inc({ endpoint: 'conversations', outcome });
    res.status(200).json({ outcome });
  });

  router.post('/webhooks/twilio/bot', form, json, signed, safe, async (req, res) => {
    const parsed = BotTurnRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      deps.metrics.webhooks.inc({ endpoint: 'bot', outcome: 'invalid' });
      throw badRequest(parsed.error, 'bot turn');
    }
    const response = await retrying(() => deps.bot.handleTurn(parsed.data));
    deps.metrics.webhooks.inc({ endpoint: 'bot', outcome: response.route });
    res.status(200).json(response);
  });

  router.post('/webhooks/twilio/taskrouter', form, json, signed, safe, async (req, res) => {
    const parsed = TaskRouterEventSchema.safeParse(req.body);
    if (!parsed.success) {
      deps.metrics.webhooks.inc({ endpoint: 'taskrouter', outcome: 'invalid' });
      throw badRequest(parsed.error, 'TaskRouter event');
    }
    const outcome = await retrying(() => deps.events.handleTaskRouterEvent(parsed.data));
    deps.metrics.webhooks.inc({ endpoint: 'taskrouter', outcome });
    res.status(200).json({ outcome });
  });

  return router;
}

/** How long a webhook waits out a database blip before it answers 503 (Twilio gives up at ~15 s). */
const WEBHOOK_RETRY_MS = 8_000;

/**
 * Runs a webhook's handling again while the database fails transiently: each handler claims its
 * event (a MessageSid, a participant, a TaskRouter event id), so a second run after one that did
 * commit changes nothing. Still failing, the answer is a 503, which Twilio may retry; agent
 * messages are also read again from the Conversation (see `AgentMessages`).
 */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await retryTransient(work, { deadlineMs: WEBHOOK_RETRY_MS });
  } catch (error) {
    if (!isTransientDbError(error)) throw error;
    throw new UnavailableError('database_unavailable', 'the database is unavailable; try again', {
      cause: error,
    });
  }
}
