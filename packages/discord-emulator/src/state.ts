import {
  type APIApplicationCommand,
  type APIGuildForumDefaultReactionEmoji,
  type APIGuildForumTag,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APIOverwrite,
  type APIRole,
  type APIThreadMetadata,
  type ChannelType,
  type InteractionResponseType,
  type InteractionType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { apiError } from './errors.ts';

/** A Discord user known to the emulator (the bot or a member acting through the control API). */
export interface UserRecord {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: boolean;
  locale: string;
  /** The member turned off "Allow direct messages from server members": the bot's DMs fail with 50007. */
  dmsClosed: boolean;
}

/** A guild member, by user id. */
export interface MemberRecord {
  userId: string;
  nick: string | null;
  roles: string[];
  joined_at: string;
}

/** A guild with its roles and members; channels live in {@link State.channels} with a `guild_id`. */
export interface GuildRecord {
  id: string;
  name: string;
  owner_id: string;
  description: string | null;
  preferred_locale: string;
  joined_at: string;
  /** Roles by id; the `@everyone` role has the guild's id. */
  roles: Map<string, APIRole>;
  members: Map<string, MemberRecord>;
}

/**
 * Every kind of channel in one shape, with the wire field names; `payloads.ts` turns it into the
 * `APIChannel` variant of its `type`.
 */
export interface ChannelRecord {
  id: string;
  type: ChannelType;
  guild_id: string | null;
  name: string | null;
  position: number;
  parent_id: string | null;
  topic: string | null;
  nsfw: boolean;
  flags: number;
  permission_overwrites: APIOverwrite[];
  rate_limit_per_user: number;
  last_message_id: string | null;
  /** DM channels: the member on the other side of the bot. */
  recipient_id: string | null;
  /** Forum and media channels. */
  available_tags: APIGuildForumTag[];
  default_reaction_emoji: APIGuildForumDefaultReactionEmoji | null;
  default_sort_order: number | null;
  default_forum_layout: number;
  default_auto_archive_duration: number | null;
  /** Threads. */
  owner_id: string | null;
  thread_metadata: APIThreadMetadata | null;
  applied_tags: string[];
  message_count: number;
  total_message_sent: number;
  member_count: number;
  /** Threads: ids of the users who joined. */
  member_ids: string[];
}

/** A message, plus who may see it: ephemeral interaction responses are visible to one user only. */
export interface MessageRecord {
  message: APIMessage;
  /** The only user who sees this message (ephemeral), or null when the whole channel does. */
  visibleTo: string | null;
  /** The interaction whose response or followup this message is. */
  interactionId: string | null;
}

/** A file uploaded with a message, served back at its attachment URL. */
export interface StoredFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** What the bot answered first to an interaction, as the control API reports it. */
export type InitialResponse =
  | { type: InteractionResponseType.ChannelMessageWithSource; kind: 'message'; message: RecordedMessage }
  | {
      type: InteractionResponseType.DeferredChannelMessageWithSource;
      kind: 'deferred';
      ephemeral: boolean;
      message: RecordedMessage;
    }
  | { type: InteractionResponseType.DeferredMessageUpdate; kind: 'deferred-update' }
  | { type: InteractionResponseType.UpdateMessage; kind: 'update'; message: RecordedMessage }
  | { type: InteractionResponseType.Modal; kind: 'modal'; modal: APIModalInteractionResponseCallbackData };

/** A message as the control API shows it: the wire message and its visibility. */
export interface RecordedMessage extends APIMessage {
  /** The only user who sees this message (an ephemeral response), or null. */
  visible_to: string | null;
}

/** An interaction the emulator dispatched, and what became of it. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  payload: APIInteraction;
  userId: string;
  guildId: string | null;
  channelId: string;
  createdAt: number;
  /** The message a component sits on (component interactions, and modals opened from one). */
  sourceMessageId: string | null;
  response: InitialResponse | null;
  /** The message `@original` refers to. */
  originalMessageId: string | null;
  /** A deferred (type 5) response whose loading message has not been filled yet. */
  loading: boolean;
  followupIds: string[];
  /** The modal this interaction opened, to check a later submit against. */
  modal: APIModalInteractionResponseCallbackData | null;
  /** Callers of the control API waiting for the initial response (or the deadline). */
  waiters: Array<(response: InitialResponse | null) => void>;
  deadlineTimer: NodeJS.Timeout | null;
}

