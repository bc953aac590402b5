import { type BridgeProcess, eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, spawnBridge, startStack } from './helpers/stack.ts';
import { botDm, conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();
const COUNT = 150;

/**
 * The bridge process killed with SIGKILL in the middle of a conversation, then started again: what
 * was in flight and what was said while it was down all arrives, nothing twice.
 */
describe.skipIf(!withPostgres)('a bridge killed mid-stream (Postgres)', () => {
  let stack: Stack;
  let bridge: BridgeProcess | null = null;

  beforeAll(async () => {
    stack = await startStack({
      storage: 'postgres',
      inProcessBridge: false,
      twilioOptions: { webhookRetries: 1, webhookRetryDelayMs: 50 },
    });
    bridge = await spawnBridge(stack.env);
  }, 90_000);
  afterAll(async () => {
    await bridge?.kill();
    await stack?.stop();
  });

  it('delivers the rest after a restart, none twice', async () => {
    const chat = await memberWithAgent(stack, 'pixelpat');
    const memberTexts = Array.from({ length: COUNT }, (_, i) => `member ${i}`);
    const agentTexts = Array.from({ length: COUNT }, (_, i) => `agent ${i}`);
    const send = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        stack.discord.control.sendMessage({ user: 'pixelpat', content: memberTexts[i]! });
        stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: agentTexts[i]! });
      }
    };
    send(0, 100);
    await eventually(
      () => botDm(stack, 'pixelpat').filter((t) => t.startsWith('agent ')).length >= 20,
      'some deliveries',
    );
    await bridge!.kill();
    // While the bridge is down, both sides keep talking.
    send(100, COUNT);
    await bridge!.restart();

    const memberAtAgent = () =>
      conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`).filter((b) =>
        b.startsWith('member '),
      );
    await eventually(() => memberAtAgent().length >= COUNT, 'every member message at the agent', 90_000);
    await eventually(
      () => botDm(stack, 'pixelpat').filter((t) => t.startsWith('agent ')).length >= COUNT,
      'every agent message in the DM',
      90_000,
    );
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(memberAtAgent()).toEqual(memberTexts);
    expect(botDm(stack, 'pixelpat').filter((t) => t.startsWith('agent '))).toEqual(agentTexts);
  }, 180_000);

  it('an item the killed bridge was delivering goes out at restart, not when its 30 s lease runs out', async () => {
    // Pat's chat with Dana from the story above is still open.
    const userId = stack.discord.control.user('pixelpat').id;
    const { rows: open } = await stack.db.query<{ sid: string }>(
      `SELECT sid FROM conversations WHERE discord_user_id = $1 AND state <> 'closed'`,
      [userId],
    );
    const chat = { conversationSid: open[0]!.sid };
    // Discord holds the next message POST long enough for the bridge to die while delivering it.
    const held = stack.discord.control.faults.inject({
      method: 'POST',
      path: '/channels/:id/messages',
      delayMs: 120_000,
    });
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'held when the bridge died',
    });
    await eventually(async () => {
      const { rows } = await stack.db.query<{ status: string }>(
        `SELECT status FROM outbox WHERE kind = 'discord.message' AND payload->>'content' LIKE '%held when the bridge died'`,
      );
      return rows[0]?.status === 'inflight';
    }, 'the delivery in flight');
    await bridge!.kill();
    stack.discord.control.faults.remove(held.id);
    const restartedAt = Date.now();
    await bridge!.restart();
    await eventually(
      () => botDm(stack, 'pixelpat').includes('held when the bridge died'),
      'the held message in the DM',
      20_000,
    );
    // Well inside the 30 s the lease would have held it.
    expect(Date.now() - restartedAt).toBeLessThan(20_000);
    expect(botDm(stack, 'pixelpat').filter((text) => text === 'held when the bridge died')).toHaveLength(1);
  }, 120_000);

  it("keeps a member's order when they write while the restarted bridge is catching up", async () => {
    const chat = await memberWithAgent(stack, 'maude');
    const atAgent = () =>
      conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`).filter((body) =>
        /^(down|live) \d+$/.test(body),
      );
    await bridge!.kill();
    // Three pages of history for the catch-up to read.
    const down = Array.from({ length: 300 }, (_, i) => `down ${i}`);
    for (const content of down) stack.discord.control.sendMessage({ user: 'maude', content });
    const sessionsBefore = new Set(
      stack.discord.control.gateway.sessions().map((session) => session.session_id),
    );
    const restarted = spawnBridge(stack.env);
    // As soon as the new gateway session is up, Maude keeps writing: these DMs arrive live while the
    // catch-up is still relaying the ones she wrote while the bridge was down.
    await eventually(
      () =>
        stack.discord.control.gateway
          .sessions()
          .some((session) => session.connected && !sessionsBefore.has(session.session_id)),
      'the new gateway session',
      60_000,
    );
    const live = Array.from({ length: 200 }, (_, i) => `live ${i}`);
    for (const content of live) {
      stack.discord.control.sendMessage({ user: 'maude', content });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    bridge = await restarted;
    const sent = [...down, ...live];
    await eventually(() => atAgent().length >= sent.length, 'every message at the agent', 90_000);
    await stack.twilio.control.settle();
    const received = atAgent();
    const position = new Map(sent.map((text, index) => [text, index]));
    let inversions = 0;
    for (let i = 0; i < received.length; i++)
      for (let j = i + 1; j < received.length; j++)
        if (position.get(received[i]!)! > position.get(received[j]!)!) inversions += 1;
    expect({ inversions, count: received.length }).toEqual({ inversions: 0, count: sent.length });
    expect(received).toEqual(sent);
  }, 180_000);
});
