import {
  type APIGuildForumTag,
  type APIOverwrite,
  ChannelFlags,
  ChannelType,
  GatewayDispatchEvents,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { EmulatorCore } from './core.ts';
import { apiError } from './errors.ts';
import { toApiChannel } from './payloads.ts';
import { basePermissions, channelPermissions, has, isThread, isThreadOnly } from './permissions.ts';
import { isoTimestamp } from './snowflake.ts';
import type { ChannelRecord } from './state.ts';
import { FormValidator, isSnowflake, type JsonObject } from './validation.ts';

/**
 * The minutes after which an inactive thread archives; Discord offers no others.
 *
 * @see https://discord.com/developers/docs/resources/channel#thread-metadata-object
 */
export const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

const GUILD_CHANNEL_TYPES = new Set<number>([
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildCategory,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
  ChannelType.GuildMedia,
]);

/** A channel record with Discord's defaults for every field not given. */
export function newChannelRecord(
  fields: Partial<ChannelRecord> & Pick<ChannelRecord, 'id' | 'type'>,
): ChannelRecord {
  return {
    guild_id: null,
    name: null,
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    flags: 0,
    permission_overwrites: [],
    rate_limit_per_user: 0,
    last_message_id: null,
    recipient_id: null,
    available_tags: [],
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: 0,
    default_auto_archive_duration: null,
    owner_id: null,
    thread_metadata: null,
    applied_tags: [],
    message_count: 0,
    total_message_sent: 0,
    member_count: 0,
    member_ids: [],
    ...fields,
  };
}

/** Sends CHANNEL_/THREAD_ events and the feed event for a channel change. */
function announce(
  core: EmulatorCore,
  channel: ChannelRecord,
  change: 'created' | 'updated' | 'deleted',
): void {
  const api = toApiChannel(core.state, channel);
  const thread = isThread(channel);
  const event = {
    created: thread ? GatewayDispatchEvents.ThreadCreate : GatewayDispatchEvents.ChannelCreate,
    updated: thread ? GatewayDispatchEvents.ThreadUpdate : GatewayDispatchEvents.ChannelUpdate,
    deleted: thread ? GatewayDispatchEvents.ThreadDelete : GatewayDispatchEvents.ChannelDelete,
  }[change];
  const data = thread && change === 'created' ? { ...api, newly_created: true } : api;
  if (channel.guild_id)
    core.gateway.dispatch(event, data, { guildId: channel.guild_id, channelId: channel.id });
  core.feed.publish({ type: `channel.${change}`, channel: api });
}

function assertPermission(
  core: EmulatorCore,
  channel: ChannelRecord,
  actorId: string | null,
  permission: bigint,
): void {
  if (actorId === null) return;
  const permissions = channelPermissions(core.state, channel, actorId);
  if (!has(permissions, PermissionFlagsBits.ViewChannel)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  if (!has(permissions, permission)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}

/** Validates forum tags, keeping the ids of existing ones and giving new ones an id. */
function readTags(
  core: EmulatorCore,
  v: FormValidator,
  value: unknown,
  existing: APIGuildForumTag[],
): APIGuildForumTag[] {
  if (!v.array(['available_tags'], value, 20)) return existing;
  return value.map((raw, index) => {
    const tag = (raw ?? {}) as JsonObject;
    v.string(['available_tags', index, 'name'], tag.name, 1, 20, true);
    const id =
      isSnowflake(tag.id) && existing.some((old) => old.id === String(tag.id))
        ? String(tag.id)
        : core.ids.next();
    return {
      id,
      name: String(tag.name ?? ''),
      moderated: tag.moderated === true,
      emoji_id: isSnowflake(tag.emoji_id) ? String(tag.emoji_id) : null,
      emoji_name: typeof tag.emoji_name === 'string' ? tag.emoji_name : null,
    };
  });
}

function readOverwrites(v: FormValidator, value: unknown): APIOverwrite[] | undefined {
  if (!v.array(['permission_overwrites'], value, 100)) return undefined;
  return value.map((raw, index) => {
    const overwrite = (raw ?? {}) as JsonObject;
    if (!isSnowflake(overwrite.id)) v.required(['permission_overwrites', index, 'id']);
    return {
      id: String(overwrite.id),
      type: Number(overwrite.type) === OverwriteType.Member ? OverwriteType.Member : OverwriteType.Role,
      allow: String(overwrite.allow ?? '0'),
      deny: String(overwrite.deny ?? '0'),
    };
  });
}

/**
 * Creates a channel in a guild: text, category, announcement, forum (with `available_tags`), voice.
 *
 * @param actorId - the user creating it (needs Manage Channels), or null for the control API
 * @see https://discord.com/developers/docs/resources/guild#create-guild-channel
 */
export function createGuildChannel(
  core: EmulatorCore,
  guildId: string,
  body: JsonObject,
  actorId: string | null,
): ChannelRecord {
  const { state } = core;
  const guild = state.guild(guildId);
  if (actorId !== null && !has(basePermissions(guild, actorId), PermissionFlagsBits.ManageChannels)) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
  const v = new FormValidator();
  v.string(['name'], body.name, 1, 100, true);
  const type = body.type === undefined || body.type === null ? ChannelType.GuildText : Number(body.type);
  if (!GUILD_CHANNEL_TYPES.has(type))
    v.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of ${[...GUILD_CHANNEL_TYPES].join(', ')}.`);
  let parentId: string | null = null;
  if (body.parent_id !== undefined && body.parent_id !== null) {
    const parent = state.channels.get(String(body.parent_id));
    if (
      type === ChannelType.GuildCategory ||
      !parent ||
      parent.guild_id !== guild.id ||
      parent.type !== ChannelType.GuildCategory
    ) {
      v.add(['parent_id'], 'CHANNEL_PARENT_INVALID', 'Category does not exist');
    } else {
      parentId = parent.id;
    }
  }
  const threadOnly = type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
  v.string(['topic'], body.topic, 0, threadOnly ? 4096 : 1024);
  v.choice(['default_auto_archive_duration'], body.default_auto_archive_duration, AUTO_ARCHIVE_DURATIONS);
  const tags = threadOnly ? readTags(core, v, body.available_tags, []) : [];
  const overwrites = readOverwrites(v, body.permission_overwrites) ?? [];
  v.throwIfAny();

  const siblings = state.guildChannels(guild.id).filter((channel) => !isThread(channel));
  const channel = newChannelRecord({
    id: typeof body.id === 'string' && isSnowflake(body.id) ? body.id : core.ids.next(),
    type: type as ChannelType,
    guild_id: guild.id,
    name: String(body.name),
    position: typeof body.position === 'number' ? body.position : siblings.length,
    parent_id: parentId,
    topic: typeof body.topic === 'string' ? body.topic : null,
    nsfw: body.nsfw === true,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    permission_overwrites: overwrites,
    rate_limit_per_user: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    available_tags: tags,
    default_reaction_emoji: threadOnly
      ? ((body.default_reaction_emoji as ChannelRecord['default_reaction_emoji']) ?? null)
      : null,
    default_sort_order: typeof body.default_sort_order === 'number' ? body.default_sort_order : null,
    default_forum_layout: typeof body.default_forum_layout === 'number' ? body.default_forum_layout : 0,
    default_auto_archive_duration:
      typeof body.default_auto_archive_duration === 'number' ? body.default_auto_archive_duration : null,
  });
  state.channels.set(channel.id, channel);
  announce(core, channel, 'created');
  return channel;
}

/**
 * Updates a channel or a thread: name, topic, parent, overwrites, forum `available_tags`; for threads
 * `archived`, `locked`, `auto_archive_duration`, `applied_tags`.
 *
 * @see https://discord.com/developers/docs/resources/channel#modify-channel
 */
export function modifyChannel(
  core: EmulatorCore,
  channelId: string,
  body: JsonObject,
  actorId: string | null,
): ChannelRecord {
  const { state } = core;
  const channel = state.channel(channelId);
  if (channel.type === ChannelType.DM)
    throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  const v = new FormValidator();
  if (body.name !== undefined) v.string(['name'], body.name, 1, 100, true);

  if (isThread(channel)) {
    v.choice(['auto_archive_duration'], body.auto_archive_duration, AUTO_ARCHIVE_DURATIONS);
    const owner = actorId !== null && channel.owner_id === actorId;
    if (!owner) assertPermission(core, channel, actorId, PermissionFlagsBits.ManageThreads);
    if (body.locked !== undefined && !owner)
      assertPermission(core, channel, actorId, PermissionFlagsBits.ManageThreads);
    const parent = channel.parent_id ? state.channels.get(channel.parent_id) : undefined;
    let appliedTags: string[] | undefined;
    if (body.applied_tags !== undefined && v.array(['applied_tags'], body.applied_tags, 5)) {
      appliedTags = body.applied_tags.map(String);
      appliedTags.forEach((tagId, index) => {
        const tag = parent?.available_tags.find((candidate) => candidate.id === tagId);
        if (!tag) v.add(['applied_tags', index], 'TAG_INVALID', 'Unknown tag');
        else if (tag.moderated && !channel.applied_tags.includes(tagId)) {
          assertPermission(core, channel, actorId, PermissionFlagsBits.ManageThreads);
        }
      });
    }
    v.throwIfAny();
    const metadata = channel.thread_metadata ?? {
      archived: false,
      auto_archive_duration: 4320,
      archive_timestamp: isoTimestamp(),
      locked: false,
    };
    if (metadata.locked && body.locked !== false && actorId !== null && !owner) {
      assertPermission(core, channel, actorId, PermissionFlagsBits.ManageThreads);
    }
    if (typeof body.name === 'string') channel.name = body.name;
    if (appliedTags) channel.applied_tags = appliedTags;
    if (typeof body.archived === 'boolean' && body.archived !== metadata.archived) {
      metadata.archived = body.archived;
      metadata.archive_timestamp = isoTimestamp();
    }
    if (typeof body.locked === 'boolean') metadata.locked = body.locked;
    if (typeof body.auto_archive_duration === 'number') {
      metadata.auto_archive_duration = body.auto_archive_duration as typeof metadata.auto_archive_duration;
    }
    if (typeof body.rate_limit_per_user === 'number') channel.rate_limit_per_user = body.rate_limit_per_user;
    if (typeof body.flags === 'number') channel.flags = body.flags;
    channel.thread_metadata = metadata;
    announce(core, channel, 'updated');
    return channel;
  }

  assertPermission(core, channel, actorId, PermissionFlagsBits.ManageChannels);
  if (body.permission_overwrites !== undefined)
    assertPermission(core, channel, actorId, PermissionFlagsBits.ManageRoles);
  v.string(['topic'], body.topic, 0, isThreadOnly(channel) ? 4096 : 1024);
  v.choice(['default_auto_archive_duration'], body.default_auto_archive_duration, AUTO_ARCHIVE_DURATIONS);
  const tags =
    isThreadOnly(channel) && body.available_tags !== undefined
      ? readTags(core, v, body.available_tags, channel.available_tags)
      : undefined;
  const overwrites = body.permission_overwrites === null ? [] : readOverwrites(v, body.permission_overwrites);
  if (body.parent_id !== undefined && body.parent_id !== null) {
    const parent = state.channels.get(String(body.parent_id));
    if (!parent || parent.type !== ChannelType.GuildCategory || parent.guild_id !== channel.guild_id) {
      v.add(['parent_id'], 'CHANNEL_PARENT_INVALID', 'Category does not exist');
    }
  }
  if (body.type !== undefined) {
    const allowed = [ChannelType.GuildText, ChannelType.GuildAnnouncement];
    if (!allowed.includes(Number(body.type)) || !allowed.includes(channel.type)) {
      v.add(['type'], 'CHANNEL_TYPE_INVALID', 'Only text and announcement channels can change type');
    }
  }
  v.throwIfAny();
  if (typeof body.name === 'string') channel.name = body.name;
  if (body.type !== undefined) channel.type = Number(body.type) as ChannelType;
  if (body.topic !== undefined) channel.topic = typeof body.topic === 'string' ? body.topic : null;
  if (typeof body.position === 'number') channel.position = body.position;
  if (typeof body.nsfw === 'boolean') channel.nsfw = body.nsfw;
  if (body.parent_id !== undefined)
    channel.parent_id = body.parent_id === null ? null : String(body.parent_id);
  if (typeof body.rate_limit_per_user === 'number') channel.rate_limit_per_user = body.rate_limit_per_user;
  if (typeof body.flags === 'number') channel.flags = body.flags;
  if (tags) channel.available_tags = tags;
  if (overwrites) channel.permission_overwrites = overwrites;
  if (body.default_reaction_emoji !== undefined) {
    channel.default_reaction_emoji =
      (body.default_reaction_emoji as ChannelRecord['default_reaction_emoji']) ?? null;
  }
  if (body.default_auto_archive_duration !== undefined) {
    channel.default_auto_archive_duration =
      typeof body.default_auto_archive_duration === 'number' ? body.default_auto_archive_duration : null;
  }
  announce(core, channel, 'updated');
  return channel;
}

/**
 * Deletes a channel (or closes a thread); threads of a deleted channel go with it.
 *
 * @see https://discord.com/developers/docs/resources/channel#deleteclose-channel
 */
export function deleteChannel(core: EmulatorCore, channelId: string, actorId: string | null): ChannelRecord {
  const { state } = core;
  const channel = state.channel(channelId);
  if (channel.type === ChannelType.DM) return channel;
  assertPermission(
    core,
    channel,
    actorId,
    isThread(channel) ? PermissionFlagsBits.ManageThreads : PermissionFlagsBits.ManageChannels,
  );
  announce(core, channel, 'deleted');
  state.channels.delete(channel.id);
  for (const record of state.messagesByChannel.get(channel.id) ?? [])
    state.messages.delete(record.message.id);
  state.messagesByChannel.delete(channel.id);
  for (const thread of [...state.channels.values()]) {
    if (isThread(thread) && thread.parent_id === channel.id) state.channels.delete(thread.id);
  }
  return channel;
}

/**
 * Sets a permission overwrite for a role (`type` 0) or a member (`type` 1).
 *
 * @see https://discord.com/developers/docs/resources/channel#edit-channel-permissions
 */
export function putOverwrite(
  core: EmulatorCore,
  channelId: string,
  overwriteId: string,
  body: JsonObject,
  actorId: string | null,
): void {
  const channel = core.state.channel(channelId);
  if (!channel.guild_id || isThread(channel))
    throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  assertPermission(core, channel, actorId, PermissionFlagsBits.ManageRoles);
  const v = new FormValidator();
  const type = Number(body.type);
  if (type !== OverwriteType.Role && type !== OverwriteType.Member)
    v.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of (0, 1).');
  v.throwIfAny();
  const guild = core.state.guild(channel.guild_id);
  if (type === OverwriteType.Role && !guild.roles.has(overwriteId))
    throw apiError(RESTJSONErrorCodes.UnknownRole);
  if (type === OverwriteType.Member && !guild.members.has(overwriteId))
    throw apiError(RESTJSONErrorCodes.UnknownMember);
  const overwrite: APIOverwrite = {
    id: overwriteId,
    type: type as OverwriteType,
    allow: String(body.allow ?? '0'),
    deny: String(body.deny ?? '0'),
  };
  channel.permission_overwrites = [
    ...channel.permission_overwrites.filter((old) => old.id !== overwriteId),
    overwrite,
  ];
  announce(core, channel, 'updated');
}

/** @see https://discord.com/developers/docs/resources/channel#delete-channel-permission */
export function deleteOverwrite(
  core: EmulatorCore,
  channelId: string,
  overwriteId: string,
  actorId: string | null,
): void {
  const channel = core.state.channel(channelId);
  if (!channel.guild_id || isThread(channel))
    throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  assertPermission(core, channel, actorId, PermissionFlagsBits.ManageRoles);
  channel.permission_overwrites = channel.permission_overwrites.filter((old) => old.id !== overwriteId);
  announce(core, channel, 'updated');
}

/**
 * The DM channel between the bot and a user: created on first use, the same one afterwards.
 *
 * @see https://discord.com/developers/docs/resources/user#create-dm
 */
export function openDm(core: EmulatorCore, userId: string): ChannelRecord {
  const { state } = core;
  const existing = state.dmChannelOf(userId);
  if (existing) return existing;
  state.user(userId);
  const channel = newChannelRecord({ id: core.ids.next(), type: ChannelType.DM, recipient_id: userId });
  state.channels.set(channel.id, channel);
  state.dmChannels.set(userId, channel.id);
  core.feed.publish({ type: 'channel.created', channel: toApiChannel(state, channel) });
  return channel;
}

/** What a new thread needs besides its parent. */
export interface ThreadInput {
  /** Forum posts: the thread's id is its starter message's id. */
  id?: string;
  name: unknown;
  type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;
  auto_archive_duration?: unknown;
  rate_limit_per_user?: unknown;
  applied_tags?: unknown;
  invitable?: unknown;
}

/**
 * Makes a thread record under `parent` (validated; not yet stored).
 *
 * @see https://discord.com/developers/docs/resources/channel#start-thread-without-message
 */
export function buildThread(
  core: EmulatorCore,
  parent: ChannelRecord,
  input: ThreadInput,
  ownerId: string,
): ChannelRecord {
  const v = new FormValidator();
  v.string(['name'], input.name, 1, 100, true);
  v.choice(['auto_archive_duration'], input.auto_archive_duration, AUTO_ARCHIVE_DURATIONS);
  let appliedTags: string[] = [];
  if (isThreadOnly(parent)) {
    if (v.array(['applied_tags'], input.applied_tags, 5)) {
      appliedTags = input.applied_tags.map(String);
      appliedTags.forEach((tagId, index) => {
        const tag = parent.available_tags.find((candidate) => candidate.id === tagId);
        if (!tag) v.add(['applied_tags', index], 'TAG_INVALID', 'Unknown tag');
        else if (tag.moderated) assertPermission(core, parent, ownerId, PermissionFlagsBits.ManageThreads);
      });
    }
    v.throwIfAny();
    if (parent.flags & ChannelFlags.RequireTag && appliedTags.length === 0) {
      throw apiError(RESTJSONErrorCodes.TagRequiredToCreateAForumPostInThisChannel);
    }
  }
  v.throwIfAny();
  const now = isoTimestamp();
  const autoArchive =
    typeof input.auto_archive_duration === 'number'
      ? input.auto_archive_duration
      : (parent.default_auto_archive_duration ?? 4320);
  return newChannelRecord({
    id: input.id ?? core.ids.next(),
    type: input.type,
    guild_id: parent.guild_id,
    name: String(input.name),
    parent_id: parent.id,
    owner_id: ownerId,
    rate_limit_per_user: typeof input.rate_limit_per_user === 'number' ? input.rate_limit_per_user : 0,
    applied_tags: appliedTags,
    member_count: 1,
    member_ids: [ownerId],
    thread_metadata: {
      archived: false,
      auto_archive_duration: autoArchive as 60 | 1440 | 4320 | 10080,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
      ...(input.type === ChannelType.PrivateThread ? { invitable: input.invitable !== false } : {}),
    },
  });
}

/** Stores a thread made by {@link buildThread} and announces it (THREAD_CREATE). */
export function storeThread(core: EmulatorCore, thread: ChannelRecord): void {
  core.state.channels.set(thread.id, thread);
  announce(core, thread, 'created');
}

/** Announces a channel change made elsewhere (message counts, unarchiving). */
export function channelUpdated(core: EmulatorCore, channel: ChannelRecord): void {
  announce(core, channel, 'updated');
}

/** Checks `actorId` may create a thread in `parent`. */
export function assertCanCreateThread(
  core: EmulatorCore,
  parent: ChannelRecord,
  type: ChannelType,
  actorId: string | null,
): void {
  const allowedParents = [
    ChannelType.GuildText,
    ChannelType.GuildAnnouncement,
    ChannelType.GuildForum,
    ChannelType.GuildMedia,
  ];
  if (!allowedParents.includes(parent.type))
    throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  const needed =
    type === ChannelType.PrivateThread
      ? PermissionFlagsBits.CreatePrivateThreads
      : PermissionFlagsBits.CreatePublicThreads;
  assertPermission(core, parent, actorId, isThreadOnly(parent) ? PermissionFlagsBits.SendMessages : needed);
}
