import { fileURLToPath } from 'node:url';
import { type CaseDetailResponse, CaseDetailResponseSchema } from '@flexcord/contracts';
import type { DiscordEmulator, Fixture } from '@flexcord/discord-emulator';
import { type BridgeProcess, type LocalStack, startBridgeProcess, startLocalStack } from '@flexcord/testkit';
import type { TwilioEmulator } from '@flexcord/twilio-emulator';

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
  bridge: BridgeProcess;
  /** A case as the bridge stores it, read through its plugin API with Dana's Flex token. */
  readCase(caseNumber: number): Promise<CaseDetailResponse>;
  stop(): Promise<void>;
}

/**
 * The product on loopback, as the agent desktop meets it (the testkit's local stack): the Discord
 * and Twilio emulators, the Studio flow from `flows/` deployed through the real Studio API, and the
 * bridge in its own process as in production (`src/bin/main.ts`, in-memory PGlite) with CORS open to
 * the host page's origin.
 */
export async function startFlexcordStack({
  corsOrigin,
  fixture: serverFixture = fixture,
}: {
  corsOrigin: string;
  /** Another Discord server (more members, forum channels). */
  fixture?: Fixture;
}): Promise<FlexcordStack> {
  const local: LocalStack = await startLocalStack({
    discord: { fixture: serverFixture },
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', KB_DIR, CORS_ORIGINS: corsOrigin, PGLITE_DIR: 'memory://' },
  });
  const bridge = await startBridgeProcess({ env: local.env }).catch(async (error: unknown) => {
    await local.stop();
    throw error;
  });
  const { token } = local.twilio.control.issueFlexToken('Dana');

  return {
    discord: local.discord,
    twilio: local.twilio,
    bridge,
    async readCase(caseNumber) {
      const response = await fetch(`${bridge.url}/api/cases/${caseNumber}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok)
        throw new Error(`GET /api/cases/${caseNumber}: ${response.status} ${await response.text()}`);
      return CaseDetailResponseSchema.parse(await response.json());
    },
    async stop() {
      await bridge.stop();
      await local.stop();
    },
  };
}
