import {
  type APIOverwrite,
  ChannelFlags,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { createGuildChannel, newChannelRecord } from './channels.ts';
import type { EmulatorCore } from './core.ts';
import { ControlError } from './errors.ts';
import type {
  Fixture,
  FixtureChannel,
  FixtureChannelType,
  FixtureGuild,
  FixturePermissions,
  SeedResult,
} from './fixture-types.ts';
import { addMember, createRole, newRole, upsertUser } from './guilds.ts';
import { toGuildCreate } from './payloads.ts';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.ts';
import { isoTimestamp } from './snowflake.ts';
import type { GuildRecord } from './state.ts';
import { isSnowflake } from './validation.ts';

/** A permission set as a bitfield string. */
export function permissionBits(value: FixturePermissions | undefined, fallback: bigint): string {
  if (value === undefined) return fallback.toString();
  if (typeof value === 'string') return value;
  return value
    .reduce((bits, name) => {
      const bit = PermissionFlagsBits[name];
      if (bit === undefined) throw new ControlError('bad_request', `Unknown permission ${name}`);
      return bits | bit;
    }, 0n)
    .toString();
}

const CHANNEL_TYPES: Record<Exclude<FixtureChannelType, ChannelType>, ChannelType> = {
  text: ChannelType.GuildText,
  voice: ChannelType.GuildVoice,
  category: ChannelType.GuildCategory,
  announcement: ChannelType.GuildAnnouncement,
  forum: ChannelType.GuildForum,
  media: ChannelType.GuildMedia,
};

/** The bot's DM channel with `userId`, with the id an earlier run gave it (see `FixtureUser.dmChannelId`). */
function keepDm(core: EmulatorCore, userId: string, channelId: string): void {
  const { state } = core;
  if (!isSnowflake(channelId))
    throw new ControlError('bad_request', `dmChannelId ${channelId} is not a snowflake`);
  if (state.dmChannelOf(userId)) return;
  if (state.channels.has(channelId))
    throw new ControlError('bad_request', `dmChannelId ${channelId} is already another channel`);
  state.channels.set(
    channelId,
    newChannelRecord({ id: channelId, type: ChannelType.DM, recipient_id: userId }),
  );
  state.dmChannels.set(userId, channelId);
}

/**
 * Adds a fixture to the emulator. New guilds appear to connected bots as one GUILD_CREATE each;
 * channels, roles and members added to an existing guild arrive as their own events.
 */
export function seedFixture(core: EmulatorCore, fixture: Fixture): SeedResult {
  const { state } = core;
  const result: SeedResult = { guilds: {}, channels: {}, roles: {}, users: {}, tags: {} };
  for (const input of fixture.users ?? []) {
    const user = upsertUser(core, input);
    result.users[user.username] = user.id;
    if (input.dmChannelId) keepDm(core, user.id, input.dmChannelId);
  }
  for (const input of fixture.guilds ?? []) {
    const existing = input.id === undefined ? state.findGuild(input.name) : state.guilds.get(input.id);
    const guild = existing ?? createGuildRecord(core, input);
    const fresh = !existing;
    result.guilds[guild.name] = guild.id;

    const roleId = (ref: string): string => {
      if (ref === '@everyone') return guild.id;
      const role = state.findRole(guild.id, ref);
      if (!role) throw new ControlError('bad_request', `No role ${ref} in ${guild.name}`);
      return role.id;
    };
    for (const roleInput of input.roles ?? []) {
      const fields = {
        ...(roleInput.id === undefined ? {} : { id: roleInput.id }),
        name: roleInput.name,
        permissions: permissionBits(roleInput.permissions, 0n),
        color: roleInput.color ?? 0,
        hoist: roleInput.hoist ?? false,
        mentionable: roleInput.mentionable ?? false,
      };
      const role = fresh ? newRole(core, guild, fields) : createRole(core, guild.id, fields, null);
      guild.roles.set(role.id, role);
      result.roles[role.name] = role.id;
      result.roles[`${guild.name}/${role.name}`] = role.id;
    }
    for (const memberInput of input.members ?? []) {
      const user =
        typeof memberInput.user === 'string'
          ? (state.findUser(memberInput.user) ?? upsertUser(core, { username: memberInput.user }))
          : upsertUser(core, memberInput.user);
      if (memberInput.dmsClosed !== undefined) user.dmsClosed = memberInput.dmsClosed;
      result.users[user.username] = user.id;
      const roles = (memberInput.roles ?? []).map(roleId);
      if (guild.members.has(user.id)) guild.members.get(user.id)!.roles = roles;
      else if (fresh)
        guild.members.set(user.id, {
          userId: user.id,
          nick: memberInput.nick ?? null,
          roles,
          joined_at: isoTimestamp(),
        });
      else addMember(core, guild.id, user.id, { roles, nick: memberInput.nick ?? null });
    }

    const addChannel = (channelInput: FixtureChannel, parentId: string | null) => {
      const type =
        typeof channelInput.type === 'number'
          ? channelInput.type
          : CHANNEL_TYPES[channelInput.type ?? 'text'];
      const parent =
        channelInput.parent === undefined
          ? parentId
          : (state.findChannel(channelInput.parent, guild.id)?.id ?? null);
      const overwrites: APIOverwrite[] = (channelInput.permission_overwrites ?? []).map((overwrite) => {
        const member = overwrite.member === undefined ? undefined : state.findUser(overwrite.member);
        if (overwrite.member !== undefined && !member)
          throw new ControlError('bad_request', `No user ${overwrite.member}`);
        return {
          id: member ? member.id : roleId(overwrite.role ?? '@everyone'),
          type: member ? OverwriteType.Member : OverwriteType.Role,
          allow: permissionBits(overwrite.allow, 0n),
          deny: permissionBits(overwrite.deny, 0n),
        };
      });
      const body = {
        ...(channelInput.id === undefined ? {} : { id: channelInput.id }),
        name: channelInput.name,
        type,
        parent_id: parent,
        topic: channelInput.topic ?? null,
        nsfw: channelInput.nsfw ?? false,
        permission_overwrites: overwrites,
        available_tags: channelInput.tags ?? [],
        flags: channelInput.requireTag ? ChannelFlags.RequireTag : 0,
      };
      // A new guild is announced whole by GUILD_CREATE below; its channels send no events of their own.
      const create = () => createGuildChannel(core, guild.id, body, null);
      const channel = fresh ? core.gateway.withoutDispatches(create) : create();
      result.channels[channel.name ?? ''] = channel.id;
      result.channels[`${guild.name}/${channel.name}`] = channel.id;
      for (const tag of channel.available_tags) result.tags[`${channel.name}/${tag.name}`] = tag.id;
      for (const child of channelInput.children ?? []) addChannel(child, channel.id);
    };
    for (const channelInput of input.channels ?? []) addChannel(channelInput, null);

    if (fresh) {
      core.gateway.dispatch(
        GatewayDispatchEvents.GuildCreate,
        (intents: number) => toGuildCreate(state, guild, (intents & GatewayIntentBits.GuildPresences) !== 0),
        { guildId: guild.id },
      );
    }
  }
  return result;
}

/** A new guild with `@everyone`, the bot's managed role, the bot and the owner as members. */
function createGuildRecord(core: EmulatorCore, input: FixtureGuild): GuildRecord {
  const { state } = core;
  const owner =
    state.findUser(input.owner ?? 'server-owner') ??
    upsertUser(core, { username: input.owner ?? 'server-owner' });
  const id = input.id ?? core.ids.next();
  const guild: GuildRecord = {
    id,
    name: input.name,
    owner_id: owner.id,
    description: null,
    preferred_locale: 'en-US',
    joined_at: isoTimestamp(),
    roles: new Map(),
    members: new Map(),
  };
  guild.roles.set(
    id,
    newRole(core, guild, {
      id,
      name: '@everyone',
      position: 0,
      permissions: permissionBits(input.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS),
    }),
  );
  const botRole = newRole(core, guild, {
    name: state.bot.username,
    permissions: permissionBits(input.botPermissions, DEFAULT_BOT_PERMISSIONS),
    managed: true,
    tags: { bot_id: state.botUserId },
  });
  guild.roles.set(botRole.id, botRole);
  guild.members.set(state.botUserId, {
    userId: state.botUserId,
    nick: null,
    roles: [botRole.id],
    joined_at: guild.joined_at,
  });
  guild.members.set(owner.id, { userId: owner.id, nick: null, roles: [], joined_at: guild.joined_at });
  state.guilds.set(id, guild);
  return guild;
}
