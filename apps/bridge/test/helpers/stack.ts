import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type DiscordEmulator, startDiscordEmulator } from '@flexcord/discord-emulator';
import { twilioClientOptions } from '@flexcord/twilio-client';
import { startTwilioEmulator, type TwilioEmulator } from '@flexcord/twilio-emulator';
import twilio, { type Twilio } from 'twilio';
import { type RunningBridge, startBridge } from '../../src/bridge.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { connectTwilioToBridge } from '../../src/twilio/deploy-flow.ts';
import { communityFixture } from './fixture.ts';
import { freshSchema } from './postgres.ts';
import { quietLogger } from './quiet-logger.ts';

export const KB_DIR = fileURLToPath(new URL('../../kb', import.meta.url));

/** A free loopback port, so the bridge's public URL is known before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

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
  const client = twilio(
    twilioEmulator.accountSid,
    twilioEmulator.authToken,
    twilioClientOptions(twilioEmulator.url),
  );
  const port = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const flow = await connectTwilioToBridge(client, {
    publicBaseUrl,
    workspaceSid: twilioEmulator.workspaceSid,
    workflowSid: twilioEmulator.workflowSid,
    chatTaskChannelSid: twilioEmulator.chatTaskChannelSid,
  });

  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: publicBaseUrl,
    DISCORD_TOKEN: discord.botToken,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    TWILIO_ACCOUNT_SID: twilioEmulator.accountSid,
    TWILIO_AUTH_TOKEN: twilioEmulator.authToken,
    TWILIO_API_BASE_URL: twilioEmulator.url,
    TWILIO_CONVERSATIONS_SERVICE_SID: twilioEmulator.conversationsServiceSid,
    TWILIO_STUDIO_FLOW_SID: flow.sid,
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
