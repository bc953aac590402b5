import { afterEach, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { startEmulator } from './helpers.ts';

/** Raw REST calls, to check what discord.js does not show: status codes, headers, error bodies. */
describe('REST without discord.js', () => {
  let emulator: DiscordEmulator;
  afterEach(async () => {
    await emulator?.stop();
  });

  const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? emulator.botToken : init.token;
    if (token !== null) headers.set('Authorization', `Bot ${token}`);
    if (typeof init.body === 'string') headers.set('Content-Type', 'application/json');
    return fetch(`${emulator.apiUrl}/v10${path}`, { ...init, headers });
  };
  const channelId = (name: string) => emulator.control.channel(name).id;

  it('a DM channel kept from an earlier run is the one Create DM answers, and messages go to it', async () => {
    emulator = await startEmulator({
      fixture: {
        users: [{ username: 'zoë', dmChannelId: '1300000000000099001' }],
        guilds: [{ name: 'Café ☕', members: [{ user: 'zoë' }], channels: [{ name: 'help' }] }],
      },
    });
    const userId = emulator.control.user('zoë').id;
    const opened = await api('/users/@me/channels', {
      method: 'POST',
      body: JSON.stringify({ recipient_id: userId }),
    });
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ id: '1300000000000099001', type: 1 });
    const posted = await api('/channels/1300000000000099001/messages', {
      method: 'POST',
      body: JSON.stringify({ content: 'still here 👋' }),
    });
    expect(posted.status).toBe(200);
    expect(emulator.control.dmMessages('zoë').map((message) => message.content)).toEqual(['still here 👋']);
  });

  it('when the token is wrong, then 401 with code 0', async () => {
    emulator = await startEmulator();
    const response = await api('/users/@me', { token: 'nope' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });

  it('every answer carries the rate-limit headers, and unknown ids answer 10003 and 10008', async () => {
    emulator = await startEmulator();
    const response = await api('/users/@me');
    expect(response.status).toBe(200);
    for (const header of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-ratelimit-reset-after',
      'x-ratelimit-bucket',
    ]) {
      expect(response.headers.get(header), header).not.toBeNull();
    }
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    const unknownChannel = await api('/channels/123456789012345678/messages');
    expect(unknownChannel.status).toBe(404);
    expect(await unknownChannel.json()).toEqual({ message: 'Unknown Channel', code: 10003 });
    const unknownMessage = await api(`/channels/${channelId('general')}/messages/123456789012345678`);
    expect(await unknownMessage.json()).toEqual({ message: 'Unknown Message', code: 10008 });
    expect((await api('/users/@me', { method: 'PUT' })).status).toBe(405);
    expect((await api('/nothing/here')).status).toBe(404);
  });

  it('with the realistic preset, then the sixth message in 5 s to one channel is refused with 429, others not', async () => {
    emulator = await startEmulator({ rateLimits: 'realistic' });
    const general = channelId('general');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await api(`/channels/${general}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: `m${i}` }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('x-ratelimit-scope')).toBe('user');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await last?.json()) as { message: string; retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(5);
    // Another channel is another bucket (same route, different major parameter).
    const other = await api(`/channels/${channelId('bot-muted')}/messages`, { method: 'GET' });
    expect(other.status).toBe(200);
  });

  it('with a global limit, then the bot-wide 429 says global', async () => {
    emulator = await startEmulator({ rateLimits: { global: { limit: 2, windowMs: 1_000 } } });
    await api('/users/@me');
    await api('/gateway/bot');
    const limited = await api('/users/@me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await limited.json()).toMatchObject({ global: true, message: 'You are being rate limited.' });
  });

  it('when a fault is injected for two requests, then they fail and the next succeeds', async () => {
    emulator = await startEmulator();
    emulator.control.faults.inject({ method: 'GET', path: '/users/@me', status: 502, times: 2 });
    expect((await api('/users/@me')).status).toBe(502);
    expect((await api('/users/@me')).status).toBe(502);
    expect((await api('/users/@me')).status).toBe(200);
    emulator.control.faults.inject({ path: '/gateway/**', delayMs: 150 });
    const started = Date.now();
    expect((await api('/gateway/bot')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('when random faults are seeded, then the same requests fail on every run', async () => {
    emulator = await startEmulator();
    const run = async () => {
      emulator.control.faults.random({ percent: 50, seed: 7, status: 500 });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) statuses.push((await api('/users/@me')).status);
      emulator.control.faults.random(null);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('when a multipart upload describes its attachment, then filename and description are kept', async () => {
    emulator = await startEmulator();
    const form = new FormData();
    form.append(
      'payload_json',
      JSON.stringify({ content: 'logs', attachments: [{ id: 0, description: 'Server log' }] }),
    );
    form.append('files[0]', new Blob(['line 1\nline 2'], { type: 'text/plain' }), 'server log.txt');
    const response = await api(`/channels/${channelId('general')}/messages`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const message = (await response.json()) as { attachments: Array<Record<string, unknown>> };
    expect(message.attachments[0]).toMatchObject({
      filename: 'server_log.txt',
      description: 'Server log',
      size: 13,
      content_type: 'text/plain',
    });
    const served = await fetch(String(message.attachments[0]?.url));
    expect(served.headers.get('content-type')).toBe('text/plain');
    expect(await served.text()).toBe('line 1\nline 2');
  });

  it('when embeds break the limits, then 50035 names each field', async () => {
    emulator = await startEmulator();
    const response = await api(`/channels/${channelId('general')}/messages`, {
      method: 'POST',
      body: JSON.stringify({
        embeds: [{ title: 't'.repeat(257), fields: [{ name: 'n', value: 'v'.repeat(1025) }] }],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: number; errors: unknown };
    expect(body.code).toBe(50035);
    expect(body.errors).toMatchObject({
      embeds: {
        0: {
          title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] },
          fields: { 0: { value: { _errors: [{}] } } },
        },
      },
    });
    const empty = await api(`/channels/${channelId('general')}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: '' }),
    });
    expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50006 });
  });

  it('when commands break the rules, then bulk overwrite answers 50035 indexed by command', async () => {
    emulator = await startEmulator();
    const options = Array.from({ length: 26 }, (_, index) => ({
      type: 3,
      name: `o${index}`,
      description: 'x',
    }));
    const response = await api(`/applications/${emulator.applicationId}/commands`, {
      method: 'PUT',
      body: JSON.stringify([
        { name: 'ok', description: 'fine' },
        { name: 'UPPER', description: '' },
        { name: 'many', description: 'too many options', options },
      ]),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: number; errors: Record<string, unknown> };
    expect(body.code).toBe(50035);
    expect(body.errors).toMatchObject({
      1: {
        name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] },
        description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] },
      },
      2: { options: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
    expect(emulator.control.commands()).toEqual([]);
  });
});
