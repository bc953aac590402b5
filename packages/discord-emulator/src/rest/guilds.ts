import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { createGuildChannel } from '../channels.ts';
import type { EmulatorCore } from '../core.ts';
import { apiError } from '../errors.ts';
import { createRole, deleteRole, modifyRole, type RoleInput, updateMember } from '../guilds.ts';
import { created, noContent, ok, type RestRequest, type RestRoute } from '../http/route.ts';
import { toApiChannel, toApiGuild, toApiMember, toApiThread } from '../payloads.ts';
import { isThread } from '../permissions.ts';
import type { GuildRecord } from '../state.ts';
import { asObject, FormValidator, type JsonObject } from '../validation.ts';

/** The guild, when the bot is in it (10004 unknown, 50001 not a member). */
function botGuild(core: EmulatorCore, guildId: string): GuildRecord {
  const guild = core.state.guild(guildId);
  if (!guild.members.has(core.state.botUserId)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  return guild;
}

const guildOf = (request: RestRequest) => botGuild(request.core, request.params.guild_id ?? '');
const bot = (request: RestRequest) => request.core.state.botUserId;

function roleInput(body: JsonObject): RoleInput {
  const input: RoleInput = {};
  if (typeof body.name === 'string') input.name = body.name;
  if (body.permissions !== undefined && body.permissions !== null)
    input.permissions = String(body.permissions);
  if (typeof body.color === 'number') input.color = body.color;
  if (typeof body.hoist === 'boolean') input.hoist = body.hoist;
  if (typeof body.mentionable === 'boolean') input.mentionable = body.mentionable;
  return input;
}

/**
 * Guilds: the guild, its channels, roles and members.
 *
 * @see https://discord.com/developers/docs/resources/guild
 */
export const guildRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/guilds/:guild_id',
    handle: (request) => {
      const guild = guildOf(request);
      const counts =
        request.query.get('with_counts') === 'true'
          ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
          : {};
      return ok({ ...toApiGuild(guild), ...counts });
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guild_id/channels',
    handle: (request) => {
      const guild = guildOf(request);
      const channels = request.core.state.guildChannels(guild.id).filter((channel) => !isThread(channel));
      return ok(channels.map((channel) => toApiChannel(request.core.state, channel)));
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#create-guild-channel */
    method: 'POST',
    path: '/guilds/:guild_id/channels',
    handle: (request) => {
      const guild = guildOf(request);
      return created(
        toApiChannel(
          request.core.state,
          createGuildChannel(request.core, guild.id, asObject(request.body), bot(request)),
        ),
      );
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#list-active-guild-threads */
    method: 'GET',
    path: '/guilds/:guild_id/threads/active',
    handle: (request) => {
      const guild = guildOf(request);
      const threads = request.core.state
        .guildChannels(guild.id)
        .filter((channel) => isThread(channel) && !channel.thread_metadata?.archived);
      return ok({ threads: threads.map(toApiThread), members: [], has_more: false });
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guild_id/roles',
    handle: (request) => ok([...guildOf(request).roles.values()]),
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#create-guild-role */
    method: 'POST',
    path: '/guilds/:guild_id/roles',
    handle: (request) =>
      ok(
        createRole(request.core, guildOf(request).id, roleInput(asObject(request.body ?? {})), bot(request)),
      ),
  },
  {
    method: 'PATCH',
    path: '/guilds/:guild_id/roles/:role_id',
    handle: (request) =>
      ok(
        modifyRole(
          request.core,
          guildOf(request).id,
          request.params.role_id ?? '',
          roleInput(asObject(request.body ?? {})),
          bot(request),
        ),
      ),
  },
  {
    method: 'DELETE',
    path: '/guilds/:guild_id/roles/:role_id',
    handle: (request) => {
      deleteRole(request.core, guildOf(request).id, request.params.role_id ?? '', bot(request));
      return noContent();
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#list-guild-members */
    method: 'GET',
    path: '/guilds/:guild_id/members',
    handle: (request) => {
      const v = new FormValidator();
      const limit = v.queryInt(request.query, 'limit', 1, 1000) ?? 1;
      const after = BigInt(v.querySnowflake(request.query, 'after') ?? '0');
      v.throwIfAny();
      const guild = guildOf(request);
      const members = [...guild.members.values()]
        .filter((member) => BigInt(member.userId) > after)
        .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
        .slice(0, limit);
      return ok(members.map((member) => toApiMember(request.core.state, member)));
    },
  },
  {
    /**
     * Members whose username or nickname starts with `query` (case-insensitive), `limit` 1–1000
     * (default 1).
     *
     * @see https://discord.com/developers/docs/resources/guild#search-guild-members
     */
    method: 'GET',
    path: '/guilds/:guild_id/members/search',
    handle: (request) => {
      const v = new FormValidator();
      const query = request.query.get('query');
      if (query === null) v.required(['query']);
      const limit = v.queryInt(request.query, 'limit', 1, 1000) ?? 1;
      v.throwIfAny();
      const guild = guildOf(request);
      const wanted = (query ?? '').toLowerCase();
      const members = [...guild.members.values()]
        .filter((member) => {
          const user = request.core.state.users.get(member.userId);
          return [user?.username, member.nick].some((name) => name?.toLowerCase().startsWith(wanted));
        })
        .slice(0, limit);
      return ok(members.map((member) => toApiMember(request.core.state, member)));
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#get-guild-member */
    method: 'GET',
    path: '/guilds/:guild_id/members/:user_id',
    handle: (request) => {
      const guild = guildOf(request);
      return ok(
        toApiMember(request.core.state, request.core.state.member(guild.id, request.params.user_id ?? '')),
      );
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#modify-guild-member */
    method: 'PATCH',
    path: '/guilds/:guild_id/members/:user_id',
    handle: (request) => {
      const guild = guildOf(request);
      const body = asObject(request.body);
      const change = {
        ...(Array.isArray(body.roles) ? { roles: body.roles.map(String) } : {}),
        ...(body.nick !== undefined ? { nick: typeof body.nick === 'string' ? body.nick : null } : {}),
      };
      const member = updateMember(request.core, guild.id, request.params.user_id ?? '', change, bot(request));
      return ok(toApiMember(request.core.state, member));
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/guild#add-guild-member-role */
    method: 'PUT',
    path: '/guilds/:guild_id/members/:user_id/roles/:role_id',
    handle: (request) => {
      const guild = guildOf(request);
      const userId = request.params.user_id ?? '';
      const member = request.core.state.member(guild.id, userId);
      const roleId = request.params.role_id ?? '';
      request.core.state.role(guild.id, roleId);
      if (!member.roles.includes(roleId))
        updateMember(request.core, guild.id, userId, { roles: [...member.roles, roleId] }, bot(request));
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/guilds/:guild_id/members/:user_id/roles/:role_id',
    handle: (request) => {
      const guild = guildOf(request);
      const userId = request.params.user_id ?? '';
      const member = request.core.state.member(guild.id, userId);
      const roleId = request.params.role_id ?? '';
      request.core.state.role(guild.id, roleId);
      if (member.roles.includes(roleId)) {
        updateMember(
          request.core,
          guild.id,
          userId,
          { roles: member.roles.filter((id) => id !== roleId) },
          bot(request),
        );
      }
      return noContent();
    },
  },
];
