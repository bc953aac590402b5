import { type BridgeProcess, eventually, freePort } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, TEST_DATABASE_URL } from './helpers/postgres.ts';
import { type PostgresProxy, startPostgresProxy } from './helpers/postgres-proxy.ts';
import { type Stack, spawnBridge, startStack } from './helpers/stack.ts';
import { conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();

/** The advisory-lock keys outbox lease owners take (outbox/lease-owner.ts). */
const OWNER_KEY_BASE = 0x6f77_0000;

/**
 * A member message reaches Flex exactly once even when the lease it was claimed under is lost
 * while Twilio is slow to answer its post: the lease owner's lock session is terminated, or
 * Postgres restarts, with two instances that could each claim the item again (#23).
 */
describe.skipIf(!withPostgres)('exactly once toward Twilio, whatever happens to the lease', () => {
  let stack: Stack;
  let proxy: PostgresProxy;
  const instances: BridgeProcess[] = [];
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack({ storage: 'postgres', inProcessBridge: false });
    proxy = await startPostgresProxy(TEST_DATABASE_URL);
    const databaseUrl = proxy.via(stack.env.DATABASE_URL!);
    // Both instances share the database through the proxy: a restart of it cuts both.
    for (const port of [stack.env.PORT!, String(await freePort())]) {
      instances.push(
        await spawnBridge(
          { ...stack.env, PORT: port, DATABASE_URL: databaseUrl, DISCORD_SHARD_POLL_SECONDS: '0.5' },
          { url: `http://127.0.0.1:${port}` },
        ),
      );
    }
    chat = await memberWithAgent(stack, 'pixelpat');
  }, 120_000);
  afterAll(async () => {
    for (const instance of instances) await instance.kill().catch(() => undefined);
    await proxy?.close();
    await stack?.stop();
  });

  const atAgent = () =>
    conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`).filter((body) =>
      body.startsWith('pr-'),
    );

  /** When the post Twilio holds has been answered (and created) for sure. */
  let heldUntil = 0;
  /** Twilio holds the next message post for `ms`, then creates it (a slow answer, not a lost one). */
  const slowNextPost = (ms: number) => {
    heldUntil = Date.now() + ms + 1_000;
    stack.twilio.control.injectFault({
      match: 'POST /conversations/v1/**/Messages',
      delayMs: ms,
      times: 1,
    });
  };

  /** Waits until the member's message `body` is being posted to Twilio. */
  const inFlight = (body: string) =>
    eventually(async () => {
      const { rows } = await stack.db.query<{ status: string }>(
        `SELECT status FROM outbox WHERE kind = 'twilio.message' AND payload->>'body' = $1`,
        [body],
      );
      return rows[0]?.status === 'inflight';
    }, `${body} in flight`);

  /** Both sides settled: nothing pending in the outbox, Twilio's held posts answered. */
  const settled = async () => {
    await eventually(
      async () => {
        const { rows } = await stack.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE kind = 'twilio.message' AND status IN ('pending', 'inflight')`,
        );
        return rows[0]?.n === 0;
      },
      'the outbox drained',
      60_000,
    );
    // The held post lands late: a duplicate shows only after it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, heldUntil - Date.now())));
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  };

  it("the lock session of the item's lease owner is terminated mid-post: Flex gets pr-1, pr-2, once each", async () => {
    slowNextPost(6_000);
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'pr-1' });
    await inFlight('pr-1');
    // Every lease owner's lock session of this run (this schema), as pg_terminate_backend does.
    const { rows } = await stack.db.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_locks
        WHERE locktype = 'advisory' AND objsubid = 2 AND granted
          AND classid::bigint = (hashtext(current_schema())::bigint + 4294967296) % 4294967296
          AND objid::bigint BETWEEN $1 AND $2`,
      [OWNER_KEY_BASE, OWNER_KEY_BASE + 0xffff],
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    // Twice a sweep's period: a sweep that takes the item for a stopped bridge's has run by now.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'pr-2' });
    await eventually(() => atAgent().includes('pr-2'), 'pr-2 at the agent', 60_000);
    await settled();
    expect(atAgent()).toEqual(['pr-1', 'pr-2']);
  }, 120_000);

  it('Postgres restarts mid-post: Flex gets pr-3, pr-4, once each', async () => {
    slowNextPost(6_000);
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'pr-3' });
    await inFlight('pr-3');
    await proxy.restart(2_000);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'pr-4' });
    await eventually(() => atAgent().includes('pr-4'), 'pr-4 at the agent', 60_000);
    await settled();
    expect(atAgent().filter((body) => body === 'pr-3' || body === 'pr-4')).toEqual(['pr-3', 'pr-4']);
  }, 120_000);
});
