import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  type ForumLayoutType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  type Locale,
  type SortOrderType,
  type ThreadAutoArchiveDuration,
  type UserFlags,
} from 'discord-api-types/v10';
import { channelPermissions, isThread } from './permissions.ts';
import type {
  ChannelRecord,
  GuildRecord,
  MemberRecord,
  MessageRecord,
  RecordedMessage,
  State,
  UserRecord,
} from './state.ts';

/**
 * A user object.
 *
 * @see https://discord.com/developers/docs/resources/user#user-object
 */
export function toApiUser(user: UserRecord): APIUser {
  const api: APIUser = {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.global_name,
    avatar: user.avatar,
    public_flags: 0 as UserFlags,
    // Discord's spec lists both on every user object; no user here has flags or a server tag.
    flags: 0 as UserFlags,
    primary_guild: null,
  };
  if (user.bot) api.bot = true;
  return api;
}

/**
 * The bot's own user, as `GET /users/@me` and READY show it.
 *
 * @see https://discord.com/developers/docs/resources/user#get-current-user
 */
export function toApiCurrentUser(user: UserRecord): APIUser {
  return {
    ...toApiUser(user),
    mfa_enabled: false,
    verified: true,
    locale: user.locale,
    email: null,
  };
}

/**
 * A guild member object, with its user.
 *
 * @see https://discord.com/developers/docs/resources/guild#guild-member-object
 */
