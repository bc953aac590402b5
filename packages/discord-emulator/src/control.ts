import type {
  APIApplicationCommand,
  APIChannel,
  APIGuildMember,
  APIRole,
  APIUser,
} from 'discord-api-types/v10';
import { ChannelType } from 'discord-api-types/v10';
import { modifyChannel, openDm } from './channels.ts';
import { listCommands } from './commands.ts';
import type { EmulatorCore, RequestLogEntry } from './core.ts';
import { ControlError, DiscordApiError } from './errors.ts';
import type { FeedEntry } from './events.ts';
import type { ActiveFault, FaultRule, RandomFaultOptions } from './faults.ts';
import { permissionBits, seedFixture } from './fixture.ts';
import type { Fixture, FixtureChannel, FixtureRole, SeedResult } from './fixture-types.ts';
import type { GatewayDropOptions, GatewaySessionInfo } from './gateway.ts';
import { addMember, createRole, removeMember, updateMember, upsertUser } from './guilds.ts';
import {
  type AttachmentInput,
  type CommandInvocation,
  type ComponentUse,
  invokeCommand,
  type ModalSubmission,
  submitModal,
  useComponent,
  waitForInitialResponse,
} from './interactions.ts';
import { createMessage, deleteMessage, editMessage, type UploadedFile } from './messages.ts';
import { toApiChannel, toApiGuild, toApiMember, toApiUser, toRecordedMessage } from './payloads.ts';
import { channelPermissions, isThread } from './permissions.ts';
import { type RateLimitInput, resolveRateLimits } from './rate-limits.ts';
import type { ChannelRecord, InitialResponse, InteractionRecord, RecordedMessage, State } from './state.ts';

/** What the bot answered to an interaction the control API started. */
export interface InteractionOutcome {
  interactionId: string;
  token: string;
  /** The first response (message, deferred, update, modal), or null if none came before the deadline. */
  response: InitialResponse | null;
}

/** An interaction and everything the bot posted for it. */
export interface InteractionReport extends InteractionOutcome {
  type: number;
  userId: string;
  channelId: string;
  /** The message `@original` points at, as it is now. */
  original: RecordedMessage | null;
  followups: RecordedMessage[];
}

/** A member posting a message. */
export interface MemberMessage {
  /** The member (user id or username). */
  user: string;
  /** A guild channel or thread (id or name); omit (or set `dm`) for the member's DM with the bot. */
  channel?: string;
  /** Narrows `channel` by name to this guild. */
  guild?: string;
  dm?: boolean;
  content?: string;
  embeds?: unknown[];
  attachments?: AttachmentInput[];
  /** The `attachments` array of a multipart `payload_json` (ids, filenames, descriptions). */
  described?: unknown[];
  /** Files uploaded as Discord's clients do (multipart `files[n]`), e.g. from the control API's form. */
  files?: UploadedFile[];
  /** Reply to this message id. */
  replyTo?: string;
}

/** Which messages {@link EmulatorControl.waitForMessage} waits for. */
export interface MessageFilter {
  /** Channel id or name. */
  channel?: string;
  /** The DM channel with this member (id or username). */
  dmWith?: string;
  /** Messages the bot wrote (default), or a user id. */
  author?: string;
  /** Substring of the content. */
  contains?: string;
  /** Also match edits of existing messages (default true). */
  includeUpdates?: boolean;
  predicate?: (message: RecordedMessage) => boolean;
}

/** A channel with its children (channels in a category, threads in a channel), for a tree view. */
/**
 * A channel with its children; with `as`, also `permissions`: what that member may do there (roles
 * and overwrites, as Discord's client computes to grey out a read-only channel's message box).
 */
export type ChannelTreeNode = APIChannel & { children: ChannelTreeNode[]; permissions?: string };

/**
 * The emulator's control API from code: seed state, act as members, read what the bot did, inject
 * faults. The HTTP control API under `/_emulator` calls these same functions.
 */
