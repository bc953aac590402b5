import { Client, type ClientOptions, GatewayIntentBits, Partials } from 'discord.js';
import { type DiscordEmulator, type DiscordEmulatorOptions, startDiscordEmulator } from '../src/index.ts';
import { testFixture } from './fixture.ts';

export const defaultIntents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

/** Starts an emulator with the test fixture. */
export function startEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  return startDiscordEmulator({ fixture: testFixture, ...options });
}

/** A real discord.js client pointed at the emulator, logged in and ready; errors are collected. */
export async function connectClient(
  emulator: DiscordEmulator,
  options: Partial<ClientOptions> = {},
): Promise<{ client: Client; errors: unknown[] }> {
  const client = new Client({
    intents: defaultIntents,
    partials: [Partials.Channel],
    rest: { api: emulator.apiUrl, offset: 0 },
    waitGuildTimeout: 1_000,
    ...options,
  });
  const errors: unknown[] = [];
  client.on('error', (error) => errors.push(error));
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(emulator.botToken);
  await ready;
  return { client, errors };
}

/** Resolves when `emitter` emits `event` with arguments passing `filter`. */
export function nextEvent<T extends unknown[]>(
  emitter: {
    on(event: string, listener: (...args: T) => void): unknown;
    off(event: string, listener: (...args: T) => void): unknown;
  },
  event: string,
  filter: (...args: T) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`No ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: T) => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    };
    emitter.on(event, listener);
  });
}
