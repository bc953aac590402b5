import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  type Client,
  type ForumChannel,
  type Interaction,
  MessageFlags,
  SlashCommandBuilder,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator, RecordedExchange } from '../src/index.ts';
import { checkExchange, type Finding } from './conformance/check.ts';
import { explains, KNOWN_DEVIATIONS } from './conformance/known-deviations.ts';
import { type DiscordSpec, loadDiscordSpec } from './conformance/openapi-spec.ts';
import { connectClient, startEmulator } from './helpers.ts';

const readExchanges = (file: string): RecordedExchange[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecordedExchange);

const show = (finding: Finding) =>
  `${finding.kind} ${finding.method} ${finding.route} ${finding.status} ${finding.where}: ${finding.detail}`;

/**
 * The emulator held to Discord's own spec (#26): it records every REST exchange while discord.js and
 * raw `fetch` calls drive the routes a bridge uses, and each answer and accepted request is checked
 * against the schemas generated from Discord's OpenAPI spec. Known deviations are listed, with a
 * reason each, in `conformance/known-deviations.ts`; anything else fails.
 *
 * With `DISCORD_EMULATOR_RECORD_DIR` set, other suites' recordings in that directory are checked too.
 */
describe('conformance with Discord’s OpenAPI spec', () => {
  let spec: DiscordSpec;
  let dir: string;
  let emulator: DiscordEmulator;
  let client: Client;
  let exchanges: RecordedExchange[] = [];

  beforeAll(async () => {
    spec = loadDiscordSpec();
    dir = mkdtempSync(join(tmpdir(), 'discord-conformance-'));
    emulator = await startEmulator({ record: dir, interactionDeadlineMs: 2_000 });
    ({ client } = await connectClient(emulator));
    await driveTraffic(emulator, client);
    exchanges = readExchanges(emulator.recordFile ?? '');
  }, 60_000);

  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every REST exchange, with route templates, statuses and bodies', () => {
    const routes = new Set(exchanges.map((exchange) => `${exchange.method} ${exchange.route}`));
    expect(routes.size).toBeGreaterThanOrEqual(35);
    expect(routes).toContain('POST /channels/{channel_id}/messages');
    const created = exchanges.find(
      (exchange) => exchange.route === '/channels/{channel_id}/messages' && exchange.method === 'POST',
    );
    expect(created).toMatchObject({ status: 200, request: { content: expect.any(String) } });
    expect(exchanges.some((exchange) => exchange.status >= 400)).toBe(true);
  });

  it('answers and accepted requests match the spec, but for the known deviations', () => {
    const findings = exchanges.flatMap((exchange) => checkExchange(spec, exchange));
    const unexplained = findings.filter(
      (finding) => !KNOWN_DEVIATIONS.some((deviation) => explains(deviation, finding)),
    );
    expect([...new Set(unexplained.map(show))]).toEqual([]);
  });

  it('every known deviation is still needed', () => {
    const findings = exchanges.flatMap((exchange) => checkExchange(spec, exchange));
    const stale = KNOWN_DEVIATIONS.filter(
      (deviation) => !findings.some((finding) => explains(deviation, finding)),
    );
    expect(stale.map((deviation) => `${deviation.kind} ${deviation.route} ${deviation.where}`)).toEqual([]);
  });

  it('recordings of other suites match too (when DISCORD_EMULATOR_RECORD_DIR names them)', () => {
    const shared = process.env.DISCORD_EMULATOR_RECORD_DIR;
    if (!shared || !existsSync(shared)) return;
    const others = readdirSync(shared)
      .filter((name) => name.endsWith('.jsonl'))
      .flatMap((name) => readExchanges(join(shared, name)));
    const unexplained = others
      .flatMap((exchange) => checkExchange(spec, exchange))
      .filter((finding) => !KNOWN_DEVIATIONS.some((deviation) => explains(deviation, finding)));
    expect([...new Set(unexplained.map(show))]).toEqual([]);
  });

  it('the checker catches an invented field, a wrong type and a request Discord would refuse', () => {
    const me = exchanges.find((exchange) => exchange.route === '/users/@me' && exchange.status === 200);
    const user = me?.response as Record<string, unknown>;
    const invented = checkExchange(spec, { ...me!, response: { ...user, favourite_colour: 'teal' } });
    expect(invented.map((finding) => [finding.kind, finding.where])).toEqual([
      ['response-field-not-in-spec', 'favourite_colour'],
    ]);
    const wrongType = checkExchange(spec, { ...me!, response: { ...user, id: 42 } });
    expect(wrongType.map((finding) => [finding.kind, finding.where])).toEqual([['response-invalid', 'id']]);
    const archive = checkExchange(spec, {
      method: 'POST',
      route: '/channels/{channel_id}/threads',
      path: '/channels/1/threads',
      status: 201,
      faulted: false,
      request: { name: 'x', type: 12, auto_archive_duration: 5 },
    });
    expect(archive.some((finding) => finding.kind === 'request-invalid')).toBe(true);
    const crash = checkExchange(spec, { ...me!, status: 500, response: { message: '500', code: 0 } });
    expect(crash.map((finding) => finding.kind)).toEqual(['server-error']);
    const search = exchanges.find((exchange) => exchange.route === '/guilds/{guild_id}/members/search');
    const noQuery = checkExchange(spec, { ...search!, query: {} });
    expect(
      noQuery.filter((finding) => finding.kind === 'query-invalid').map((finding) => finding.where),
    ).toEqual(['query']);
  });

  it('records nothing unless asked: no file without `record` or DISCORD_EMULATOR_RECORD_DIR, none with `record: false`', async () => {
    const quiet = await startEmulator(process.env.DISCORD_EMULATOR_RECORD_DIR ? { record: false } : {});
    try {
      expect(quiet.recordFile).toBeNull();
    } finally {
      await quiet.stop();
    }
  });
});

