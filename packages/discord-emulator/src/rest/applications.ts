import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import {
  createCommand,
  deleteCommand,
  editCommand,
  getCommand,
  listCommands,
  overwriteCommands,
} from '../commands.ts';
import { apiError } from '../errors.ts';
import { created, noContent, ok, type RestRequest, type RestRoute } from '../http/route.ts';
import { toApiUser } from '../payloads.ts';
import { asObject } from '../validation.ts';

const scope = ({ params }: RestRequest) => ({
  app: params.application_id ?? '',
  guild: params.guild_id ?? null,
});

/**
 * The application and its commands, global and per guild.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#endpoints
 */
export const applicationRoutes: RestRoute[] = [
  {
    /** @see https://discord.com/developers/docs/resources/application#get-current-application */
    method: 'GET',
    path: '/applications/@me',
    handle: ({ core }) =>
      ok({
        id: core.options.applicationId,
        name: core.state.bot.username,
        icon: null,
        description: '',
        bot_public: false,
        bot_require_code_grant: false,
        bot: toApiUser(core.state.bot),
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        summary: '',
        approximate_guild_count: core.state.guilds.size,
      }),
  },
  ...(
    [
      '/applications/:application_id/commands',
      '/applications/:application_id/guilds/:guild_id/commands',
    ] as const
  ).flatMap((base): RestRoute[] => [
    {
      method: 'GET',
      path: base,
      handle: (request) => {
        const { app, guild } = scope(request);
        if (app !== request.core.options.applicationId) {
          throw apiError(RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication);
        }
        if (guild !== null) request.core.state.guild(guild);
        return ok(listCommands(request.core, guild));
      },
    },
    {
      method: 'PUT',
      path: base,
      handle: (request) => {
        const { app, guild } = scope(request);
        return ok(overwriteCommands(request.core, app, guild, request.body));
      },
    },
    {
      method: 'POST',
      path: base,
      handle: (request) => {
        const { app, guild } = scope(request);
        const result = createCommand(request.core, app, guild, asObject(request.body));
        return result.created ? created(result.command) : ok(result.command);
      },
    },
    {
      method: 'GET',
      path: `${base}/:command_id`,
      handle: (request) => {
        const { app, guild } = scope(request);
        return ok(getCommand(request.core, app, guild, request.params.command_id ?? ''));
      },
    },
    {
      method: 'PATCH',
      path: `${base}/:command_id`,
      handle: (request) => {
        const { app, guild } = scope(request);
        return ok(
          editCommand(request.core, app, guild, request.params.command_id ?? '', asObject(request.body)),
        );
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:command_id`,
      handle: (request) => {
        const { app, guild } = scope(request);
        deleteCommand(request.core, app, guild, request.params.command_id ?? '');
        return noContent();
      },
    },
  ]),
];
