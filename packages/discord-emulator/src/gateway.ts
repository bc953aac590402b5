import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type APIMessage,
  type ApplicationFlags,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayGuildMembersChunkDispatchData,
  type GatewayIdentifyData,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayRequestGuildMembersData,
  type GatewayResumeData,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventFeed } from './events.ts';
import type { ResolvedOptions } from './options.ts';
import { toApiCurrentUser, toApiMember, toGuildCreate } from './payloads.ts';
import { channelPermissions } from './permissions.ts';
import { shardForGuild } from './snowflake.ts';
import type { State } from './state.ts';

/** Where a dispatch belongs: a guild (routed to its shard) or a DM (shard 0), and its channel if any. */
export interface DispatchScope {
  guildId: string | null;
  channelId?: string | null;
}

/** How {@link Gateway.drop} breaks connections. */
export type GatewayDropMode =
  /** Destroy the TCP socket without a close frame (the client sees 1006 and resumes). */
  | 'terminate'
  /** Send op 7 RECONNECT (the client closes with 4200 and resumes). */
  | 'reconnect'
  /** Send op 9 INVALID_SESSION with `d: resumable`. */
  | 'invalid-session'
  /** Close with `code` (default 4000). */
  | 'close';

export interface GatewayDropOptions {
  mode?: GatewayDropMode;
  /** Only connections of this shard (default all). */
  shardId?: number;
  /** For `close`. */
  code?: number;
  /** For `invalid-session` (default false). */
  resumable?: boolean;
}

/** A gateway session as the control API lists it. */
export interface GatewaySessionInfo {
  session_id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  connected: boolean;
}

interface Session {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  /** Sent dispatches, serialised, for RESUME to replay. */
  log: Array<{ s: number; frame: string }>;
  socket: WebSocket | null;
  disconnectedAt: number | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
}

const GUILD_EVENT_INTENTS: Partial<Record<GatewayDispatchEvents, GatewayIntentBits>> = {
  [GatewayDispatchEvents.GuildCreate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.GuildUpdate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.GuildDelete]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.GuildRoleCreate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.GuildRoleUpdate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.GuildRoleDelete]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ChannelCreate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ChannelUpdate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ChannelDelete]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ChannelPinsUpdate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ThreadCreate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ThreadUpdate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ThreadDelete]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ThreadListSync]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.ThreadMembersUpdate]: GatewayIntentBits.Guilds,
  [GatewayDispatchEvents.GuildMemberAdd]: GatewayIntentBits.GuildMembers,
  [GatewayDispatchEvents.GuildMemberUpdate]: GatewayIntentBits.GuildMembers,
  [GatewayDispatchEvents.GuildMemberRemove]: GatewayIntentBits.GuildMembers,
  [GatewayDispatchEvents.MessageCreate]: GatewayIntentBits.GuildMessages,
  [GatewayDispatchEvents.MessageUpdate]: GatewayIntentBits.GuildMessages,
  [GatewayDispatchEvents.MessageDelete]: GatewayIntentBits.GuildMessages,
  [GatewayDispatchEvents.MessageDeleteBulk]: GatewayIntentBits.GuildMessages,
};

const DM_EVENT_INTENTS: Partial<Record<GatewayDispatchEvents, GatewayIntentBits>> = {
  [GatewayDispatchEvents.MessageCreate]: GatewayIntentBits.DirectMessages,
  [GatewayDispatchEvents.MessageUpdate]: GatewayIntentBits.DirectMessages,
  [GatewayDispatchEvents.MessageDelete]: GatewayIntentBits.DirectMessages,
  [GatewayDispatchEvents.ChannelPinsUpdate]: GatewayIntentBits.DirectMessages,
};

const ALL_INTENTS = Object.values(GatewayIntentBits)
  .filter((value): value is number => typeof value === 'number')
  .reduce((all, bit) => all | bit, 0);

const MAX_REPLAY = 2_000;

