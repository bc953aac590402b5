import {
  DecidePhrasingResponseSchema,
  KbGapsResponseSchema,
  ProposePhrasingResponseSchema,
} from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';

/**
 * Learning from agents (#27): a question the bot missed, answered by an agent with a KB article
 * (the KB button), is proposed in the gaps report; once a supervisor approves it, the bot answers
 * that question with that article the next time. Through the real path: discord.js on the Discord
 * emulator, the Studio flow on the Twilio emulator, the bridge, and the plugin's API.
 */
describe('a phrasing learned from an agent answers the question next time, once a supervisor approves it', () => {
  let stack: Stack;
  let conversationSid = '';
  const QUESTION = 'someone keeps harassing me in voice';

  beforeAll(async () => {
    stack = await startStack({
      twilioOptions: {
        agents: [
          { name: 'Dana', email: 'dana@example.com' },
          { name: 'Sam', email: 'sam@example.com', roles: ['supervisor'], available: false },
        ],
      },
    });
    await stack.discord.control.runCommand({ user: 'pixelpat', name: 'helpme', channel: 'help' });
    await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (m) => /Hi|Hola/.test(m.content),
    });
    conversationSid = await eventually(async () => {
      const [open] = await stack.client.conversations.v1.participantConversations.list({
        identity: `discord:${stack.discord.control.user('pixelpat').id}`,
      });
      return open?.conversationSid;
    }, 'the member’s Conversation');
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  type Message = ReturnType<Stack['discord']['control']['dmMessages']>[number];
  const ask = async (content: string): Promise<Message> => {
    const before = stack.discord.control.dmMessages('pixelpat').length;
    stack.discord.control.sendMessage({ user: 'pixelpat', content });
    return eventually(() => {
      const after = stack.discord.control.dmMessages('pixelpat').slice(before);
      return after.find((message) => message.author.id === stack.discord.control.botUserId);
    }, `the bot's answer to "${content}"`);
  };
  const as = async (agent: string, path: string, body?: unknown) => {
    const { token } = stack.twilio.control.issueFlexToken(agent);
    return fetch(`${stack.bridge.url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };

  let phrasingId = '';

  it('the bot misses the question; the agent answers it with an article through the KB button, and the pair is proposed', async () => {
    const missed = await ask(QUESTION);
    expect(
      missed.embeds
        .flatMap((embed) => embed.fields ?? [])
        .map((field) => field.value)
        .join(),
    ).not.toContain('report-player-cheating');
    const response = await as('Dana', '/kb/gaps/phrasings', {
      conversationSid,
      slug: 'report-player-cheating',
    });
    expect(response.status).toBe(201);
    const proposed = ProposePhrasingResponseSchema.parse(await response.json());
    expect(proposed).toMatchObject({
      outcome: 'proposed',
      phrasing: {
        question: QUESTION,
        slug: 'report-player-cheating',
        status: 'pending',
        source: 'kb_button',
      },
    });
    phrasingId = proposed.phrasing!.id;
  });

  it('the gaps report lists it for a decision; an agent may not decide, a supervisor may', async () => {
    const report = KbGapsResponseSchema.parse(await (await as('Sam', '/kb/gaps?days=7')).json()).report;
    expect(report.learned).toContainEqual(
      expect.objectContaining({ id: phrasingId, question: QUESTION, proposedBy: 'dana@example.com' }),
    );
    const refused = await as('Dana', `/kb/gaps/phrasings/${phrasingId}`, { action: 'approve' });
    expect(refused.status).toBe(403);
    expect((await as('Sam', '/kb/gaps/phrasings/999999', { action: 'approve' })).status).toBe(404);
    expect((await as('Sam', `/kb/gaps/phrasings/${phrasingId}`, { action: 'maybe' })).status).toBe(400);
    expect(
      (await as('Sam', `/kb/gaps/phrasings/${phrasingId}`, { action: 'reassign', slug: 'no-such-article' }))
        .status,
    ).toBe(404);
    const approved = await as('Sam', `/kb/gaps/phrasings/${phrasingId}`, { action: 'approve' });
    expect(approved.status).toBe(200);
    expect(DecidePhrasingResponseSchema.parse(await approved.json()).phrasing).toMatchObject({
      status: 'approved',
      decidedBy: 'sam@example.com',
      title: expect.any(String),
    });
  });

  it('the next time the question is asked, the bot answers with the approved article', async () => {
    const answer = await ask(QUESTION);
    expect(answer.embeds[0]?.title).toBe('Here is what I found');
    expect(answer.embeds[0]?.fields).toHaveLength(1);
    expect(answer.embeds[0]?.fields?.[0]?.value).toContain('report-player-cheating');
  });

  it('an article the bot already answered with is not proposed again', async () => {
    const response = await as('Dana', '/kb/gaps/phrasings', {
      conversationSid,
      slug: 'report-player-cheating',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: 'bot_answered', phrasing: null });
  });

  it('a reassigned proposal answers with the article the supervisor chose, not the one proposed', async () => {
    const missed = await ask('zorblax flange quintuple');
    expect(missed.embeds).toEqual([]);
    const proposed = ProposePhrasingResponseSchema.parse(
      await (await as('Dana', '/kb/gaps/phrasings', { conversationSid, slug: 'battle-pass-faq' })).json(),
    );
    const reassigned = await as('Sam', `/kb/gaps/phrasings/${proposed.phrasing!.id}`, {
      action: 'reassign',
      slug: 'parental-controls',
    });
    expect(DecidePhrasingResponseSchema.parse(await reassigned.json()).phrasing).toMatchObject({
      slug: 'parental-controls',
      status: 'approved',
    });
    const answer = await ask('zorblax flange quintuple');
    expect(answer.embeds[0]?.fields?.[0]?.value).toContain('parental-controls');
  });

  it('a rejected proposal leaves the index alone', async () => {
    const missed = await ask('wobblefritz gronk');
    expect(missed.embeds).toEqual([]);
    const proposed = ProposePhrasingResponseSchema.parse(
      await (await as('Dana', '/kb/gaps/phrasings', { conversationSid, slug: 'battle-pass-faq' })).json(),
    );
    const rejected = await as('Sam', `/kb/gaps/phrasings/${proposed.phrasing!.id}`, { action: 'reject' });
    expect(DecidePhrasingResponseSchema.parse(await rejected.json()).phrasing.status).toBe('rejected');
    expect((await ask('wobblefritz gronk')).embeds).toEqual([]);
  });
});
