import { eventually } from '@flexcord/testkit';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, memberWithAgent } from './helpers/story-steps.ts';

const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

/** Bad input gets a clear refusal, never a crash, and never costs a message. */
describe('bad input', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack();
    chat = await memberWithAgent(stack, 'pixelpat');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** POSTs a form to the bridge as Twilio would, signed for the public URL (or with `signature`). */
  const post = (path: string, params: Record<string, string>, signature?: string | null) => {
    const publicUrl = `${stack.config.PUBLIC_BASE_URL}${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const signed =
      signature === undefined
        ? twilio.getExpectedTwilioSignature(stack.config.TWILIO_AUTH_TOKEN, publicUrl, params)
        : signature;
    if (signed !== null) headers['x-twilio-signature'] = signed;
    return fetch(`${stack.bridge.url}${path}`, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params),
    });
  };

  const agentMessage = (overrides: Record<string, string> = {}) => ({
    AccountSid: stack.config.TWILIO_ACCOUNT_SID,
    ChatServiceSid: stack.config.TWILIO_CONVERSATIONS_SERVICE_SID,
    ConversationSid: chat.conversationSid,
    EventType: 'onMessageAdded',
    Source: 'SDK',
    MessageSid: sid('IM', 424242),
    Index: '9999',
    Author: 'dana@example.com',
    Body: 'forged hello',
    Attributes: '{}',
    DateCreated: new Date().toISOString(),
    ...overrides,
  });

  it('refuses a webhook without a signature (400) or with a forged one (403)', async () => {
    const missing = await post('/webhooks/twilio/conversations', agentMessage(), null);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'signature_missing' } });
    const forged = await post('/webhooks/twilio/conversations', agentMessage(), 'bm90IGEgc2lnbmF0dXJl');
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'signature_invalid' } });
    // Signed for other parameters: the body was tampered with.
    const publicUrl = `${stack.config.PUBLIC_BASE_URL}/webhooks/twilio/conversations`;
    const other = twilio.getExpectedTwilioSignature(
      stack.config.TWILIO_AUTH_TOKEN,
      publicUrl,
      agentMessage({ Body: 'innocent' }),
    );
    expect((await post('/webhooks/twilio/conversations', agentMessage(), other)).status).toBe(403);
    expect(botDm(stack, 'pixelpat')).not.toContain('forged hello');
  });

  it('answers a malformed but signed form with 400 and the reason', async () => {
    const response = await post(
      '/webhooks/twilio/conversations',
      agentMessage({ MessageSid: 'IMnope', Index: 'first' }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; message: string; issues: { path: string }[] };
    };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues.map((issue) => issue.path).sort()).toEqual(['Index', 'MessageSid']);
    const unknownEvent = await post(
      '/webhooks/twilio/conversations',
      agentMessage({ EventType: 'onSomethingNew' }),
    );
    expect(unknownEvent.status).toBe(400);
  });

  it('answers 404 for a conversation it does not know, on every endpoint', async () => {
    const stranger = sid('CH', 777);
    const webhook = await post('/webhooks/twilio/conversations', agentMessage({ ConversationSid: stranger }));
    expect(webhook.status).toBe(404);
    expect(await webhook.json()).toMatchObject({ error: { code: 'unknown_conversation' } });
    const bot = await post('/webhooks/twilio/bot', {
      ConversationSid: stranger,
      MessageSid: sid('IM', 1),
      Author: 'discord:123456789012345678',
      Body: 'hi',
    });
    expect(bot.status).toBe(404);
  });

  it('refuses an oversize body with 413 instead of reading it', async () => {
    const response = await post(
      '/webhooks/twilio/conversations',
      agentMessage({ Body: 'x'.repeat(300_000) }),
    );
    expect(response.status).toBe(413);
  });

  it('keeps working after all that: a real agent message still arrives once', async () => {
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'still here' });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'still here' });
    expect(botDm(stack, 'pixelpat').filter((text) => text === 'still here')).toHaveLength(1);
    const health = await fetch(`${stack.bridge.url}/readyz`);
    expect(await health.json()).toMatchObject({
      status: 'ready',
      checks: { database: true, discord: true, started: true },
    });
  });

  it('greets a member who DMs the bot without /helpme, instead of ignoring them', async () => {
    stack.discord.control.sendMessage({ user: 'lucia', content: 'no recibí mis shards' });
    const answer = await stack.discord.control.waitForMessage({
      dmWith: 'lucia',
      predicate: (message) => message.embeds.length > 0,
    });
    expect(JSON.stringify(answer.embeds)).toContain('no-recibi-mis-shards-es');
  });

  it('tells a member with closed DMs how to open them, ephemerally', async () => {
    const outcome = await stack.discord.control.runCommand({
      user: 'quietbob',
      name: 'helpme',
      channel: 'help',
    });
    const reply = await (async () => {
      for (let i = 0; i < 200; i++) {
        const original = stack.discord.control.interaction(outcome.interactionId).original;
        if (original?.content) return original;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return null;
    })();
    expect(reply?.content).toContain("I couldn't send you a DM");
    expect(reply?.visible_to).toBe(stack.discord.control.user('quietbob').id);
  });
});

describe('a chat whose conversation is gone from Twilio', () => {
  it('is closed at start instead of being reused, and the next /helpme opens a new one', async () => {
    const stack = await startStack();
    try {
      const chat = await memberWithAgent(stack, 'pixelpat');
      await stack.bridge.stop();
      // Deleted behind the bridge's back (a retention policy, a reset account).
      await stack.client.conversations.v1
        .services(stack.config.TWILIO_CONVERSATIONS_SERVICE_SID)
        .conversations(chat.conversationSid)
        .remove();
      await stack.restartBridge();
      const [row] = (
        await stack.db.query<{ state: string }>('SELECT state FROM conversations WHERE sid = $1', [
          chat.conversationSid,
        ])
      ).rows;
      expect(row?.state).toBe('closed');
      await stack.discord.control.runCommand({ user: 'pixelpat', name: 'helpme', channel: 'help' });
      await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'is still open' });
      const { rows } = await stack.db.query<{ sid: string }>(
        `SELECT sid FROM conversations WHERE state <> 'closed'`,
      );
      expect(rows.map((open) => open.sid)).not.toContain(chat.conversationSid);
      expect(rows).toHaveLength(1);
    } finally {
      await stack.stop();
    }
  });

  it('a member message still queued for it ends as a dead letter, counted in /metrics, not retried forever', async () => {
    const stack = await startStack();
    try {
      const chat = await memberWithAgent(stack, 'pixelpat');
      // Twilio is down when the member writes: the message waits in the outbox.
      stack.twilio.control.injectFault({ match: 'POST /conversations/v1/**/Messages', status: 503 });
      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'are you still there?' });
      const queued = () =>
        stack.db.query<{ status: string; attempts: number; last_error: string | null }>(
          `SELECT status, attempts, last_error FROM outbox
           WHERE kind = 'twilio.message' AND payload->>'body' = 'are you still there?'`,
        );
      await eventually(async () => (await queued()).rows[0]?.attempts, 'a failed delivery attempt');
      await stack.bridge.stop();
      stack.twilio.control.clearFaults();
      await stack.client.conversations.v1
        .services(stack.config.TWILIO_CONVERSATIONS_SERVICE_SID)
        .conversations(chat.conversationSid)
        .remove();
      await stack.restartBridge();

      const [dead] = await eventually(
        async () => {
          const { rows } = await queued();
          return rows[0]?.status === 'dead' ? rows : undefined;
        },
        'the delivery to be given up',
        30_000,
      );
      expect(dead?.last_error).toContain('Twilio 404');
      // Counted once the mark has committed. The notice telling the agent (#17) goes to the same vanished
      // conversation and ends dead too, so the count is the member's message and that notice.
      await eventually(
        async () => {
          const metrics = await (await fetch(`${stack.bridge.url}/metrics`)).text();
          return /flexcord_outbox_deliveries_total\{kind="twilio\.message",result="dead"\} 2\b/.test(metrics);
        },
        'the dead letter counted in /metrics',
        30_000,
      );
    } finally {
      await stack.stop();
    }
  }, 60_000);
});
