import type { APIDMChannel } from 'discord-api-types/v10';
import { openDm } from '../channels.ts';
import { ok, type RestRoute } from '../http/route.ts';
import { toApiChannel, toApiCurrentUser, toApiUser } from '../payloads.ts';
import { asObject, FormValidator, isSnowflake } from '../validation.ts';

/**
 * Users: the bot itself, other users, and opening a DM.
 *
 * @see https://discord.com/developers/docs/resources/user
 */
export const userRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/users/@me',
    handle: ({ core }) => ok(toApiCurrentUser(core.state.bot)),
  },
  {
    method: 'GET',
    path: '/users/@me/guilds',
    handle: ({ core }) =>
      ok(
        [...core.state.guilds.values()]
          .filter((guild) => guild.members.has(core.state.botUserId))
          .map((guild) => ({
            id: guild.id,
            name: guild.name,
            icon: null,
            banner: null,
            owner: false,
            permissions: '0',
            features: [],
          })),
      ),
  },
  {
    method: 'GET',
    path: '/users/:user_id',
    handle: ({ core, params }) => ok(toApiUser(core.state.user(params.user_id ?? ''))),
  },
  {
    /** @see https://discord.com/developers/docs/resources/user#create-dm */
    method: 'POST',
    path: '/users/@me/channels',
    handle: ({ core, body }) => {
      const input = asObject(body);
      const v = new FormValidator();
      if (!isSnowflake(input.recipient_id)) v.required(['recipient_id']);
      v.throwIfAny();
      return ok(toApiChannel(core.state, openDm(core, String(input.recipient_id))) as APIDMChannel);
    },
  },
];