export interface EmulatorControl {
  readonly applicationId: string;
  readonly botUserId: string;
  /** Adds users, guilds, roles, channels and members. */
  seed(fixture: Fixture): SeedResult;
  addUser(input: {
    id?: string;
    username: string;
    global_name?: string;
    dmsClosed?: boolean;
    locale?: string;
  }): APIUser;
  addMember(guild: string, user: string, options?: { roles?: string[]; nick?: string }): APIGuildMember;
  updateMember(
    guild: string,
    user: string,
    change: { roles?: string[]; nick?: string | null },
  ): APIGuildMember;
  removeMember(guild: string, user: string): void;
  addRole(guild: string, role: FixtureRole): APIRole;
  /** Adds a channel (fixture shape: `type` by name, `parent`, `tags`, overwrites by name). */
  addChannel(guild: string, channel: FixtureChannel): APIChannel;
  updateChannel(channel: string, change: Record<string, unknown>): APIChannel;
  /** Whether the member accepts DMs from the bot (closed: the bot's DMs fail with 50007). */
  setDmsClosed(user: string, closed: boolean): void;
  /** Whether the member refuses DMs from the bot (see {@link setDmsClosed}). */
  dmsClosed(user: string): boolean;

  /** The member posts a message in a channel or in their DM with the bot. */
  sendMessage(input: MemberMessage): RecordedMessage;
  /** The member edits their own message (MESSAGE_UPDATE with `edited_timestamp`). */
  editMessage(input: { user: string; message: string; content: string }): RecordedMessage;
  /** The member deletes their own message (MESSAGE_DELETE). */
  deleteMessage(input: { user: string; message: string }): void;
  /** The member runs a command; resolves with the bot's first response or null at the deadline. */
  runCommand(input: CommandInvocation): Promise<InteractionOutcome>;
  /** The member clicks a button. */
  clickButton(input: Omit<ComponentUse, 'values'>): Promise<InteractionOutcome>;
  /** The member chooses values in a select menu. */
  selectMenu(input: ComponentUse & { values: string[] }): Promise<InteractionOutcome>;
  /** The member submits the modal the bot showed them. */
  submitModal(input: ModalSubmission): Promise<InteractionOutcome>;

  /** Messages of a channel (id or name), oldest first; with `as`, only those that member sees. */
  messages(channel: string, options?: { as?: string; guild?: string }): RecordedMessage[];
  /** Messages of the member's DM with the bot, oldest first. */
  dmMessages(user: string): RecordedMessage[];
  message(id: string): RecordedMessage | undefined;
  /** Resolves with a matching message: the newest existing one, or else the next one posted or edited. */
  waitForMessage(filter: MessageFilter, timeoutMs?: number): Promise<RecordedMessage>;
  interaction(id: string): InteractionReport;
  /** Commands registered globally (no argument) or for a guild. */
  commands(guild?: string): APIApplicationCommand[];
  /** A guild's channels as a tree: categories hold channels, channels hold their threads. */
  channelTree(guild: string, options?: { as?: string }): ChannelTreeNode[];
  channel(ref: string, guild?: string): APIChannel;
  user(ref: string): APIUser;
  guilds(): Array<{ id: string; name: string; members: number; channels: number }>;

  /** Emulator events as they happen (the SSE stream's source). */
  subscribe(listener: (entry: FeedEntry) => void): () => void;
  /** REST requests seen, oldest first, optionally by method and path pattern. */
  requests(filter?: { method?: string; path?: string }): RequestLogEntry[];
  readonly faults: {
    inject(rule: FaultRule): ActiveFault;
    random(options: RandomFaultOptions | null): void;
    remove(id: string): boolean;
    clear(): void;
    list(): ActiveFault[];
  };
  readonly gateway: {
    drop(options?: GatewayDropOptions): number;
    sessions(): GatewaySessionInfo[];
  };
  setRateLimits(input: RateLimitInput): void;
}

