import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, conversationBodies, memberWithAgent, replayWebhook } from './helpers/story-steps.ts';

const COUNT = 500;

/**
 * The relay under a hostile network: 10% of Discord and Twilio API calls fail (429 or 5xx) or are
 * slow, and every message still arrives exactly once and in order, both ways.
 */
describe('relaying through faults', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack();
    chat = await memberWithAgent(stack, 'pixelpat');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`delivers ${COUNT} messages each way exactly once and in order with 10% of API calls failing`, async () => {
    const { discord, twilio: twilioEmulator } = stack;
    discord.control.faults.random({ percent: 7, seed: 7, status: 500, path: '/channels/**' });
    discord.control.faults.inject({
      path: '/channels/:id/messages',
      method: 'POST',
      status: 429,
      retryAfter: 0.05,
      times: 25,
    });
    twilioEmulator.control.injectFault({
      match: 'POST /conversations/v1/**/Messages',
      status: 500,
      probability: 0.05,
    });
    twilioEmulator.control.injectFault({
      match: 'POST /conversations/v1/**/Messages',
      status: 429,
      retryAfterSeconds: 0,
      probability: 0.03,
    });
    twilioEmulator.control.injectFault({
      match: 'POST /conversations/v1/**/Messages',
      delayMs: 150,
      probability: 0.02,
    });

    const memberTexts = Array.from({ length: COUNT }, (_, i) => `member message ${i}`);
    const agentTexts = Array.from({ length: COUNT }, (_, i) => `agent message ${i}`);
    for (let i = 0; i < COUNT; i++) {
      discord.control.sendMessage({ user: 'pixelpat', content: memberTexts[i]! });
      twilioEmulator.control.sendAgentMessage('Dana', chat.conversationSid, { body: agentTexts[i]! });
    }

    await eventually(
      () => conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`).length >= COUNT + 1,
      'member messages at the agent',
      120_000,
    );
    await eventually(
      () => botDm(stack, 'pixelpat').filter((text) => text.startsWith('agent message')).length >= COUNT,
      'agent messages in the DM',
      120_000,
    );
    await twilioEmulator.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const atAgent = conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`).filter((body) =>
      body.startsWith('member message'),
    );
    expect(atAgent).toEqual(memberTexts);
    expect(botDm(stack, 'pixelpat').filter((text) => text.startsWith('agent message'))).toEqual(agentTexts);
    // The faults really happened.
    expect(
      discord.control.requests({ method: 'POST' }).filter((request) => request.faulted).length,
    ).toBeGreaterThan(10);
  }, 180_000);

  it('a replayed Twilio webhook changes nothing', async () => {
    const { twilio: twilioEmulator } = stack;
    twilioEmulator.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'replay me once' });
    await eventually(() => botDm(stack, 'pixelpat').includes('replay me once'), 'the agent message');
    const delivery = twilioEmulator.control
      .deliveries({ eventType: 'onMessageAdded', conversationSid: chat.conversationSid })
      .find((candidate) => candidate.params.Body === 'replay me once');
    expect(delivery).toBeDefined();
    const response = await replayWebhook(stack, delivery!);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: 'duplicate' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(botDm(stack, 'pixelpat').filter((text) => text === 'replay me once')).toHaveLength(1);
  });

  it('replayed gateway events change nothing', async () => {
    const { discord, db } = stack;
    discord.control.faults.clear();
    discord.control.sendMessage({ user: 'pixelpat', content: 'only once please' });
    await eventually(
      () => conversationBodies(stack, chat.conversationSid).includes('only once please'),
      'the member message at the agent',
    );
    const before = conversationBodies(stack, chat.conversationSid).length;
    // Forget how far the bridge read, and make the gateway start a new session: on READY the bridge
    // reads the DM history again, i.e. sees every one of those messages a second time.
    await db.query('UPDATE conversations SET last_discord_message_id = $1 WHERE sid = $2', [
      discord.control.dmMessages('pixelpat')[0]!.id,
      chat.conversationSid,
    ]);
    const historyReads = () =>
      discord.control.requests({ method: 'GET', path: `/channels/${chat.dmChannelId}/messages` }).length;
    const readsBefore = historyReads();
    const oldSessions = new Set(discord.control.gateway.sessions().map((session) => session.session_id));
    discord.control.gateway.drop({ mode: 'invalid-session', resumable: false });
    await eventually(
      () =>
        discord.control.gateway
          .sessions()
          .some((session) => session.connected && !oldSessions.has(session.session_id)),
      'a new gateway session',
      30_000,
    );
    await eventually(() => historyReads() > readsBefore, 'the bridge reading the DM history again');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stack.twilio.control.settle();
    expect(conversationBodies(stack, chat.conversationSid).length).toBe(before);
  });
});
