import { fileURLToPath } from 'node:url';
import { type DiscordEmulator, startDiscordEmulator } from '@flexcord/discord-emulator';
import { startTwilioEmulator, type TwilioEmulator } from '@flexcord/twilio-emulator';
import type { Twilio } from 'twilio';
import { type RunningBridge, startBridge } from '../../src/bridge.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { freePort, prepareLocalBridge } from '../../src/local-bridge.ts';
import { communityFixture } from './fixture.ts';
import { freshSchema } from './postgres.ts';
import { quietLogger } from './quiet-logger.ts';

export const KB_DIR = fileURLToPath(new URL('../../kb', import.meta.url));

export { freePort };

export interface Stack {
  discord: DiscordEmulator;
  twilio: TwilioEmulator;
  /** The real twilio-node client on the emulator, as a test's own Twilio console. */
  client: Twilio;
  config: Config;
  /** The environment that configures this bridge (for a bridge in a child process). */
  env: Record<string, string>;
  db: Database;
  bridge: RunningBridge;
  /** Stops and starts the bridge on the same database (a restart). */
  restartBridge(): Promise<RunningBridge>;
  stop(): Promise<void>;
}

export type Storage = 'pglite' | 'postgres';

export interface StackOptions {
  /** An in-memory PGlite (default), or a fresh schema on the test Postgres server. */
  storage?: Storage;
  env?: Record<string, string>;
  twilioOptions?: Parameters<typeof startTwilioEmulator>[0];
  /** Start the bridge in this process (default), or leave it to the test (a child process). */
  inProcessBridge?: boolean;
  discordOptions?: Parameters<typeof startDiscordEmulator>[0];
}

/**
 * The whole product on loopback: the Discord and Twilio emulators, the Studio flow deployed from
 * `flows/` through the real Studio API, TaskRouter's event callback pointed at the bridge, and the
 * bridge itself — the real discord.js and twilio SDKs everywhere.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const discord = await startDiscordEmulator({ fixture: communityFixture, ...options.discordOptions });
  const twilioEmulator = await startTwilioEmulator({ webhookRetryDelayMs: 100, ...options.twilioOptions });
  const local = await prepareLocalBridge(discord, twilioEmulator);
  const { client, publicBaseUrl } = local;

  const env: Record<string, string> = {
    ...local.env,
    NODE_ENV: 'test',
    KB_DIR,
    BUG_COOLDOWN_SECONDS: '60',
    ...options.env,
  };
  const config = loadConfig(env);
  const schema = options.storage === 'postgres' ? await freshSchema() : null;
  const db = await openDatabase({ databaseUrl: schema?.url, pgliteDir: 'memory://' });
  if (schema) env.DATABASE_URL = schema.url;
  const bridgeOptions = { db, logger: quietLogger(), watchKb: false, outbox: { pollIntervalMs: 50 } };
  let bridge =
    options.inProcessBridge === false
      ? (null as unknown as RunningBridge)
      : await startBridge(config, bridgeOptions);

  const stack: Stack = {
    discord,
    twilio: twilioEmulator,
    client,
    config,
    env,
    db,
    bridge,
    async restartBridge() {
      await bridge.stop();
      bridge = await startBridge(config, bridgeOptions);
      stack.bridge = bridge;
      return bridge;
    },
    async stop() {
      await bridge?.stop().catch(() => undefined);
      await twilioEmulator.stop();
      await discord.stop();
      await db.close();
      await schema?.drop();
    },
  };
  return stack;
}