/** What the gateway reads of the emulator it belongs to (its core, which owns the gateway). */
export interface GatewayHost {
  readonly options: ResolvedOptions;
  readonly state: State;
  readonly feed: EventFeed;
  readonly gatewayUrl: string;
}

/**
 * The gateway websocket: HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE, RESUME with replay,
 * and dispatches routed by shard and filtered by intents. JSON encoding only.
 *
 * @see https://discord.com/developers/docs/events/gateway
 */
export class Gateway {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  #held = 0;

  constructor(private readonly core: GatewayHost) {}

  /** Runs `action` without dispatching anything it causes (a new guild is announced whole afterwards). */
  withoutDispatches<T>(action: () => T): T {
    this.#held += 1;
    try {
      return action();
    } finally {
      this.#held -= 1;
    }
  }

  /** Takes over an HTTP upgrade request for `/gateway…`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request));
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const connection: Connection = { socket, session: null };
    this.#connections.add(connection);
    const params = new URL(request.url ?? '/', 'http://gateway').searchParams;
    socket.on('close', (code) => this.#onClose(connection, code));
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));

    const version = params.get('v');
    if (version !== null && version !== '10' && version !== '9') {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
      return;
    }
    const encoding = params.get('encoding');
    if (encoding !== null && encoding !== 'json') {
      socket.close(GatewayCloseCodes.DecodeError, 'The emulator only speaks encoding=json');
      return;
    }
    if (params.get('compress')) {
      // zlib-stream is not emulated; uncompressed text frames still parse on a client that asked for it.
      this.core.options.log(
        `gateway: ignoring compress=${params.get('compress')}; sending plain JSON text frames`,
      );
    }
    this.#send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.core.options.heartbeatIntervalMs },
    });
  }

  #onMessage(connection: Connection, data: WebSocket.RawData, isBinary: boolean): void {
    const { socket } = connection;
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frame');
      payload = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
    } catch {
      socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(socket, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, payload.d as GatewayIdentifyData);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, payload.d as GatewayResumeData);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        if (!connection.session) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return;
      case GatewayOpcodes.RequestGuildMembers:
        if (!connection.session) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        else this.#requestGuildMembers(connection.session, payload.d as GatewayRequestGuildMembersData);
        return;
      default:
        socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  /** @see https://discord.com/developers/docs/events/gateway-events#identify */
  #identify(connection: Connection, data: GatewayIdentifyData | undefined): void {
    const { socket } = connection;
    const { options, state } = this.core;
    if (connection.session) {
      socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!data || !isBotToken(data.token, options.botToken)) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const intents = Number(data.intents);
    if (!Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      socket.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    const privileged =
      (!options.privilegedIntents.guildMembers && intents & GatewayIntentBits.GuildMembers) ||
      (!options.privilegedIntents.guildPresences && intents & GatewayIntentBits.GuildPresences) ||
      (!options.privilegedIntents.messageContent && intents & GatewayIntentBits.MessageContent);
    if (privileged) {
      socket.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    const [shardId, shardCount] = data.shard ?? [0, 1];
    if (!(shardCount >= 1 && shardId >= 0 && shardId < shardCount)) {
      socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return;
    }

    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard: [shardId, shardCount],
      intents,
      seq: 0,
      log: [],
      socket,
      disconnectedAt: null,
    };
    this.#sessions.set(session.id, session);
    connection.session = session;

    const guilds = [...state.guilds.values()].filter(
      (guild) => guild.members.has(state.botUserId) && shardForGuild(guild.id, shardCount) === shardId,
    );
    const ready: GatewayReadyDispatchData & Record<string, unknown> = {
      v: 10,
      user: toApiCurrentUser(state.bot),
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `${this.core.gatewayUrl}/resume`,
      shard: [shardId, shardCount],
      application: { id: options.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
      session_type: 'normal',
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["discord-emulator",{"micros":0}]'],
    };
    this.#dispatchTo(session, GatewayDispatchEvents.Ready, ready);
    if (intents & GatewayIntentBits.Guilds) {
      for (const guild of guilds) {
        this.#dispatchTo(
          session,
          GatewayDispatchEvents.GuildCreate,
          toGuildCreate(state, guild, (intents & GatewayIntentBits.GuildPresences) !== 0),
        );
      }
    }
    this.core.feed.publish({ type: 'gateway.connected', session_id: session.id, shard: session.shard });
  }

