import { type BridgeProcess, eventually, startBridgeProcess } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, TEST_DATABASE_URL } from './helpers/postgres.ts';
import { type PostgresProxy, startPostgresProxy } from './helpers/postgres-proxy.ts';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();

/** `GET /readyz` of the bridge: its status and how long the answer took. */
async function readiness(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
  return { status: response?.status ?? 0, ms: performance.now() - started };
}

/**
 * The bridge's database goes away (a server restart) or hangs (a stall): the bridge process lives
 * on, says it is not ready within a second meanwhile, and relays again when the database is back.
 */
describe.skipIf(!withPostgres)('a bridge whose Postgres restarts or stalls', () => {
  let stack: Stack;
  let proxy: PostgresProxy;
  let bridge: BridgeProcess | null = null;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack({ storage: 'postgres', inProcessBridge: false });
    proxy = await startPostgresProxy(TEST_DATABASE_URL);
    bridge = await startBridgeProcess({
      env: {
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        ...stack.env,
        DATABASE_URL: proxy.via(stack.env.DATABASE_URL!),
      },
    });
    chat = await memberWithAgent(stack, 'pixelpat');
  }, 90_000);
  afterAll(async () => {
    await bridge?.kill();
    await proxy?.close();
    await stack?.stop();
  });

  const atAgent = () => conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`);
  const alive = () => bridge!.process.exitCode === null && bridge!.process.signalCode === null;

  it('lives through a Postgres restart, answers 503 while it is down, and relays after', async () => {
    const restarted = proxy.restart(3_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await readiness(stack.env.PUBLIC_BASE_URL!);
    expect(during.status, bridge!.output().slice(-1_500)).toBe(503);
    expect(during.ms).toBeLessThan(1_000);
    await restarted;
    await eventually(async () => (await readiness(stack.env.PUBLIC_BASE_URL!)).status === 200, 'ready again');
    expect(alive(), bridge!.output().slice(-2_000)).toBe(true);
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'after the restart' });
    await eventually(() => atAgent().includes('after the restart'), 'the message at the agent', 30_000);
    expect(atAgent().filter((body) => body === 'after the restart')).toHaveLength(1);
  }, 60_000);

  it('answers 503 within a second while Postgres stalls, and relays what was said meanwhile', async () => {
    const stalled = proxy.stall(10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'during the stall' });
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'agent during the stall' });
    for (let probe = 0; probe < 3; probe++) {
      const during = await readiness(stack.env.PUBLIC_BASE_URL!);
      expect(during.status, bridge!.output().slice(-1_500)).toBe(503);
      expect(during.ms).toBeLessThan(1_000);
    }
    await stalled;
    await eventually(async () => (await readiness(stack.env.PUBLIC_BASE_URL!)).status === 200, 'ready again');
    await eventually(() => atAgent().includes('during the stall'), 'the member message at the agent', 30_000);
    await eventually(
      () => botDm(stack, 'pixelpat').includes('agent during the stall'),
      'the agent message in the DM',
      30_000,
    );
    expect(alive()).toBe(true);
  }, 90_000);
});
