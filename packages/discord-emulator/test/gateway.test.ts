import { ChannelType, Client, GatewayIntentBits, type Message, Partials, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DISCORD_EPOCH, type DiscordEmulator, shardForGuild, snowflakeAt } from '../src/index.ts';
import { connectClient, nextEvent, startEmulator } from './helpers.ts';

describe('gateway', () => {
  let emulator: DiscordEmulator;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.destroy();
    await emulator?.stop();
  });
  const connect = async (
    ...args: Parameters<typeof connectClient> extends [unknown, ...infer Rest] ? Rest : never
  ) => {
    const connected = await connectClient(emulator, ...args);
    clients.push(connected.client);
    return connected;
  };

  it('when the bot logs in, then READY and GUILD_CREATE fill the client cache', async () => {
    emulator = await startEmulator();
    const { client, errors } = await connect();
    expect(client.user?.id).toBe(emulator.botUserId);
    expect(client.application?.id).toBe(emulator.applicationId);
    const guild = client.guilds.cache.find((candidate) => candidate.name === 'Flexcord Support');
    expect(guild).toBeDefined();
    const general = guild?.channels.cache.find((channel) => channel.name === 'general');
    expect(general?.type).toBe(ChannelType.GuildText);
    expect(general?.parent?.name).toBe('Support');
    const forum = guild?.channels.cache.find((channel) => channel.name === 'bug-report');
    expect(forum?.type).toBe(ChannelType.GuildForum);
    expect(forum && 'availableTags' in forum ? forum.availableTags.map((tag) => tag.name) : []).toEqual([
      'bug',
      'ui',
      'resolved',
    ]);
    expect(guild?.roles.cache.find((role) => role.name === 'Moderator')).toBeDefined();
    // Without the Guild Presences intent GUILD_CREATE carries only the bot's own member.
    expect([...(guild?.members.cache.keys() ?? [])]).toEqual([emulator.botUserId]);
    expect(errors).toEqual([]);
  });

  it('when the token is wrong, then login fails with TokenInvalid and IDENTIFY is closed with 4004', async () => {
    emulator = await startEmulator();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
    client.on('error', () => {});
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    await client.destroy();

    const socket = new WebSocket(`${emulator.gatewayUrl}?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number };
      if (payload.op === 10)
        socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    });
    expect(await closed).toBe(4004);
  });

  it('answers heartbeats, and closes with 4003 when a payload comes before IDENTIFY', async () => {
    emulator = await startEmulator({ heartbeatIntervalMs: 45_000 });
    const socket = new WebSocket(`${emulator.gatewayUrl}?v=10&encoding=json`);
    const ops: number[] = [];
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number; d: { heartbeat_interval?: number } };
      ops.push(payload.op);
      if (payload.op === 10) {
        expect(payload.d.heartbeat_interval).toBe(45_000);
        socket.send(JSON.stringify({ op: 1, d: null }));
      }
      if (payload.op === 11)
        socket.send(
          JSON.stringify({ op: 3, d: { status: 'online', afk: false, since: null, activities: [] } }),
        );
    });
    expect(await closed).toBe(4003);
    expect(ops).toEqual([10, 11]);
  });

  /** Opens a raw gateway socket; resolves each dispatch or close as it comes. */
  const rawGateway = () => {
    const socket = new WebSocket(`${emulator.gatewayUrl}?v=10&encoding=json`);
    const payloads: { op: number; t?: string | null; s?: number | null; d?: unknown }[] = [];
    let closeCode: number | null = null;
    socket.on('message', (data) => payloads.push(JSON.parse(String(data))));
    socket.on('close', (code) => {
      closeCode = code;
    });
    const waitFor = async (test: () => boolean) => {
      for (let i = 0; i < 200 && !test(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return test();
    };
    return { socket, payloads, closed: () => closeCode, waitFor };
  };

  it('when a library sends the token with its "Bot " prefix, then IDENTIFY and RESUME accept it as Discord does', async () => {
    // Discord takes both forms in the gateway: https://github.com/discord/discord-api-docs/issues/119
    emulator = await startEmulator();
    const first = rawGateway();
    await first.waitFor(() => first.payloads.some((p) => p.op === 10));
    first.socket.send(
      JSON.stringify({ op: 2, d: { token: `Bot ${emulator.botToken}`, intents: 1, properties: {} } }),
    );
    expect(await first.waitFor(() => first.payloads.some((p) => p.t === 'READY'))).toBe(true);
    const ready = first.payloads.find((p) => p.t === 'READY')!;
    const sessionId = (ready.d as { session_id: string }).session_id;
    const seq = Math.max(...first.payloads.map((p) => p.s ?? 0));
    first.socket.close(4000);
    await first.waitFor(() => first.closed() !== null);

    const second = rawGateway();
    await second.waitFor(() => second.payloads.some((p) => p.op === 10));
    second.socket.send(
      JSON.stringify({ op: 6, d: { token: `Bot ${emulator.botToken}`, session_id: sessionId, seq } }),
    );
    expect(await second.waitFor(() => second.payloads.some((p) => p.t === 'RESUMED'))).toBe(true);
    expect(second.closed()).toBeNull();
    second.socket.close(1000);

    // A wrong token stays wrong with the prefix.
    const wrong = rawGateway();
    await wrong.waitFor(() => wrong.payloads.some((p) => p.op === 10));
    wrong.socket.send(JSON.stringify({ op: 2, d: { token: 'Bot wrong', intents: 1, properties: {} } }));
    expect(await wrong.waitFor(() => wrong.closed() !== null)).toBe(true);
    expect(wrong.closed()).toBe(4004);
  });

  it('when the connection drops without a close frame, then the client resumes and gets the missed events once', async () => {
    emulator = await startEmulator();
    const { client, errors } = await connect();
    const seen: string[] = [];
    client.on('messageCreate', (message) => seen.push(message.content));
    const sessionBefore = emulator.control.gateway.sessions()[0]?.session_id;
    const resumed = nextEvent<[number, number]>(client, 'shardResume');

    expect(emulator.control.gateway.drop({ mode: 'terminate' })).toBe(1);
    emulator.control.sendMessage({ user: 'alice', channel: 'general', content: 'sent while away' });
    emulator.control.sendMessage({ user: 'alice', content: 'DM while away' });

    const [, replayed] = await resumed;
    expect(replayed).toBeGreaterThanOrEqual(2);
    await expect.poll(() => seen.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.sort()).toEqual(['DM while away', 'sent while away']);
    const sessions = emulator.control.gateway.sessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ session_id: sessionBefore, connected: true });
    expect(errors).toEqual([]);
  });

  it('when the gateway asks to reconnect (op 7), then the client resumes and keeps receiving', async () => {
    emulator = await startEmulator();
    const { client } = await connect();
    const resumed = nextEvent(client, 'shardResume');
    emulator.control.gateway.drop({ mode: 'reconnect' });
    await resumed;
    const received = nextEvent<[Message]>(
      client,
      'messageCreate',
      (message) => message.content === 'after reconnect',
    );
    emulator.control.sendMessage({ user: 'alice', channel: 'general', content: 'after reconnect' });
    await received;
  });

  it('without the Message Content intent, then guild messages arrive empty unless they mention the bot; DMs keep content', async () => {
    emulator = await startEmulator();
    const { client } = await connect({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    });
    const messages: Message[] = [];
    client.on('messageCreate', (message) => messages.push(message));
    emulator.control.sendMessage({ user: 'alice', channel: 'general', content: 'secret plans' });
    emulator.control.sendMessage({
      user: 'alice',
      channel: 'general',
      content: `<@${emulator.botUserId}> help me`,
    });
    emulator.control.sendMessage({ user: 'alice', content: 'a DM' });
    await expect.poll(() => messages.length).toBe(3);
    expect(messages.map((message) => message.content)).toEqual([
      '',
      `<@${emulator.botUserId}> help me`,
      'a DM',
    ]);
    expect(messages[1]?.mentions.users.has(emulator.botUserId)).toBe(true);
  });

  it('with two shards, then each connection gets only its own guild and DMs go to shard 0', async () => {
    const even = snowflakeAt(DISCORD_EPOCH + 1_000_000_000);
    const odd = snowflakeAt(DISCORD_EPOCH + 1_000_000_001);
    expect([shardForGuild(even, 2), shardForGuild(odd, 2)]).toEqual([0, 1]);
    emulator = await startEmulator({
      shards: 2,
      fixture: {
        users: [{ username: 'alice' }],
        guilds: [
          { id: even, name: 'Even', members: [{ user: 'alice' }], channels: [{ name: 'even-chat' }] },
          { id: odd, name: 'Odd', members: [{ user: 'alice' }], channels: [{ name: 'odd-chat' }] },
        ],
      },
    });
    // Two bridge instances, one shard each (as with one advisory lock per shard).
    const zero = await connect({ shards: [0], shardCount: 2 });
    const one = await connect({ shards: [1], shardCount: 2 });
    expect([...zero.client.guilds.cache.keys()]).toEqual([even]);
    expect([...one.client.guilds.cache.keys()]).toEqual([odd]);
    expect(
      emulator.control.gateway
        .sessions()
        .map((session) => session.shard)
        .sort(),
    ).toEqual([
      [0, 2],
      [1, 2],
    ]);

    const received = { zero: [] as string[], one: [] as string[] };
    zero.client.on('messageCreate', (message) => received.zero.push(message.content));
    one.client.on('messageCreate', (message) => received.one.push(message.content));
    emulator.control.sendMessage({ user: 'alice', channel: 'even-chat', content: 'in even' });
    emulator.control.sendMessage({ user: 'alice', channel: 'odd-chat', content: 'in odd' });
    emulator.control.sendMessage({ user: 'alice', content: 'in a DM' });
    await expect.poll(() => received.zero.length + received.one.length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual({ zero: ['in even', 'in a DM'], one: ['in odd'] });

    // One client asking for the recommended count gets both shards.
    const auto = await connect({ shards: 'auto' });
    expect(auto.client.ws.shards.size).toBe(2);
    expect(auto.client.guilds.cache.get(odd)?.shardId).toBe(1);
    expect([...zero.errors, ...one.errors, ...auto.errors]).toEqual([]);
  });

  it('when a guild, channel or member changes while connected, then the client cache follows', async () => {
    emulator = await startEmulator();
    const { client } = await connect({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMembers,
        GatewayIntentBits.GuildPresences,
        GatewayIntentBits.GuildMessages,
      ],
      partials: [Partials.Channel],
    });
    const guild = client.guilds.cache.first();
    expect(guild?.members.cache.size).toBe(5);

    const channelCreated = nextEvent(client, 'channelCreate');
    emulator.control.addChannel('Flexcord Support', { name: 'escalations', parent: 'Support' });
    await channelCreated;
    const escalations = guild?.channels.cache.find(
      (channel) => channel.name === 'escalations',
    ) as TextChannel;
    expect(escalations.parent?.name).toBe('Support');

    const joined = nextEvent(client, 'guildMemberAdd');
    emulator.control.addUser({ username: 'carol' });
    emulator.control.addMember('Flexcord Support', 'carol');
    await joined;
    const roleCreated = nextEvent(client, 'roleCreate');
    emulator.control.addRole('Flexcord Support', { name: 'VIP' });
    await roleCreated;
    const memberUpdated = nextEvent(client, 'guildMemberUpdate');
    emulator.control.updateMember('Flexcord Support', 'carol', { roles: ['VIP'] });
    await memberUpdated;
    expect(
      guild?.members.cache
        .find((member) => member.user.username === 'carol')
        ?.roles.cache.some((role) => role.name === 'VIP'),
    ).toBe(true);

    const guildCreated = nextEvent(client, 'guildCreate');
    emulator.control.seed({ guilds: [{ name: 'Second Server', channels: [{ name: 'lobby' }] }] });
    await guildCreated;
    expect(
      client.guilds.cache.find((candidate) => candidate.name === 'Second Server')?.channels.cache.size,
    ).toBe(1);
  });

  it("when a member edits and then deletes a DM, then the bot's client gets MESSAGE_UPDATE and MESSAGE_DELETE", async () => {
    emulator = await startEmulator();
    const { client } = await connect({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel, Partials.Message],
    });
    const sent = emulator.control.sendMessage({ user: 'alice', content: 'typo hree' });
    const updated = nextEvent<[unknown, Message]>(
      client,
      'messageUpdate',
      (_old, message) => message.id === sent.id,
    );
    const edited = emulator.control.editMessage({ user: 'alice', message: sent.id, content: 'typo here' });
    const [, message] = await updated;
    expect(message.content).toBe('typo here');
    expect(message.editedTimestamp).toBe(Date.parse(edited.edited_timestamp ?? ''));
    // Only the author may edit it.
    expect(() =>
      emulator.control.editMessage({ user: 'bob', message: sent.id, content: 'mine now' }),
    ).toThrow();

    const deleted = nextEvent<[Message]>(client, 'messageDelete', (gone) => gone.id === sent.id);
    emulator.control.deleteMessage({ user: 'alice', message: sent.id });
    const [gone] = await deleted;
    expect(gone.channel.type).toBe(ChannelType.DM);
    expect(emulator.control.message(sent.id)).toBeUndefined();
  });
});