  /** @see https://discord.com/developers/docs/events/gateway-events#resume */
  #resume(connection: Connection, data: GatewayResumeData | undefined): void {
    const { socket } = connection;
    if (connection.session) {
      socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!data || !isBotToken(data.token, this.core.options.botToken)) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    this.#expire(Date.now());
    const session = this.#sessions.get(data.session_id);
    const oldest = session?.log[0]?.s ?? (session ? session.seq + 1 : 0);
    if (!session || data.seq > session.seq || data.seq < oldest - 1) {
      this.#send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    session.disconnectedAt = null;
    connection.session = session;
    for (const entry of session.log) {
      if (entry.s > data.seq) socket.send(entry.frame);
    }
    this.#dispatchTo(session, GatewayDispatchEvents.Resumed, {});
    this.core.feed.publish({ type: 'gateway.connected', session_id: session.id, shard: session.shard });
  }

  /** @see https://discord.com/developers/docs/events/gateway-events#request-guild-members */
  #requestGuildMembers(session: Session, data: GatewayRequestGuildMembersData): void {
    const { state } = this.core;
    const guild = state.guilds.get(data.guild_id);
    if (!guild) return;
    const wanted = 'user_ids' in data && data.user_ids !== undefined ? [data.user_ids].flat() : null;
    const query = 'query' in data ? (data.query ?? '').toLowerCase() : '';
    const limit = ('limit' in data ? data.limit : 0) || Number.POSITIVE_INFINITY;
    const members = [...guild.members.values()]
      .filter((member) =>
        wanted
          ? wanted.includes(member.userId)
          : state.user(member.userId).username.toLowerCase().startsWith(query),
      )
      .slice(0, limit);
    const chunk: GatewayGuildMembersChunkDispatchData = {
      guild_id: guild.id,
      members: members.map((member) => toApiMember(state, member)),
      chunk_index: 0,
      chunk_count: 1,
      ...(wanted ? { not_found: wanted.filter((id) => !guild.members.has(id)) } : {}),
      ...(data.nonce === undefined ? {} : { nonce: data.nonce }),
    };
    this.#dispatchTo(session, GatewayDispatchEvents.GuildMembersChunk, chunk);
  }

  #onClose(connection: Connection, code: number): void {
    this.#connections.delete(connection);
    const { session } = connection;
    if (session && session.socket === connection.socket) {
      session.socket = null;
      session.disconnectedAt = Date.now();
      // A client closing with 1000 or 1001 ends its session; any other close leaves it resumable.
      if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
    }
    this.core.feed.publish({ type: 'gateway.disconnected', session_id: session?.id ?? null, code });
  }

  /**
   * Sends an event to every session that should get it: the guild's shard (DMs: shard 0), the intent
   * the event needs, the bot able to view the channel. Guild messages lose their content for sessions
   * without MESSAGE_CONTENT unless the bot wrote or is mentioned in them. Sessions that are
   * disconnected but resumable keep the event for replay.
   *
   * @param data - the payload, or a function making it for a session's intents
   * @see https://discord.com/developers/docs/events/gateway#gateway-intents
   */
  dispatch(event: GatewayDispatchEvents, data: unknown, scope: DispatchScope): void {
    if (this.#held > 0) return;
    this.#expire(Date.now());
    const { state } = this.core;
    const intent = scope.guildId ? GUILD_EVENT_INTENTS[event] : DM_EVENT_INTENTS[event];
    const channel = scope.channelId ? state.channels.get(scope.channelId) : undefined;
    if (
      scope.guildId &&
      channel &&
      !(channelPermissions(state, channel, state.botUserId) & PermissionFlagsBits.ViewChannel)
    ) {
      return;
    }
    for (const session of this.#sessions.values()) {
      const [shardId, shardCount] = session.shard;
      const shard = scope.guildId ? shardForGuild(scope.guildId, shardCount) : 0;
      if (shard !== shardId) continue;
      if (intent !== undefined && !(session.intents & intent)) continue;
      let payload =
        typeof data === 'function' ? (data as (intents: number) => unknown)(session.intents) : data;
      if (
        scope.guildId &&
        (event === GatewayDispatchEvents.MessageCreate || event === GatewayDispatchEvents.MessageUpdate) &&
        !(session.intents & GatewayIntentBits.MessageContent)
      ) {
        payload = withoutContent(payload as APIMessage, state.botUserId);
      }
      this.#dispatchTo(session, event, payload);
    }
  }

  #dispatchTo(session: Session, event: GatewayDispatchEvents, data: unknown): void {
    session.seq += 1;
    const frame = JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data });
    session.log.push({ s: session.seq, frame });
    if (session.log.length > MAX_REPLAY) session.log.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(frame);
  }

  #send(socket: WebSocket, payload: { op: GatewayOpcodes; d?: unknown }): void {
    if (socket.readyState === WebSocket.OPEN)
      socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }));
  }

  #expire(now: number): void {
    for (const [id, session] of this.#sessions) {
      if (
        session.disconnectedAt !== null &&
        now - session.disconnectedAt > this.core.options.resumeWindowMs
      ) {
        this.#sessions.delete(id);
      }
    }
  }

  /** Breaks live connections, as Discord sometimes does; returns how many were affected. */
  drop(options: GatewayDropOptions = {}): number {
    const mode = options.mode ?? 'terminate';
    let count = 0;
    for (const connection of [...this.#connections]) {
      if (options.shardId !== undefined && connection.session?.shard[0] !== options.shardId) continue;
      count += 1;
      const { socket } = connection;
      if (mode === 'terminate') socket.terminate();
      else if (mode === 'reconnect') this.#send(socket, { op: GatewayOpcodes.Reconnect });
      else if (mode === 'invalid-session')
        this.#send(socket, { op: GatewayOpcodes.InvalidSession, d: options.resumable ?? false });
      else socket.close(options.code ?? GatewayCloseCodes.UnknownError, 'Closed by the emulator');
    }
    return count;
  }

  sessions(): GatewaySessionInfo[] {
    return [...this.#sessions.values()].map((session) => ({
      session_id: session.id,
      shard: session.shard,
      intents: session.intents,
      seq: session.seq,
      connected: session.socket?.readyState === WebSocket.OPEN,
    }));
  }

  /** Cuts every connection and forgets every session. */
  close(): void {
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    this.#sessions.clear();
    this.#server.close();
  }
}

/**
 * A guild message as an app without the MESSAGE_CONTENT intent gets it: no content, embeds,
 * attachments, components or poll, unless it wrote the message or is mentioned in it.
 *
 * @see https://discord.com/developers/docs/events/gateway#message-content-intent
 */
function withoutContent(message: APIMessage, botUserId: string): APIMessage {
  if (message.author?.id === botUserId || message.mentions?.some((user) => user.id === botUserId))
    return message;
  const { poll: _poll, ...rest } = message;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] };
}

/**
 * The gateway takes the bot token bare or with its `Bot ` prefix (only REST's Authorization header
 * requires the prefix), in IDENTIFY and RESUME alike.
 * @see https://github.com/discord/discord-api-docs/issues/119
 */
function isBotToken(sent: unknown, botToken: string): boolean {
  if (typeof sent !== 'string') return false;
  return sent === botToken || sent === `Bot ${botToken}`;
}