export function toApiMember(state: State, member: MemberRecord): APIGuildMember {
  return {
    user: toApiUser(state.user(member.userId)),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joined_at,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The member of an interaction: with its user and its permissions in the channel. */
export function toInteractionMember(
  state: State,
  member: MemberRecord,
  channel: ChannelRecord,
): APIInteractionGuildMember {
  return {
    ...toApiMember(state, member),
    user: toApiUser(state.user(member.userId)),
    permissions: channelPermissions(state, channel, member.userId).toString(),
  };
}

/** The fields every guild channel object carries (guild text, announcement, forum, media, voice, category). */
function guildChannelFields(channel: ChannelRecord) {
  return {
    id: channel.id,
    name: channel.name ?? '',
    ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    position: channel.position,
    permission_overwrites: channel.permission_overwrites,
    nsfw: channel.nsfw,
    flags: channel.flags,
  };
}

/**
 * A channel object of the variant its `type` calls for.
 *
 * @see https://discord.com/developers/docs/resources/channel#channel-object
 */
export function toApiChannel(state: State, channel: ChannelRecord): APIChannel {
  switch (channel.type) {
    case ChannelType.DM: {
      const recipient = channel.recipient_id ? state.users.get(channel.recipient_id) : undefined;
      return {
        id: channel.id,
        type: ChannelType.DM,
        name: null,
        flags: channel.flags,
        last_message_id: channel.last_message_id,
        recipients: recipient ? [toApiUser(recipient)] : [],
      };
    }
    case ChannelType.GuildCategory:
      return { ...guildChannelFields(channel), type: ChannelType.GuildCategory, parent_id: null };
    case ChannelType.GuildForum:
    case ChannelType.GuildMedia: {
      const base = {
        ...guildChannelFields(channel),
        parent_id: channel.parent_id,
        topic: channel.topic,
        last_message_id: channel.last_message_id,
        rate_limit_per_user: channel.rate_limit_per_user,
        available_tags: channel.available_tags,
        default_reaction_emoji: channel.default_reaction_emoji,
        default_sort_order: channel.default_sort_order as SortOrderType | null,
        default_thread_rate_limit_per_user: 0,
        ...(channel.default_auto_archive_duration === null
          ? {}
          : {
              default_auto_archive_duration:
                channel.default_auto_archive_duration as ThreadAutoArchiveDuration,
            }),
      };
      return channel.type === ChannelType.GuildForum
        ? {
            ...base,
            type: ChannelType.GuildForum,
            default_forum_layout: channel.default_forum_layout as ForumLayoutType,
          }
        : { ...base, type: ChannelType.GuildMedia };
    }
    case ChannelType.PublicThread:
    case ChannelType.PrivateThread:
    case ChannelType.AnnouncementThread:
      return toApiThread(channel);
    case ChannelType.GuildVoice:
    case ChannelType.GuildStageVoice:
      return {
        ...guildChannelFields(channel),
        type: channel.type,
        parent_id: channel.parent_id,
        last_message_id: channel.last_message_id,
        rate_limit_per_user: channel.rate_limit_per_user,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
      };
    default:
      return {
        ...guildChannelFields(channel),
        type:
          channel.type === ChannelType.GuildAnnouncement
            ? ChannelType.GuildAnnouncement
            : ChannelType.GuildText,
        parent_id: channel.parent_id,
        topic: channel.topic,
        last_message_id: channel.last_message_id,
        rate_limit_per_user: channel.rate_limit_per_user,
        last_pin_timestamp: null,
        ...(channel.default_auto_archive_duration === null
          ? {}
          : {
              default_auto_archive_duration:
                channel.default_auto_archive_duration as ThreadAutoArchiveDuration,
            }),
      };
  }
}

/**
 * A thread channel object.
 *
 * @see https://discord.com/developers/docs/resources/channel#thread-metadata-object
 */
export function toApiThread(channel: ChannelRecord): APIThreadChannel {
  const type =
    channel.type === ChannelType.PrivateThread || channel.type === ChannelType.AnnouncementThread
      ? channel.type
      : ChannelType.PublicThread;
  const thread: APIThreadChannel = {
    id: channel.id,
    type,
    name: channel.name ?? '',
    ...(channel.guild_id === null ? {} : { guild_id: channel.guild_id }),
    ...(channel.parent_id === null ? {} : { parent_id: channel.parent_id }),
    ...(channel.owner_id === null ? {} : { owner_id: channel.owner_id }),
    flags: channel.flags,
    last_message_id: channel.last_message_id,
    rate_limit_per_user: channel.rate_limit_per_user,
    message_count: channel.message_count,
    member_count: channel.member_count,
    total_message_sent: channel.total_message_sent,
    applied_tags: [...channel.applied_tags],
  };
  if (channel.thread_metadata) thread.thread_metadata = { ...channel.thread_metadata };
  return thread;
}

/**
 * A guild object, as `GET /guilds/{guild.id}` answers.
 *
 * @see https://discord.com/developers/docs/resources/guild#guild-object
 */
export function toApiGuild(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: guild.description,
    owner_id: guild.owner_id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...guild.roles.values()],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: guild.preferred_locale as Locale,
    max_members: 500_000,
    max_video_channel_users: 25,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    incidents_data: null,
  };
}

/**
 * The GUILD_CREATE payload: the guild with its channels, active threads and members. Without the
 * Guild Presences intent, `members` holds only the bot (and voice users, which the emulator has none of).
 *
 * @see https://discord.com/developers/docs/events/gateway-events#guild-create
 */
export function toGuildCreate(
  state: State,
  guild: GuildRecord,
  withAllMembers: boolean,
): GatewayGuildCreateDispatchData {
  const all = state.guildChannels(guild.id);
  const members = [...guild.members.values()].filter(
    (member) => withAllMembers || member.userId === state.botUserId,
  );
  return {
    ...toApiGuild(guild),
    joined_at: guild.joined_at,
    large: guild.members.size > 250,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: members.map((member) => toApiMember(state, member)),
    channels: all
      .filter((channel) => !isThread(channel))
      .map((channel) => toApiChannel(state, channel)) as GatewayGuildCreateDispatchData['channels'],
    threads: all
      .filter((channel) => isThread(channel) && !channel.thread_metadata?.archived)
      .map((channel) => toApiThread(channel)) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A message as the control API shows it. */
export function toRecordedMessage(record: MessageRecord): RecordedMessage {
  return { ...structuredClone(record.message), visible_to: record.visibleTo };
}