/** A nonce seen on a message create, for `enforce_nonce`. */
interface NonceEntry {
  messageId: string;
  at: number;
}

/**
 * The emulated Discord: everything in memory. Lookups that fail throw the Discord error for it
 * (10003 Unknown Channel, 10008 Unknown Message, …) so REST handlers can use them directly.
 */
export class State {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  /** Messages of each channel, oldest first. */
  readonly messagesByChannel = new Map<string, MessageRecord[]>();
  readonly messages = new Map<string, MessageRecord>();
  /** DM channel id by member user id: one DM channel per user, reused. */
  readonly dmChannels = new Map<string, string>();
  readonly commands = new Map<string, APIApplicationCommand>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, string>();
  readonly files = new Map<string, StoredFile>();
  readonly nonces = new Map<string, NonceEntry>();

  constructor(readonly botUserId: string) {}

  get bot(): UserRecord {
    return this.user(this.botUserId);
  }

  user(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw apiError(RESTJSONErrorCodes.UnknownUser);
    return user;
  }

  guild(id: string): GuildRecord {
    const guild = this.guilds.get(id);
    if (!guild) throw apiError(RESTJSONErrorCodes.UnknownGuild);
    return guild;
  }

  member(guildId: string, userId: string): MemberRecord {
    const member = this.guild(guildId).members.get(userId);
    if (!member) throw apiError(RESTJSONErrorCodes.UnknownMember);
    return member;
  }

  role(guildId: string, roleId: string): APIRole {
    const role = this.guild(guildId).roles.get(roleId);
    if (!role) throw apiError(RESTJSONErrorCodes.UnknownRole);
    return role;
  }

  channel(id: string): ChannelRecord {
    const channel = this.channels.get(id);
    if (!channel) throw apiError(RESTJSONErrorCodes.UnknownChannel);
    return channel;
  }

  message(channelId: string, messageId: string): MessageRecord {
    const record = this.messages.get(messageId);
    if (!record || record.message.channel_id !== channelId) throw apiError(RESTJSONErrorCodes.UnknownMessage);
    return record;
  }

  channelMessages(channelId: string): MessageRecord[] {
    let list = this.messagesByChannel.get(channelId);
    if (!list) {
      list = [];
      this.messagesByChannel.set(channelId, list);
    }
    return list;
  }

  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((channel) => channel.guild_id === guildId);
  }

  /** The DM channel between the bot and a user, if one was opened. */
  dmChannelOf(userId: string): ChannelRecord | undefined {
    const id = this.dmChannels.get(userId);
    return id === undefined ? undefined : this.channels.get(id);
  }

  /** Guilds both the bot and the user are members of. */
  mutualGuilds(userId: string): GuildRecord[] {
    return [...this.guilds.values()].filter(
      (guild) => guild.members.has(userId) && guild.members.has(this.botUserId),
    );
  }

  /** Finds a guild by id or by name. */
  findGuild(ref: string): GuildRecord | undefined {
    return this.guilds.get(ref) ?? [...this.guilds.values()].find((guild) => guild.name === ref);
  }

  /** Finds a channel by id, or by name (optionally within a guild). */
  findChannel(ref: string, guildId?: string): ChannelRecord | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    return [...this.channels.values()].find(
      (channel) => channel.name === ref && (guildId === undefined || channel.guild_id === guildId),
    );
  }

  /** Finds a role by id or name in a guild (`@everyone` is the guild's id). */
  findRole(guildId: string, ref: string): APIRole | undefined {
    const guild = this.guild(guildId);
    return guild.roles.get(ref) ?? [...guild.roles.values()].find((role) => role.name === ref);
  }

  /** Finds a user by id or username. */
  findUser(ref: string): UserRecord | undefined {
    return this.users.get(ref) ?? [...this.users.values()].find((user) => user.username === ref);
  }
}
