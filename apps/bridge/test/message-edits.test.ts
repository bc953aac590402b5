import { TranscriptResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent, replayWebhook } from './helpers/story-steps.ts';

interface ConversationMessage {
  sid: string;
  body: string | null;
  attributes: string;
}

/** Edits and deletions follow the message to the other side, once and in order. */
describe('edits and deletions', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;
  const messages = () =>
    stack.twilio.control.conversation(chat.conversationSid).messages as unknown as ConversationMessage[];
  const agentMessages = () =>
    stack.client.conversations.v1
      .services(stack.twilio.conversationsServiceSid)
      .conversations(chat.conversationSid).messages;

  beforeAll(async () => {
    stack = await startStack();
    chat = await memberWithAgent(stack, 'pixelpat');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('when a member edits a message, the agent sees the new text, marked as edited', async () => {
    const sent = stack.discord.control.sendMessage({ user: 'pixelpat', content: 'my ordr is late' });
    const relayed = await eventually(
      () => messages().find((message) => message.body === 'my ordr is late'),
      'the message at the agent',
    );
    stack.discord.control.editMessage({ user: 'pixelpat', message: sent.id, content: 'my order is late' });
    await eventually(
      () => messages().find((message) => message.sid === relayed.sid && message.body === 'my order is late'),
      'the edit at the agent',
    );
    const edited = messages().find((message) => message.sid === relayed.sid)!;
    expect(JSON.parse(edited.attributes)).toMatchObject({ edited: { at: expect.any(String) } });
    // Still one message for the agent, not a second one.
    expect(messages().filter((message) => message.body?.includes('late'))).toHaveLength(1);
  });

  it('when a member deletes a message, it is removed from the conversation', async () => {
    const sent = stack.discord.control.sendMessage({ user: 'pixelpat', content: 'oops, wrong chat' });
    await eventually(() => messages().find((message) => message.body === 'oops, wrong chat'), 'the message');
    stack.discord.control.deleteMessage({ user: 'pixelpat', message: sent.id });
    await eventually(
      () => !messages().some((message) => message.body === 'oops, wrong chat'),
      'the message removed at the agent',
    );
  });

  it("when an agent edits a reply, the member's copy changes in place", async () => {
    const reply = stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Your refund is on its way in 3 days',
    }) as { sid: string };
    const first = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'in 3 days' });
    await agentMessages()(reply.sid).update({
      body: 'Your refund is on its way in 5 days',
      xTwilioWebhookEnabled: 'true',
    });
    await eventually(
      // Edited in place, still under the agent's author line.
      () =>
        stack.discord.control.message(first.id)?.content ===
        '-# Dana · Starfall Arena\nYour refund is on its way in 5 days',
      "the edit in the member's DM",
    );
    expect(stack.discord.control.message(first.id)?.edited_timestamp).toBeTruthy();
    expect(
      stack.discord.control.dmMessages('pixelpat').filter((m) => m.content.includes('refund')),
    ).toHaveLength(1);
  });

  it("when an agent removes a reply, it disappears from the member's DM", async () => {
    const reply = stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Sorry, that was meant for someone else',
    }) as { sid: string };
    const posted = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'meant for someone',
    });
    await agentMessages()(reply.sid).remove({ xTwilioWebhookEnabled: 'true' });
    await eventually(
      () => stack.discord.control.message(posted.id) === undefined,
      'the reply removed from the DM',
    );
  });

  it('a replayed edit webhook changes nothing more', async () => {
    const reply = stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'v1' }) as {
      sid: string;
    };
    const posted = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'v1' });
    await agentMessages()(reply.sid).update({ body: 'v2', xTwilioWebhookEnabled: 'true' });
    await eventually(() => stack.discord.control.message(posted.id)?.content.endsWith('\nv2'), 'the edit');
    const edits = () =>
      stack.discord.control.requests({ method: 'PATCH' }).filter((entry) => entry.path.includes(posted.id));
    expect(edits()).toHaveLength(1);

    const delivery = stack.twilio.control
      .deliveries({ eventType: 'onMessageUpdated', conversationSid: chat.conversationSid })
      .find((candidate) => candidate.params.MessageSid === reply.sid);
    const response = await replayWebhook(stack, delivery!);
    expect(await response.json()).toEqual({ outcome: 'duplicate' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(edits()).toHaveLength(1);
  });

  it("the chat's kept transcript holds what both sides see now: edited texts marked edited, removed ones left out", async () => {
    // Lucía-style Unicode on both sides: the member fixes an accent, the agent an emoji.
    const sent = stack.discord.control.sendMessage({ user: 'pixelpat', content: 'la sesion se cerro' });
    await eventually(
      () => messages().find((message) => message.body === 'la sesion se cerro'),
      'the message',
    );
    stack.discord.control.editMessage({
      user: 'pixelpat',
      message: sent.id,
      content: 'la sesión se cerró 🔒',
    });
    await eventually(
      () => messages().find((message) => message.body === 'la sesión se cerró 🔒'),
      'the edit',
    );
    const reply = stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Te reenvío el código ✉️',
    }) as { sid: string };
    const posted = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'código ✉️' });
    await agentMessages()(reply.sid).update({
      body: 'Te reenvío el código 📩 ahora',
      xTwilioWebhookEnabled: 'true',
    });
    await eventually(
      () => stack.discord.control.message(posted.id)?.content.endsWith('código 📩 ahora'),
      "the agent's edit in the DM",
    );

    const caseNumber = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    stack.twilio.control.wrapUpTask(chat.taskSid);
    const token = stack.twilio.control.issueFlexToken('Dana').token;
    const transcript = await eventually(async () => {
      const response = await fetch(`${stack.bridge.url}/api/cases/${caseNumber}/transcript?format=json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = TranscriptResponseSchema.parse(await response.json());
      return body.chats.length ? body : undefined;
    }, 'the kept transcript');
    const lines = transcript.chats[0]!.lines;
    const said = lines.map((line) => `${line.author.kind}:${line.body}${line.editedAt ? ' (edited)' : ''}`);
    expect(said).toEqual(
      expect.arrayContaining([
        'member:my order is late (edited)',
        'member:la sesión se cerró 🔒 (edited)',
        'agent:Your refund is on its way in 5 days (edited)',
        'agent:Te reenvío el código 📩 ahora (edited)',
        'agent:v2 (edited)',
      ]),
    );
    const bodies = lines.map((line) => line.body);
    for (const gone of [
      'my ordr is late',
      'la sesion se cerro',
      'Your refund is on its way in 3 days',
      'Te reenvío el código ✉️',
      'v1',
      'oops, wrong chat',
      'Sorry, that was meant for someone else',
    ])
      expect(bodies, gone).not.toContain(gone);

    const markdown = await (
      await fetch(`${stack.bridge.url}/api/cases/${caseNumber}/transcript`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    expect(markdown).toContain('Te reenvío el código 📩 ahora _(edited)_');
  });
});
