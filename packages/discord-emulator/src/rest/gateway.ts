import type { APIGatewayBotInfo, APIGatewayInfo } from 'discord-api-types/v10';
import { ok, type RestRoute } from '../http/route.ts';

/**
 * `GET /gateway` and `GET /gateway/bot`: where to connect, how many shards, how many sessions left.
 *
 * @see https://discord.com/developers/docs/events/gateway#get-gateway-bot
 */
export const gatewayRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/gateway',
    auth: 'none',
    handle: ({ core }) => ok({ url: core.gatewayUrl } satisfies APIGatewayInfo),
  },
  {
    method: 'GET',
    path: '/gateway/bot',
    handle: ({ core }) =>
      ok({
        url: core.gatewayUrl,
        shards: core.options.shards,
        session_start_limit: {
          total: 1000,
          remaining: 1000,
          reset_after: 86_400_000,
          max_concurrency: core.options.maxConcurrency,
        },
      } satisfies APIGatewayBotInfo),
  },
];
