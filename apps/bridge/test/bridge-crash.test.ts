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
});