/** Wraps a Discord error raised on behalf of a member as a control error (a test asked for something Discord refuses). */
/** A form error tree's messages, `: files: Must be 10 or fewer in length.`, or nothing. */
function fieldErrors(tree: unknown, path: string[] = []): string {
  if (!tree || typeof tree !== 'object') return '';
  const found: string[] = [];
  const walk = (node: unknown, at: string[]) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '_errors' && Array.isArray(value))
        for (const entry of value as Array<{ message?: string }>)
          found.push(`${at.join('.')}: ${entry.message}`);
      else walk(value, [...at, key]);
    }
  };
  walk(tree, path);
  return found.length ? `: ${found.join('; ')}` : '';
}

function asMember<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof DiscordApiError) {
      throw new ControlError(
        error.status === 404 ? 'not_found' : error.status === 403 ? 'forbidden' : 'bad_request',
        `Discord refused: ${error.message} (${error.code})${fieldErrors(error.errors)}`,
        { cause: error, discordCode: error.code, status: error.status },
      );
    }
    throw error;
  }
}

/** The control API over one emulator's state; `startDiscordEmulator` hands it out as `control`. */
export function createControl(core: EmulatorCore): EmulatorControl {
  const { state } = core;

  const userId = (ref: string): string => {
    const user = state.findUser(ref);
    if (!user) throw new ControlError('not_found', `No user ${ref}`);
    return user.id;
  };
  const guildId = (ref: string): string => {
    const guild = state.findGuild(ref);
    if (!guild) throw new ControlError('not_found', `No guild ${ref}`);
    return guild.id;
  };
  const channelRecord = (ref: string, guild?: string): ChannelRecord => {
    const channel = state.findChannel(ref, guild === undefined ? undefined : guildId(guild));
    if (!channel) throw new ControlError('not_found', `No channel ${ref}`);
    return channel;
  };
  const roleIds = (guild: string, refs: string[] | undefined) =>
    refs?.map((ref) => {
      const role = state.findRole(guild, ref);
      if (!role) throw new ControlError('not_found', `No role ${ref}`);
      return role.id;
    });
  const outcome = async (record: InteractionRecord): Promise<InteractionOutcome> => ({
    interactionId: record.id,
    token: record.token,
    response: await waitForInitialResponse(core, record),
  });
  const recorded = (channelId: string, as?: string) =>
    state
      .channelMessages(channelId)
      .filter((record) => as === undefined || record.visibleTo === null || record.visibleTo === as)
      .map(toRecordedMessage);

  const control: EmulatorControl = {
    applicationId: core.options.applicationId,
    botUserId: state.botUserId,
    seed: (fixture) => seedFixture(core, fixture),
    addUser: (input) => toApiUser(upsertUser(core, input)),
    addMember: (guild, user, options = {}) => {
      const id = guildId(guild);
      const roles = roleIds(id, options.roles);
      return toApiMember(
        state,
        addMember(core, id, userId(user), { ...(roles ? { roles } : {}), nick: options.nick ?? null }),
      );
    },
    updateMember: (guild, user, change) => {
      const id = guildId(guild);
      const roles = roleIds(id, change.roles);
      const member = updateMember(
        core,
        id,
        userId(user),
        { ...(roles ? { roles } : {}), ...(change.nick === undefined ? {} : { nick: change.nick }) },
        null,
      );
      return toApiMember(state, member);
    },
    removeMember: (guild, user) => removeMember(core, guildId(guild), userId(user)),
    addRole: (guild, role) =>
      createRole(
        core,
        guildId(guild),
        {
          name: role.name,
          permissions: permissionBits(role.permissions, 0n),
          color: role.color ?? 0,
          hoist: role.hoist ?? false,
          mentionable: role.mentionable ?? false,
          ...(role.id === undefined ? {} : { id: role.id }),
        },
        null,
      ),
    addChannel: (guild, channel) => {
      const id = guildId(guild);
      const name = state.guild(id).name;
      const result = seedFixture(core, { guilds: [{ id, name, channels: [channel] }] });
      return toApiChannel(state, state.channel(result.channels[`${name}/${channel.name}`] ?? ''));
    },
    updateChannel: (channel, change) =>
      toApiChannel(state, modifyChannel(core, channelRecord(channel).id, change, null)),
    setDmsClosed: (user, closed) => {
      state.user(userId(user)).dmsClosed = closed;
    },
    dmsClosed: (user) => state.user(userId(user)).dmsClosed,

    sendMessage: (input) => {
      const author = userId(input.user);
      const channel =
        input.channel === undefined || input.dm
          ? openDm(core, author)
          : channelRecord(input.channel, input.guild);
      const files: UploadedFile[] = [
        ...(input.files ?? []),
        ...(input.attachments ?? []).map((file, index) => ({
          field: `files[${(input.files?.length ?? 0) + index}]`,
          filename: file.filename,
          contentType: file.contentType ?? 'application/octet-stream',
          data: Buffer.from(file.data, 'base64'),
        })),
      ];
      const body: Record<string, unknown> = {};
      if (input.content !== undefined) body.content = input.content;
      if (input.embeds !== undefined) body.embeds = input.embeds;
      if (input.replyTo !== undefined) body.message_reference = { message_id: input.replyTo };
      if (input.described !== undefined) body.attachments = input.described;
      const record = asMember(() =>
        createMessage(core, channel.id, body, files, { authorId: author, checkPermissions: true }),
      );
      return toRecordedMessage(record);
    },
    editMessage: (input) => {
      const author = userId(input.user);
      const found = state.messages.get(input.message);
      if (!found) throw new ControlError('not_found', `No message ${input.message}`);
      const record = asMember(() =>
        editMessage(core, found.message.channel_id, input.message, { content: input.content }, [], author),
      );
      return toRecordedMessage(record);
    },
    deleteMessage: (input) => {
      const author = userId(input.user);
      const found = state.messages.get(input.message);
      if (!found) throw new ControlError('not_found', `No message ${input.message}`);
      asMember(() => deleteMessage(core, found.message.channel_id, input.message, author));
    },
    runCommand: async (input) => outcome(invokeCommand(core, input)),
    clickButton: async (input) => outcome(useComponent(core, input)),
    selectMenu: async (input) => outcome(useComponent(core, input)),
    submitModal: async (input) => outcome(submitModal(core, input)),

    messages: (channel, options = {}) =>
      recorded(
        channelRecord(channel, options.guild).id,
        options.as === undefined ? undefined : userId(options.as),
      ),
    dmMessages: (user) => {
      const dm = state.dmChannelOf(userId(user));
      return dm ? recorded(dm.id) : [];
    },
    message: (id) => {
      const record = state.messages.get(id);
      return record ? toRecordedMessage(record) : undefined;
    },
    waitForMessage: (filter, timeoutMs = 5_000) => {
      const resolved = {
        channelId: filter.channel === undefined ? undefined : channelRecord(filter.channel).id,
        dmUserId: filter.dmWith === undefined ? undefined : userId(filter.dmWith),
        authorId: filter.author === undefined ? state.botUserId : userId(filter.author),
      };
      const matches = (message: RecordedMessage) => matchesFilter(state, message, filter, resolved);
      for (const record of [...state.messages.values()].reverse()) {
        const message = toRecordedMessage(record);
        if (matches(message)) return Promise.resolve(message);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          reject(
            new ControlError(
              'timeout',
              `No message matching ${JSON.stringify({ ...filter, predicate: undefined })} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        const unsubscribe = core.feed.subscribe(({ event }) => {
          const updated = event.type === 'message.updated' && filter.includeUpdates !== false;
          if ((event.type === 'message.created' || updated) && matches(event.message)) {
            clearTimeout(timer);
            unsubscribe();
            resolve(event.message);
          }
        });
      });
    },
    interaction: (id) => {
      const record = state.interactions.get(id);
      if (!record) throw new ControlError('not_found', `No interaction ${id}`);
      const original = record.originalMessageId ? state.messages.get(record.originalMessageId) : undefined;
      return {
        interactionId: record.id,
        token: record.token,
        type: record.type,
        userId: record.userId,
        channelId: record.channelId,
        response: record.response,
        original: original ? toRecordedMessage(original) : null,
        followups: record.followupIds
          .filter((followup) => followup !== record.originalMessageId)
          .flatMap((followup) => {
            const message = state.messages.get(followup);
            return message ? [toRecordedMessage(message)] : [];
          }),
      };
    },
    commands: (guild) => listCommands(core, guild === undefined ? null : guildId(guild)),
    channelTree: (guild, options = {}) =>
      channelTree(core, guildId(guild), options.as === undefined ? undefined : userId(options.as)),
    channel: (ref, guild) => toApiChannel(state, channelRecord(ref, guild)),
    user: (ref) => toApiUser(state.user(userId(ref))),
    guilds: () =>
      [...state.guilds.values()].map((guild) => ({
        ...toApiGuild(guild),
        members: guild.members.size,
        channels: state.guildChannels(guild.id).length,
      })),

    subscribe: (listener) => core.feed.subscribe(listener),
    requests: (filter = {}) =>
      core.requests.filter(
        (entry) =>
          (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
          (filter.path === undefined || entry.path === filter.path || entry.route === filter.path),
      ),
    faults: {
      inject: (rule) => core.faults.inject(rule),
      random: (options) => core.faults.random(options),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    gateway: {
      drop: (options) => core.gateway.drop(options),
      sessions: () => core.gateway.sessions(),
    },
    setRateLimits: (input) => core.rateLimits.configure(resolveRateLimits(input)),
  };
  return control;
}

/** A guild's channels as nested nodes sorted by position: categories, their channels, their threads. */
function channelTree(core: EmulatorCore, guildId: string, as?: string): ChannelTreeNode[] {
  const { state } = core;
  const channels = state.guildChannels(guildId);
  const nodes = new Map<string, ChannelTreeNode>(
    channels.map((channel) => [
      channel.id,
      {
        ...toApiChannel(state, channel),
        ...(as === undefined ? {} : { permissions: channelPermissions(state, channel, as).toString() }),
        children: [],
      },
    ]),
  );
  const roots: ChannelTreeNode[] = [];
  for (const channel of channels) {
    const node = nodes.get(channel.id)!;
    const parent = channel.parent_id ? nodes.get(channel.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const order = (a: ChannelTreeNode, b: ChannelTreeNode) => {
    const aThread = isThread(a);
    const bThread = isThread(b);
    if (aThread !== bThread) return aThread ? 1 : -1;
    if (aThread) return BigInt(a.id) < BigInt(b.id) ? -1 : 1;
    const aCategory = a.type === ChannelType.GuildCategory;
    const bCategory = b.type === ChannelType.GuildCategory;
    if (aCategory !== bCategory) return aCategory ? 1 : -1;
    return ('position' in a ? a.position : 0) - ('position' in b ? b.position : 0);
  };
  const sort = (list: ChannelTreeNode[]) => {
    list.sort(order);
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

function matchesFilter(
  state: State,
  message: RecordedMessage,
  filter: MessageFilter,
  resolved: { channelId: string | undefined; dmUserId: string | undefined; authorId: string },
): boolean {
  if (resolved.channelId !== undefined && message.channel_id !== resolved.channelId) return false;
  if (resolved.dmUserId !== undefined && message.channel_id !== state.dmChannels.get(resolved.dmUserId))
    return false;
  if (message.author.id !== resolved.authorId) return false;
  if (filter.contains !== undefined && !message.content.includes(filter.contains)) return false;
  return filter.predicate ? filter.predicate(message) : true;
}
