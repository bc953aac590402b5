import {
  type APIRole,
  type APIRoleTags,
  GatewayDispatchEvents,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type RoleFlags,
} from 'discord-api-types/v10';
import type { EmulatorCore } from './core.ts';
import { apiError } from './errors.ts';
import { toApiMember, toApiUser } from './payloads.ts';
import { basePermissions, has } from './permissions.ts';
import { isoTimestamp } from './snowflake.ts';
import type { GuildRecord, MemberRecord, UserRecord } from './state.ts';

/** A user to create (or find by id). */
export interface UserInput {
  id?: string;
  username: string;
  global_name?: string | null;
  /** The avatar hash (32 hex digits), served at `/avatars/{id}/{hash}.png`; none: a default avatar. */
  avatar?: string | null;
  bot?: boolean;
  locale?: string;
  dmsClosed?: boolean;
}

/** Returns the user with this id (updating it), or creates it. */
export function upsertUser(core: EmulatorCore, input: UserInput): UserRecord {
  const existing =
    input.id === undefined ? core.state.findUser(input.username) : core.state.users.get(input.id);
  if (existing) {
    if (input.global_name !== undefined) existing.global_name = input.global_name;
    if (input.dmsClosed !== undefined) existing.dmsClosed = input.dmsClosed;
    if (input.locale !== undefined) existing.locale = input.locale;
    if (input.avatar !== undefined) existing.avatar = input.avatar;
    return existing;
  }
  const user: UserRecord = {
    id: input.id ?? core.ids.next(),
    username: input.username,
    global_name: input.global_name ?? null,
    avatar: input.avatar ?? null,
    bot: input.bot ?? false,
    locale: input.locale ?? 'en-US',
    dmsClosed: input.dmsClosed ?? false,
  };
  core.state.users.set(user.id, user);
  return user;
}

/** A role to create; field names as in the Create Guild Role body. */
export interface RoleInput {
  id?: string;
  name?: string;
  permissions?: string;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
  position?: number;
  managed?: boolean;
  tags?: APIRoleTags;
}

