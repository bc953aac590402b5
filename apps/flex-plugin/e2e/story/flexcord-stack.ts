import { fileURLToPath } from 'node:url';
import {
  createLogger,
  loadConfig,
  openDatabase,
  prepareLocalBridge,
  type RunningBridge,
  startBridge,
} from '@flexcord/bridge';
import { type DiscordEmulator, type Fixture, startDiscordEmulator } from '@flexcord/discord-emulator';
import { startTwilioEmulator, type TwilioEmulator } from '@flexcord/twilio-emulator';

/** The knowledge base of these tests: three small articles the plugin searches and inserts. */
const KB_DIR = fileURLToPath(new URL('../fixtures/kb', import.meta.url));

/** A Discord server with a #help channel and one member, Mika. */
const fixture: Fixture = {
  users: [{ username: 'mika_plays', global_name: 'Mika', locale: 'en-US' }],
  guilds: [
    {
      name: 'Starfall Arena',
      members: [{ user: 'mika_plays' }],
      channels: [{ name: 'help', topic: 'Run /helpme to talk to support' }],
    },
  ],
};

export interface FlexcordStack {
  discord: DiscordEmulator;
  twilio: TwilioEmulator;
  bridge: RunningBridge;
  stop(): Promise<void>;
}

/**
 * The product on loopback, as the agent desktop meets it: the Discord and Twilio emulators, the
 * Studio flow from `flows/` deployed through the real Studio API, and the bridge (its real
 * `startBridge`) with CORS open to the host page's origin.
 */
export async function startFlexcordStack({
  corsOrigin,
  fixture: serverFixture = fixture,
}: {
  corsOrigin: string;
  /** Another Discord server (more members, forum channels). */
  fixture?: Fixture;
}): Promise<FlexcordStack> {
  const discord = await startDiscordEmulator({ fixture: serverFixture });
  const twilioEmulator = await startTwilioEmulator({ webhookRetryDelayMs: 100 });
  const local = await prepareLocalBridge(discord, twilioEmulator);

  const config = loadConfig({
    ...local.env,
    NODE_ENV: 'test',
    KB_DIR,
    CORS_ORIGINS: corsOrigin,
  });
  const db = await openDatabase({ pgliteDir: 'memory://' });
  const bridge = await startBridge(config, {
    db,
    logger: createLogger('silent'),
    watchKb: false,
    outbox: { pollIntervalMs: 50 },
  });

  return {
    discord,
    twilio: twilioEmulator,
    bridge,
    async stop() {
      await bridge.stop().catch(() => undefined);
      await twilioEmulator.stop();
      await discord.stop();
      await db.close();
    },
  };
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
