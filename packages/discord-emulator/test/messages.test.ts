import {
  ChannelType,
  type Client,
  DiscordAPIError,
  type ForumChannel,
  type Message,
  type RateLimitData,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { connectClient, nextEvent, startEmulator } from './helpers.ts';

describe('messages, DMs, threads and limits', () => {
  let emulator: DiscordEmulator;
  let client: Client;
  let errors: unknown[];

  const channelNamed = <T>(name: string) =>
    client.channels.cache.find((channel) => 'name' in channel && channel.name === name) as T;

  beforeAll(async () => {
    emulator = await startEmulator();
    ({ client, errors } = await connectClient(emulator));
  });

  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
  });

  it('when a member DMs the bot, then discord.js emits messageCreate in a DM channel', async () => {
    const received = nextEvent<[Message]>(client, 'messageCreate', (message) => message.content === 'Hi bot');
    emulator.control.sendMessage({ user: 'alice', content: 'Hi bot' });
    const [message] = await received;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.author.username).toBe('alice');
    expect(message.guildId).toBeNull();
  });

  it('when the bot DMs a member, then the control API reads it in their DM', async () => {
    const alice = await client.users.fetch(emulator.control.user('alice').id);
    const sent = await alice.send('Hello Alice');
    const dm = emulator.control.dmMessages('alice');
    expect(dm.map((message) => message.content)).toContain('Hello Alice');
    expect(dm.find((message) => message.id === sent.id)?.author.id).toBe(emulator.botUserId);
    // The same DM channel is reused.
    const again = await alice.createDM(true);
    expect(again.id).toBe(sent.channelId);
  });

  it('when a member has DMs closed, then sending fails with 50007', async () => {
    const bob = await client.users.fetch(emulator.control.user('bob').id);
    const error = await bob.send('Are you there?').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50007);
    expect((error as DiscordAPIError).status).toBe(403);
  });

  it('when content is over 2000 characters, then the API answers 50035 with the content error', async () => {
    const general = channelNamed<TextChannel>('general');
    const error = await general.send('x'.repeat(2001)).catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).rawError).toMatchObject({
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
  });

  it('when the bot lacks Send Messages in a channel, then posting fails with 50013', async () => {
    const muted = channelNamed<TextChannel>('bot-muted');
    const error = await muted.send('Hello?').catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(50013);
  });

  it('when a 429 is injected, then discord.js waits it out, emits rateLimited and the retry succeeds', async () => {
    const general = channelNamed<TextChannel>('general');
    const limited: RateLimitData[] = [];
    const onLimited = (data: RateLimitData) => limited.push(data);
    client.rest.on('rateLimited', onLimited);
    emulator.control.faults.inject({
      method: 'POST',
      path: '/channels/:id/messages',
      status: 429,
      retryAfter: 0.3,
    });
    const started = Date.now();
    const message = await general.send('After the rate limit');
    client.rest.off('rateLimited', onLimited);
    expect(message.content).toBe('After the rate limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const attempts = emulator.control
      .requests({ method: 'POST', path: `/channels/${general.id}/messages` })
      .slice(-2);
    expect(attempts.map((attempt) => [attempt.status, attempt.faulted])).toEqual([
      [429, true],
      [200, false],
    ]);
    expect(limited.length).toBeGreaterThanOrEqual(1);
  });

  it('when the bot uploads a file, then the message carries it and the emulator serves it back', async () => {
    const general = channelNamed<TextChannel>('general');
    const message = await general.send({
      content: 'Your transcript',
      files: [{ attachment: Buffer.from('chat transcript'), name: 'transcript.txt' }],
    });
    const attachment = message.attachments.first();
    expect(attachment?.name).toBe('transcript.txt');
    expect(attachment?.size).toBe(15);
    expect(attachment?.url.startsWith(emulator.url)).toBe(true);
    const response = await fetch(attachment?.url ?? '');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('chat transcript');
  });

  it('when the same nonce is sent twice with enforce_nonce, then the first message comes back', async () => {
    const general = channelNamed<TextChannel>('general');
    const first = await general.send({ content: 'Exactly once', nonce: 'outbox-17', enforceNonce: true });
    const second = await general.send({ content: 'Exactly once', nonce: 'outbox-17', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(
      emulator.control.messages('general').filter((message) => message.content === 'Exactly once'),
    ).toHaveLength(1);
  });

  it('when the bot opens a forum post with tags and later changes them, then the thread follows', async () => {
    const forum = channelNamed<ForumChannel>('bug-report');
    const [bug, ui] = forum.availableTags;
    const thread = await forum.threads.create({
      name: 'Login button does nothing',
      message: { content: 'Reported by alice' },
      appliedTags: [bug?.id ?? ''],
    });
    expect(thread.appliedTags).toEqual([bug?.id]);
    expect(thread.parentId).toBe(forum.id);
    const starter = emulator.control.message(thread.id);
    expect(starter?.content).toBe('Reported by alice');
    expect(starter?.channel_id).toBe(thread.id);

    const updated = nextEvent(client, 'threadUpdate');
    await thread.setAppliedTags([bug?.id ?? '', ui?.id ?? '']);
    await updated;
    expect(emulator.control.channel(thread.id)).toMatchObject({ applied_tags: [bug?.id, ui?.id] });
    const tree = emulator.control.channelTree('Flexcord Support');
    const forumNode = tree.find((node) => node.id === forum.id);
    expect(forumNode?.children.map((child) => child.name)).toContain('Login button does nothing');
  });

  it('when the bot edits forum tags and archives a post, then tag ids stay and a new message unarchives it', async () => {
    const forum = channelNamed<ForumChannel>('bug-report');
    const before = forum.availableTags.map((tag) => tag.id);
    await forum.setAvailableTags([...forum.availableTags, { name: 'wontfix', moderated: false }]);
    const after = emulator.control.channel(forum.id) as {
      available_tags: Array<{ id: string; name: string }>;
    };
    expect(after.available_tags.slice(0, 3).map((tag) => tag.id)).toEqual(before);
    expect(after.available_tags[3]?.name).toBe('wontfix');

    const thread = await forum.threads.create({ name: 'Archive me', message: { content: 'first' } });
    await thread.setArchived(true);
    expect(emulator.control.channel(thread.id)).toMatchObject({ thread_metadata: { archived: true } });
    await thread.send('bump');
    expect(emulator.control.channel(thread.id)).toMatchObject({
      thread_metadata: { archived: false },
      message_count: 1,
    });
  });

  it('when a forum post uses an unknown tag, then the API answers 50035', async () => {
    const forum = channelNamed<ForumChannel>('bug-report');
    const error = await forum.threads
      .create({ name: 'Bad tag', message: { content: 'x' }, appliedTags: ['123'] })
      .catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(50035);
  });

  it('when a member posts in a guild channel, then the bot receives it with the member', async () => {
    const received = nextEvent<[Message]>(
      client,
      'messageCreate',
      (message) => message.content === 'Anyone here?',
    );
    emulator.control.sendMessage({ user: 'maude', channel: 'general', content: 'Anyone here?' });
    const [message] = await received;
    expect(message.guild?.name).toBe('Flexcord Support');
    expect(message.member?.roles.cache.some((role) => role.name === 'Moderator')).toBe(true);
  });

  it('when the bot pages through messages, then limit, before and after work newest first', async () => {
    const general = channelNamed<TextChannel>('general');
    const sent: Message[] = [];
    for (const text of ['page 1', 'page 2', 'page 3']) sent.push(await general.send(text));
    const latest = await general.messages.fetch({ limit: 2 });
    expect([...latest.values()].map((message) => message.content)).toEqual(['page 3', 'page 2']);
    const before = await general.messages.fetch({ limit: 1, before: sent[2]?.id ?? '' });
    expect(before.first()?.content).toBe('page 2');
    const after = await general.messages.fetch({ after: sent[0]?.id ?? '' });
    expect([...after.values()].map((message) => message.content)).toEqual(['page 3', 'page 2']);
  });

  it('when the bot edits and deletes its message, then the edit and the deletion are recorded', async () => {
    const general = channelNamed<TextChannel>('general');
    const message = await general.send('Draft');
    await message.edit('Final');
    expect(emulator.control.message(message.id)?.content).toBe('Final');
    expect(emulator.control.message(message.id)?.edited_timestamp).not.toBeNull();
    await message.delete();
    expect(emulator.control.message(message.id)).toBeUndefined();
  });

  it('when the bot creates a forum channel and a permission overwrite, then both are stored', async () => {
    const guild = client.guilds.cache.first();
    const forum = await guild?.channels.create({
      name: 'feature-request',
      type: ChannelType.GuildForum,
      availableTags: [{ name: 'idea' }, { name: 'planned', moderated: true }],
    });
    expect((forum as ForumChannel).availableTags.map((tag) => tag.name)).toEqual(['idea', 'planned']);
    const everyone = guild?.roles.everyone;
    await (forum as ForumChannel).permissionOverwrites.edit(everyone?.id ?? '', { SendMessages: false });
    const stored = emulator.control.channel(forum?.id ?? '');
    expect('permission_overwrites' in stored && stored.permission_overwrites).toEqual([
      { id: everyone?.id, type: 0, allow: '0', deny: '2048' },
    ]);
  });

  it('no client errors', () => {
    expect(errors).toEqual([]);
  });
});
