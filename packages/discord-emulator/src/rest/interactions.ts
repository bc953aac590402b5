import { noContent, ok, type RestRequest, type RestRoute } from '../http/route.ts';
import {
  createFollowup,
  deleteWebhookMessage,
  editWebhookMessage,
  interactionForWebhook,
  respondToInteraction,
  webhookMessage,
} from '../interactions.ts';

const interaction = ({ core, params }: RestRequest) =>
  interactionForWebhook(core, params.webhook_id ?? '', params.webhook_token ?? '');

/**
 * Answering interactions: the callback, then followups and edits through the interaction's webhook.
 * None of these take the bot token.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#endpoints
 */
export const interactionRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/interactions/:interaction_id/:interaction_token/callback',
    auth: 'none',
    handle: ({ core, params, body, files, query }) => {
      const result = respondToInteraction(
        core,
        params.interaction_id ?? '',
        params.interaction_token ?? '',
        body,
        files,
        query.get('with_response') === 'true',
      );
      return result ? ok(result) : noContent();
    },
  },
  {
    /** @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message */
    method: 'POST',
    path: '/webhooks/:webhook_id/:webhook_token',
    auth: 'none',
    handle: (request) => {
      const message = createFollowup(request.core, interaction(request), request.body, request.files);
      return request.query.get('wait') === 'true' ? ok(message.message) : noContent();
    },
  },
  {
    method: 'GET',
    path: '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
    auth: 'none',
    handle: (request) =>
      ok(webhookMessage(request.core, interaction(request), request.params.message_id ?? '').message),
  },
  {
    method: 'PATCH',
    path: '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
    auth: 'none',
    handle: (request) =>
      ok(
        editWebhookMessage(
          request.core,
          interaction(request),
          request.params.message_id ?? '',
          request.body,
          request.files,
        ).message,
      ),
  },
  {
    method: 'DELETE',
    path: '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
    auth: 'none',
    handle: (request) => {
      deleteWebhookMessage(request.core, interaction(request), request.params.message_id ?? '');
      return noContent();
    },
  },
];