/** A role object with Discord's defaults. */
export function newRole(core: EmulatorCore, guild: GuildRecord, input: RoleInput): APIRole {
  const position =
    input.position ?? Math.max(0, ...[...guild.roles.values()].map((role) => role.position)) + 1;
  const role: APIRole = {
    id: input.id ?? core.ids.next(),
    name: input.name ?? 'new role',
    color: input.color ?? 0,
    colors: { primary_color: input.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: input.hoist ?? false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: input.permissions ?? '0',
    managed: input.managed ?? false,
    mentionable: input.mentionable ?? false,
    flags: 0 as RoleFlags,
  };
  if (input.tags) role.tags = input.tags;
  return role;
}

/** The highest position among a member's roles (0 for `@everyone` only); owners rank above all. */
function highestPosition(guild: GuildRecord, userId: string): number {
  if (guild.owner_id === userId) return Number.POSITIVE_INFINITY;
  const member = guild.members.get(userId);
  return Math.max(0, ...(member?.roles ?? []).map((id) => guild.roles.get(id)?.position ?? 0));
}

/** Checks that `actorId` may manage roles, and `roleId` when given sits below their highest role. */
function assertCanManageRoles(guild: GuildRecord, actorId: string, roleId?: string): void {
  if (!has(basePermissions(guild, actorId), PermissionFlagsBits.ManageRoles)) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
  if (roleId !== undefined && (guild.roles.get(roleId)?.position ?? 0) >= highestPosition(guild, actorId)) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
}

/**
 * Creates a role and tells the gateway.
 *
 * @param actorId - the user creating it (permissions are checked), or null for the control API
 * @see https://discord.com/developers/docs/resources/guild#create-guild-role
 */
export function createRole(
  core: EmulatorCore,
  guildId: string,
  input: RoleInput,
  actorId: string | null,
): APIRole {
  const guild = core.state.guild(guildId);
  if (actorId !== null) assertCanManageRoles(guild, actorId);
  const role = newRole(core, guild, input);
  guild.roles.set(role.id, role);
  core.gateway.dispatch(
    GatewayDispatchEvents.GuildRoleCreate,
    { guild_id: guild.id, role },
    { guildId: guild.id },
  );
  return role;
}

/**
 * Adds a user to a guild (the control API's "member joins").
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-member-add
 */
export function addMember(
  core: EmulatorCore,
  guildId: string,
  userId: string,
  input: { roles?: string[]; nick?: string | null } = {},
): MemberRecord {
  const guild = core.state.guild(guildId);
  core.state.user(userId);
  const member: MemberRecord = {
    userId,
    nick: input.nick ?? null,
    roles: [...(input.roles ?? [])],
    joined_at: isoTimestamp(),
  };
  guild.members.set(userId, member);
  core.gateway.dispatch(
    GatewayDispatchEvents.GuildMemberAdd,
    { ...toApiMember(core.state, member), guild_id: guild.id },
    { guildId: guild.id },
  );
  return member;
}

/**
 * Changes a member's roles or nickname.
 *
 * @param actorId - the user making the change (permissions and hierarchy are checked), or null
 * @see https://discord.com/developers/docs/resources/guild#modify-guild-member
 */
export function updateMember(
  core: EmulatorCore,
  guildId: string,
  userId: string,
  change: { roles?: string[]; nick?: string | null },
  actorId: string | null,
): MemberRecord {
  const guild = core.state.guild(guildId);
  const member = core.state.member(guildId, userId);
  if (change.roles) {
    for (const roleId of change.roles) core.state.role(guildId, roleId);
    if (actorId !== null) {
      const changed = [
        ...change.roles.filter((id) => !member.roles.includes(id)),
        ...member.roles.filter((id) => !change.roles?.includes(id)),
      ];
      for (const roleId of changed) assertCanManageRoles(guild, actorId, roleId);
    }
    member.roles = [...change.roles];
  }
  if (change.nick !== undefined) member.nick = change.nick;
  const api = toApiMember(core.state, member);
  core.gateway.dispatch(
    GatewayDispatchEvents.GuildMemberUpdate,
    { ...api, user: toApiUser(core.state.user(userId)), guild_id: guild.id },
    { guildId: guild.id },
  );
  return member;
}

/**
 * Removes a member from a guild.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-member-remove
 */
export function removeMember(core: EmulatorCore, guildId: string, userId: string): void {
  const guild = core.state.guild(guildId);
  core.state.member(guildId, userId);
  guild.members.delete(userId);
  core.gateway.dispatch(
    GatewayDispatchEvents.GuildMemberRemove,
    { guild_id: guild.id, user: toApiUser(core.state.user(userId)) },
    { guildId: guild.id },
  );
}

/**
 * Changes a role's name, permissions, color, hoist or mentionable.
 *
 * @see https://discord.com/developers/docs/resources/guild#modify-guild-role
 */
export function modifyRole(
  core: EmulatorCore,
  guildId: string,
  roleId: string,
  input: RoleInput,
  actorId: string | null,
): APIRole {
  const guild = core.state.guild(guildId);
  const role = core.state.role(guildId, roleId);
  if (actorId !== null) assertCanManageRoles(guild, actorId, role.id === guild.id ? undefined : role.id);
  const next: APIRole = { ...role };
  if (input.name !== undefined) next.name = input.name;
  if (input.permissions !== undefined) next.permissions = input.permissions;
  if (input.color !== undefined) next.color = input.color;
  if (input.hoist !== undefined) next.hoist = input.hoist;
  if (input.mentionable !== undefined) next.mentionable = input.mentionable;
  guild.roles.set(role.id, next);
  core.gateway.dispatch(
    GatewayDispatchEvents.GuildRoleUpdate,
    { guild_id: guild.id, role: next },
    { guildId: guild.id },
  );
  return next;
}

/** @see https://discord.com/developers/docs/resources/guild#delete-guild-role */
export function deleteRole(
  core: EmulatorCore,
  guildId: string,
  roleId: string,
  actorId: string | null,
): void {
  const guild = core.state.guild(guildId);
  const role = core.state.role(guildId, roleId);
  if (role.id === guild.id || role.managed) throw apiError(RESTJSONErrorCodes.MissingPermissions);
  if (actorId !== null) assertCanManageRoles(guild, actorId, role.id);
  guild.roles.delete(role.id);
  for (const member of guild.members.values()) member.roles = member.roles.filter((id) => id !== role.id);
  core.gateway.dispatch(
    GatewayDispatchEvents.GuildRoleDelete,
    { guild_id: guild.id, role_id: role.id },
    { guildId: guild.id },
  );
}
