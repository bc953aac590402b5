import { type Client, DiscordAPIError, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { connectClient, startEmulator } from './helpers.ts';

/**
 * What Discord refuses, the emulator refuses with Discord's error code; what Discord allows, it allows.
 * Raw `fetch` calls follow Discord's docs directly; discord.js is the second client.
 */
describe('requests Discord refuses or allows', () => {
  let emulator: DiscordEmulator;
  let client: Client;
  let general: TextChannel;
  let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

  beforeAll(async () => {
    emulator = await startEmulator();
    ({ client } = await connectClient(emulator));
    general = client.channels.cache.find(
      (channel) => 'name' in channel && channel.name === 'general',
    ) as TextChannel;
    api = async (method, path, body) => {
      const response = await fetch(`${emulator.apiUrl}/v10${path}`, {
        method,
        headers: {
          Authorization: `Bot ${emulator.botToken}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    for (const text of ['one', 'two', 'three']) await general.send(text);
  });

  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
  });

  const formError = (field: string, code: string, message: string) => ({
    code: 50035,
    message: 'Invalid Form Body',
    errors: { [field]: { _errors: [{ code, message }] } },
  });

  it('when a page is asked before a message id that is not a snowflake, then 50035 names `before`, not a 500', async () => {
    const answer = await api('GET', `/channels/${general.id}/messages?before=abc`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(formError('before', 'NUMBER_TYPE_COERCE', 'Value "abc" is not snowflake.'));
    for (const key of ['after', 'around']) {
      const other = await api('GET', `/channels/${general.id}/messages?${key}=12ab`);
      expect(other.body).toEqual(formError(key, 'NUMBER_TYPE_COERCE', 'Value "12ab" is not snowflake.'));
    }
  });

  it('when `limit` is not a number or outside 1–100, then 50035 names `limit` instead of answering', async () => {
    const notInt = await api('GET', `/channels/${general.id}/messages?limit=abc`);
    expect(notInt.status).toBe(400);
    expect(notInt.body).toEqual(formError('limit', 'NUMBER_TYPE_COERCE', 'Value "abc" is not int.'));
    const tooMany = await api('GET', `/channels/${general.id}/messages?limit=101`);
    expect(tooMany.body).toEqual(
      formError('limit', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 100.'),
    );
    const none = await api('GET', `/channels/${general.id}/messages?limit=0`);
    expect(none.body).toEqual(
      formError('limit', 'NUMBER_TYPE_MIN', 'int value should be greater than or equal to 1.'),
    );
    const fine = await api('GET', `/channels/${general.id}/messages?limit=2`);
    expect(fine.status).toBe(200);
    expect((fine.body as Array<{ content: string }>).map((message) => message.content)).toEqual([
      'three',
      'two',
    ]);
  });

  it('when discord.js fetches 101 messages, then it gets the same 50035 Discord gives', async () => {
    const error = await general.messages.fetch({ limit: 101 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
  });

  it('when a thread asks for an auto-archive duration Discord does not offer, then 50035 lists the choices', async () => {
    const choices = formError(
      'auto_archive_duration',
      'BASE_TYPE_CHOICES',
      'Value must be one of (60, 1440, 4320, 10080).',
    );
    const refused = await api('POST', `/channels/${general.id}/threads`, {
      name: 'Case 12',
      type: 12,
      auto_archive_duration: 5,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(choices);
    const thread = await api('POST', `/channels/${general.id}/threads`, {
      name: 'Case 13',
      type: 12,
      auto_archive_duration: 1440,
    });
    expect(thread.status).toBe(201);
    const id = (thread.body as { id: string }).id;
    const edit = await api('PATCH', `/channels/${id}`, { auto_archive_duration: 30 });
    expect(edit.body).toEqual(choices);
    expect(emulator.control.channel(id)).toMatchObject({ thread_metadata: { auto_archive_duration: 1440 } });
  });

  it("when the bot, holding Manage Messages, suppresses the embeds of a member's message, then the flags change", async () => {
    const posted = emulator.control.sendMessage({
      user: 'alice',
      channel: 'general',
      content: 'see https://example.com',
    });
    const suppressed = await api('PATCH', `/channels/${general.id}/messages/${posted.id}`, { flags: 4 });
    expect(suppressed.status).toBe(200);
    expect(suppressed.body).toMatchObject({ id: posted.id, flags: 4, content: 'see https://example.com' });
    // Anything beyond flags stays the author's: 50005.
    const rewrite = await api('PATCH', `/channels/${general.id}/messages/${posted.id}`, {
      flags: 4,
      content: 'rewritten',
    });
    expect(rewrite.status).toBe(403);
    expect(rewrite.body).toMatchObject({ code: 50005 });
  });

  it("when the bot lacks Manage Messages, then suppressing a member's embeds is refused with 50013", async () => {
    const own = await startEmulator({
      fixture: {
        users: [{ username: 'alice' }],
        guilds: [
          {
            name: 'Small',
            botPermissions: ['ViewChannel', 'SendMessages', 'ReadMessageHistory'],
            members: [{ user: 'alice' }],
            channels: [{ name: 'general' }],
          },
        ],
      },
    });
    try {
      const posted = own.control.sendMessage({ user: 'alice', channel: 'general', content: 'hi' });
      const response = await fetch(`${own.apiUrl}/v10/channels/${posted.channel_id}/messages/${posted.id}`, {
        method: 'PATCH',
        headers: { Authorization: `Bot ${own.botToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ flags: 4 }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 50013 });
    } finally {
      await own.stop();
    }
  });

  it('when the bot searches members by name, then `/members/search` answers, not the member route', async () => {
    const guildId = general.guildId;
    const found = await api('GET', `/guilds/${guildId}/members/search?query=ali&limit=5`);
    expect(found.status).toBe(200);
    expect(
      (found.body as Array<{ user: { username: string } }>).map((member) => member.user.username),
    ).toEqual(['alice']);
    const viaClient = await general.guild.members.search({ query: 'mau' });
    expect([...viaClient.values()].map((member) => member.user.username)).toEqual(['maude']);
    const missing = await api('GET', `/guilds/${guildId}/members/search`);
    expect(missing.body).toEqual(formError('query', 'BASE_TYPE_REQUIRED', 'This field is required'));
  });
  it('when a select menu option is longer than Discord allows, then 50035 names the option', async () => {
    const select = (option: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      content: 'Pick one',
      components: [{ type: 1, components: [{ type: 3, custom_id: 'topic', options: [option], ...extra }] }],
    });
    const long = await api(
      'POST',
      `/channels/${general.id}/messages`,
      select({ label: 'x'.repeat(101), value: 'a' }),
    );
    expect(long.status).toBe(400);
    const label = (long.body as { errors: Record<string, unknown> }).errors;
    expect(JSON.stringify(label)).toContain('"label":{"_errors":[{"code":"BASE_TYPE_BAD_LENGTH"');
    const noValue = await api('POST', `/channels/${general.id}/messages`, select({ label: 'Pagos 💳' }));
    expect(JSON.stringify(noValue.body)).toContain('"value":{"_errors":[{"code":"BASE_TYPE_REQUIRED"');
    const description = await api(
      'POST',
      `/channels/${general.id}/messages`,
      select({ label: 'Pagos', value: 'payments', description: 'd'.repeat(101) }),
    );
    expect(JSON.stringify(description.body)).toContain(
      '"description":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"',
    );
    const values = await api(
      'POST',
      `/channels/${general.id}/messages`,
      select({ label: 'Pagos', value: 'payments' }, { max_values: 26 }),
    );
    expect(JSON.stringify(values.body)).toContain('"max_values":{"_errors":[{"code":"NUMBER_TYPE_MAX"');
    const fine = await api(
      'POST',
      `/channels/${general.id}/messages`,
      select({
        label: 'Pagos 💳',
        value: 'payments',
        description: 'Cargos y reembolsos',
        emoji: { name: '💳' },
      }),
    );
    expect(fine.status).toBe(200);
  });
});