/** Raw REST as Discord's docs describe it: the second client beside discord.js. */
function rawApi(emulator: DiscordEmulator) {
  return async (method: string, path: string, body?: unknown, token = emulator.botToken) => {
    const response = await fetch(`${emulator.apiUrl}/v10${path}`, {
      method,
      headers: {
        Authorization: `Bot ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.arrayBuffer();
    return response.status;
  };
}

/** What a support bridge does against Discord, plus the refusals it must handle. */
async function driveTraffic(emulator: DiscordEmulator, client: Client): Promise<void> {
  const api = rawApi(emulator);
  const { control } = emulator;
  const channel = <T>(name: string) =>
    client.channels.cache.find((candidate) => 'name' in candidate && candidate.name === name) as T;
  const general = channel<TextChannel>('general');
  const guild = general.guild;
  const aliceId = control.user('alice').id;

  // Users, the application, the gateway.
  await client.users.fetch(aliceId, { force: true });
  await api('GET', '/users/@me');
  await api('GET', '/users/@me/guilds');
  await api('GET', '/gateway');
  await api('GET', '/gateway/bot');
  await api('GET', '/applications/@me');
  await api('GET', '/users/@me', undefined, 'not-the-token');

  // The guild: channels, roles, members.
  await guild.fetch();
  await api('GET', `/guilds/${guild.id}?with_counts=true`);
  await guild.channels.fetch();
  await guild.roles.fetch();
  await guild.members.fetch({ user: aliceId, force: true });
  await api('GET', `/guilds/${guild.id}/members?limit=10`);
  await guild.members.search({ query: 'ali' });
  await api('GET', `/guilds/${guild.id}/threads/active`);
  // Every other role sits above the bot's own in this fixture: changing one is a 50013 (recorded too).
  await guild.roles.create({ name: 'Agents', permissions: ['ManageMessages'] });
  await api('PUT', `/guilds/${guild.id}/members/${aliceId}/roles/${guild.roles.everyone.id}`);
  await guild.members.edit(aliceId, { nick: 'Alice (customer)' });

  // Channels and overwrites.
  const cases = await guild.channels.create({
    name: 'cases',
    type: ChannelType.GuildText,
    topic: 'Open cases',
  });
  await cases.edit({ topic: 'Open cases only' });
  await cases.permissionOverwrites.edit(guild.roles.everyone.id, { SendMessages: false });
  await cases.permissionOverwrites.delete(guild.roles.everyone.id);
  await client.channels.fetch(cases.id, { force: true });
  await cases.delete();

  // Messages: JSON, multipart, replies, edits, pages, deletes, the bot's DM.
  const hello = await general.send({ content: `Welcome <@${aliceId}>`, allowedMentions: { parse: [] } });
  await general.send({ content: 'Exactly once', nonce: 'outbox-1', enforceNonce: true });
  await general.send({
    embeds: [{ title: 'Case #7', description: 'Login broken', fields: [{ name: 'Status', value: 'open' }] }],
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId('talk-to-agent')
          .setLabel('Talk to an agent')
          .setStyle(ButtonStyle.Primary),
      ),
    ],
  });
  const file = await general.send({
    content: 'Your transcript',
    files: [{ attachment: Buffer.from('chat transcript'), name: 'transcript.txt' }],
  });
  // An upload as Discord's docs write one: `payload_json` with `attachments[].id` = the `files[n]` index.
  const form = new FormData();
  form.set(
    'payload_json',
    JSON.stringify({
      content: 'Your receipt',
      attachments: [{ id: 0, filename: 'reçu ☕.txt', description: 'Receipt' }],
    }),
  );
  form.set('files[0]', new Blob(['receipt']), 'reçu ☕.txt');
  await fetch(`${emulator.apiUrl}/v10/channels/${general.id}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bot ${emulator.botToken}` },
    body: form,
  }).then((response) => response.arrayBuffer());
  await hello.reply({ content: 'A reply', allowedMentions: { repliedUser: false } });
  await hello.edit({ content: 'Welcome!' });
  await general.messages.fetch({ limit: 5 });
  await general.messages.fetch(hello.id);
  await general.sendTyping();
  const posted = control.sendMessage({
    user: 'alice',
    channel: 'general',
    content: 'see https://example.com',
  });
  await api('PATCH', `/channels/${general.id}/messages/${posted.id}`, { flags: MessageFlags.SuppressEmbeds });
  await file.delete();
  const alice = await client.users.fetch(aliceId);
  const dm = await alice.send('Case #7 created');
  await dm.channel.messages.fetch({ limit: 10 });

  // Threads: a private case thread with its member, a forum post with tags.
  const thread = await general.threads.create({
    name: 'Case 7 – alice',
    type: ChannelType.PrivateThread,
    autoArchiveDuration: 1440,
    invitable: false,
  });
  await thread.members.add(aliceId);
  await thread.send('An agent will join shortly');
  await thread.members.remove(aliceId);
  await thread.setArchived(true);
  const forum = channel<ForumChannel>('bug-report');
  const bug = forum.availableTags.find((tag) => tag.name === 'bug');
  const post = await forum.threads.create({
    name: 'Login button does nothing',
    message: { content: 'Reported by alice' },
    appliedTags: bug ? [bug.id] : [],
  });
  await post.setAppliedTags([]);
  const starter = await general.send('Thread starter');
  await starter.startThread({ name: 'Follow-up', autoArchiveDuration: 60 });

  // Commands and interactions: defer, follow up, edit the reply, a modal-free button click.
  await client.application?.commands.set([
    new SlashCommandBuilder().setName('helpme').setDescription('Get help').toJSON(),
    new SlashCommandBuilder()
      .setName('case')
      .setDescription('Your cases')
      .addStringOption((option) => option.setName('number').setDescription('Case number').setRequired(true))
      .toJSON(),
  ]);
  await client.application?.commands.fetch();
  await client.application?.commands.set(
    [new SlashCommandBuilder().setName('bug').setDescription('Report').toJSON()],
    guild.id,
  );
  const handled = new Promise<void>((resolve) => {
    const onInteraction = async (interaction: Interaction) => {
      if (interaction.isChatInputCommand() && interaction.commandName === 'helpme') {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.followUp({ content: 'How can we help?', flags: MessageFlags.Ephemeral });
        await interaction.editReply({ content: 'How can we help? (edited)' });
        await interaction.followUp({ content: 'A second note', flags: MessageFlags.Ephemeral });
      }
      if (interaction.isChatInputCommand() && interaction.commandName === 'case') {
        await interaction.reply({ content: `Case ${interaction.options.getString('number')}` });
        await interaction.fetchReply();
        await interaction.deleteReply();
        client.off('interactionCreate', onInteraction);
        resolve();
      }
    };
    client.on('interactionCreate', onInteraction);
  });
  await control.runCommand({ user: 'alice', name: 'helpme' });
  await control.runCommand({ user: 'alice', channel: 'general', name: 'case', options: { number: '7' } });
  await handled;

  // Refusals Discord documents: each must answer Discord's error shape and code.
  await api('GET', '/channels/1/messages');
  await api('GET', `/channels/${general.id}/messages?limit=101`);
  await api('GET', `/channels/${general.id}/messages?before=abc`);
  await api('POST', `/channels/${general.id}/messages`, { content: 'x'.repeat(2001) });
  await api('POST', `/channels/${general.id}/messages`, {});
  await api('POST', `/channels/${general.id}/threads`, { name: 'x', type: 12, auto_archive_duration: 5 });
  await api('PATCH', `/channels/${general.id}/messages/${posted.id}`, { content: 'not yours' });
  await api('POST', '/users/@me/channels', { recipient_id: control.user('bob').id });
  await client.users
    .fetch(control.user('bob').id)
    .then((bob) => bob.send('Are you there?'))
    .catch(() => undefined);
  control.faults.inject({ method: 'POST', path: '/channels/:id/messages', status: 429, retryAfter: 0.05 });
  await general.send('After a 429');
}
