import { type Client, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator, EmulatorEvent } from '../src/index.ts';
import { connectClient, startEmulator } from './helpers.ts';

/** Reads Server-Sent Events from a fetch body until `stop` says so. */
async function readEvents(
  response: Response,
  stop: (events: EmulatorEvent[]) => boolean,
): Promise<EmulatorEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: EmulatorEvent[] = [];
  let buffer = '';
  while (!stop(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice('data: '.length)) as EmulatorEvent);
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('control API over HTTP', () => {
  let emulator: DiscordEmulator;
  let client: Client;
  let errors: unknown[];

  const control = async <T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> => {
    const response = await fetch(`${emulator.url}/_emulator${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    return { status: response.status, json: (await response.json()) as T };
  };

  beforeAll(async () => {
    emulator = await startEmulator();
    ({ client, errors } = await connectClient(emulator));
    client.on('interactionCreate', async (interaction) => {
      if (interaction.isChatInputCommand())
        await interaction.reply({ content: 'Pong', flags: MessageFlags.Ephemeral });
    });
    client.on('messageCreate', async (message) => {
      if (message.content === 'ping' && !message.author.bot) await message.reply('pong');
    });
    await client.application?.commands.set([{ name: 'ping', description: 'Ping the bot' }]);
  });

  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
  });

  it('describes the emulator and lists commands and the channel tree', async () => {
    const info = await control<{ apiUrl: string; applicationId: string }>('GET', '');
    expect(info.json).toMatchObject({ apiUrl: emulator.apiUrl, applicationId: emulator.applicationId });
    const commands = await control<Array<{ name: string }>>('GET', '/commands');
    expect(commands.json.map((command) => command.name)).toEqual(['ping']);
    const tree = await control<Array<{ name: string; children: Array<{ name: string }> }>>(
      'GET',
      '/guilds/Flexcord Support/channels',
    );
    expect(tree.json.map((node) => node.name)).toEqual(['bug-report', 'Support']);
    expect(tree.json[1]?.children.map((node) => node.name)).toEqual([
      'general',
      'announcements',
      'bot-muted',
    ]);
  });

  it('streams new messages as Server-Sent Events while a member talks to the bot', async () => {
    const stream = await fetch(`${emulator.url}/_emulator/events`);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reading = readEvents(stream, (events) =>
      events.some((event) => event.type === 'message.created' && event.message.content === 'pong'),
    );
    const sent = await control<{ id: string; content: string }>('POST', '/messages', {
      user: 'alice',
      channel: 'general',
      content: 'ping',
    });
    expect(sent.status).toBe(200);
    const events = await reading;
    const created = events
      .filter((event) => event.type === 'message.created')
      .map((event) => event.type === 'message.created' && event.message.content);
    expect(created).toEqual(['ping', 'pong']);
    const messages = await control<Array<{ content: string }>>('GET', '/channels/general/messages');
    expect(messages.json.map((message) => message.content).slice(-2)).toEqual(['ping', 'pong']);
  });

  it('runs a slash command for a member and answers with the bot response', async () => {
    const outcome = await control<{
      response: { kind: string; message: { content: string; flags: number; visible_to: string } };
    }>('POST', '/interactions/commands', { user: 'alice', channel: 'general', name: 'ping' });
    expect(outcome.json.response).toMatchObject({ kind: 'message', message: { content: 'Pong', flags: 64 } });
    const unknown = await control<{ error: { code: string } }>('POST', '/interactions/commands', {
      user: 'alice',
      name: 'nope',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
  });

  it('injects faults, closes DMs and drops the gateway', async () => {
    await control('POST', '/faults', { method: 'GET', path: '/users/@me', status: 500 });
    const faults = await control<unknown[]>('GET', '/faults');
    expect(faults.json).toHaveLength(1);
    await control('DELETE', '/faults');
    expect((await control<unknown[]>('GET', '/faults')).json).toEqual([]);

    await control('PATCH', '/users/alice', { dmsClosed: true });
    const alice = await client.users.fetch(emulator.control.user('alice').id);
    await expect(alice.send('hi')).rejects.toMatchObject({ code: 50007 });
    await control('PATCH', '/users/alice', { dmsClosed: false });
    await alice.send('hi again');

    const dropped = await control<{ dropped: number }>('POST', '/gateway/drop', { mode: 'reconnect' });
    expect(dropped.json.dropped).toBe(1);
    await expect.poll(() => emulator.control.gateway.sessions()[0]?.connected, { timeout: 3_000 }).toBe(true);
  });

  it('answers CORS preflight for browser pages', async () => {
    const response = await fetch(`${emulator.url}/_emulator/messages`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('no client errors', () => {
    expect(errors).toEqual([]);
  });
});
