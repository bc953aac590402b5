import { fileURLToPath } from 'node:url';
import type { DiscordEmulator, DiscordEmulatorOptions } from '@flexcord/discord-emulator';
import {
  type BridgeProcess,
  type BridgeProcessOptions,
  startBridgeProcess,
  startLocalStack,
} from '@flexcord/testkit';
import type { TwilioEmulator, TwilioEmulatorOptions } from '@flexcord/twilio-emulator';
import type { Twilio } from 'twilio';
import { type BridgeOptions, type RunningBridge, startBridge } from '../../src/bridge.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/infrastructure/db/database.ts';
import { communityFixture } from './fixture.ts';
import { freshSchema } from './postgres.ts';
import { quietLogger } from './quiet-logger.ts';

export const KB_DIR = fileURLToPath(new URL('../../kb', import.meta.url));

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
  twilioOptions?: TwilioEmulatorOptions;
  /** Start the bridge in this process (default), or leave it to the test (a child process). */
  inProcessBridge?: boolean;
  discordOptions?: DiscordEmulatorOptions;
  /** What "now" is for the bridge's support hours and queue notices (default: the wall clock). */
  now?: BridgeOptions['now'];
  /** The embedded database's maintenance pace (default: the bridge's). */
  maintenance?: BridgeOptions['maintenance'];
}

/**
 * The whole product on loopback (the testkit's local stack: both emulators, the Studio flow from
 * `flows/` deployed through the real Studio API, TaskRouter's callback at the bridge) with this
 * bridge's `startBridge` in this process — the real discord.js and twilio SDKs everywhere.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const schema = options.storage === 'postgres' ? await freshSchema() : null;
  const db = await openDatabase({ databaseUrl: schema?.url, pgliteDir: 'memory://' });
  const bridgeOptions: BridgeOptions = {
    db,
    logger: quietLogger(),
    watchKb: false,
    outbox: { pollIntervalMs: 50 },
    ...(options.now ? { now: options.now } : {}),
    ...(options.maintenance ? { maintenance: options.maintenance } : {}),
  };
  const local = await startLocalStack({
    discord: { fixture: communityFixture, ...options.discordOptions },
    ...(options.twilioOptions ? { twilio: options.twilioOptions } : {}),
    env: {
      NODE_ENV: 'test',
      KB_DIR,
      BUG_COOLDOWN_SECONDS: '60',
      ...options.env,
      ...(schema ? { DATABASE_URL: schema.url } : {}),
    },
    ...(options.inProcessBridge === false
      ? {}
      : { startBridge: (env: Record<string, string>) => startBridge(loadConfig(env), bridgeOptions) }),
  }).catch(async (error: unknown) => {
    await db.close();
    await schema?.drop();
    throw error;
  });

  const stack: Stack = {
    discord: local.discord,
    twilio: local.twilio,
    client: local.client,
    config: loadConfig(local.env),
    env: local.env,
    db,
    bridge: local.bridge ?? (null as unknown as RunningBridge),
    async restartBridge() {
      stack.bridge = await local.restartBridge();
      return stack.bridge;
    },
    async stop() {
      await local.stop();
      await db.close();
      await schema?.drop();
    },
  };
  return stack;
}

/**
 * The bridge as its own process (`src/bin/main.ts`, as in production) with `env`, so a test can
 * SIGKILL it; its logs at TEST_LOG_LEVEL (default warn).
 */
export function spawnBridge(
  env: Record<string, string>,
  options: Omit<BridgeProcessOptions, 'env'> = {},
): Promise<BridgeProcess> {
  return startBridgeProcess({ ...options, env: { ...env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' } });
}
