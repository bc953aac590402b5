import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';

/**
 * The support story through the real path: a member in Discord (discord.js on the Discord
 * emulator), the Studio flow from `flows/` (run by the Twilio emulator), Flex (TaskRouter and an
 * agent on the emulator), and the bridge between them.
 */
const withPostgres = await postgresAvailable();

describe.each<Storage>(['pglite', 'postgres'])(
  'on %s: a member asks for help and is handed to an agent',
  (storage) => {
    if (storage === 'postgres' && !withPostgres) {
      it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
      return;
    }
    let stack: Stack;
    let conversationSid = '';
    let taskSid = '';

    beforeAll(async () => {
      stack = await startStack({ storage });
    });
    afterAll(async () => {
      await stack?.stop();
    });

    /** What the bot wrote in Pat's DM (the DM also holds Pat's own messages). */
    const dm = () =>
      stack.discord.control
        .dmMessages('pixelpat')
        .filter((message) => message.author.id === stack.discord.control.botUserId);
    const conversation = () => stack.twilio.control.conversation(conversationSid);

    it('when Pat runs /helpme in #help, the bot answers ephemerally and greets Pat in a DM', async () => {
      const outcome = await stack.discord.control.runCommand({
        user: 'pixelpat',
        name: 'helpme',
        channel: 'help',
      });
      expect(outcome.response?.type).toBe(5);
      const reply = await eventually(() => {
        const original = stack.discord.control.interaction(outcome.interactionId).original;
        return original?.content ? original : undefined;
      }, 'the ephemeral reply');
      expect(reply.content).toContain("I've sent you a DM");
      expect(reply.visible_to).toBe(stack.discord.control.user('pixelpat').id);
      const greeting = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'Hi Pat' });
      expect(greeting.content).toContain('support assistant');
      const [open] = await stack.client.conversations.v1.participantConversations.list({
        identity: `discord:${stack.discord.control.user('pixelpat').id}`,
      });
      expect(open?.conversationState).toBe('active');
      conversationSid = open!.conversationSid;
      const attributes = JSON.parse(open!.conversationAttributes) as {
        channelType: string;
        discord: { username: string };
      };
      expect(attributes).toMatchObject({ channelType: 'discord', discord: { username: 'pixelpat' } });
    });

    it('when Pat asks a question, the virtual agent answers from the KB with articles and buttons', async () => {
      stack.discord.control.sendMessage({
        user: 'pixelpat',
        content: 'my game keeps crashing when I launch it',
      });
      const answer = await stack.discord.control.waitForMessage({
        dmWith: 'pixelpat',
        predicate: (message) => message.embeds.length > 0,
      });
      expect(answer.embeds[0]?.title).toBe('Here is what I found');
      expect(answer.embeds[0]?.fields?.[0]?.name).toMatch(/crash/i);
      expect(answer.embeds[0]?.fields?.[0]?.value).toContain(
        'https://support.starfall.example/articles/game-crashes-on-startup',
      );
      const labels = (answer.components ?? [])
        .flatMap((row) => ('components' in row ? (row.components as { label?: string }[]) : []))
        .map((component) => component.label);
      expect(labels).toEqual(['This helped', 'Talk to an agent']);
      // The agent will see the whole history: the question as the member, the answer as the bot.
      const messages = await eventually(() => {
        const list = conversation().messages as { author: string; body: string }[];
        return list.some((m) => m.author === 'bot') ? list : undefined;
      }, 'the bot transcript in the conversation');
      expect(messages.map((m) => m.author)).toEqual([expect.stringMatching(/^discord:/), 'bot']);
      expect(messages[0]?.body).toBe('my game keeps crashing when I launch it');
      expect(stack.twilio.control.tasks()).toHaveLength(0);
    });

    it('when Pat presses "Talk to an agent", a case opens, Pat is told, and Flex gets a Discord task (channelType as Flex writes it)', async () => {
      const answer = dm().findLast((message) => message.components?.length);
      const agentButton = (answer!.components ?? [])
        .flatMap((row) =>
          'components' in row ? (row.components as { custom_id?: string; label?: string }[]) : [],
        )
        .find((component) => component.label === 'Talk to an agent');
      await stack.discord.control.clickButton({
        user: 'pixelpat',
        messageId: answer!.id,
        customId: agentButton!.custom_id!,
      });
      const notice = await stack.discord.control.waitForMessage({
        dmWith: 'pixelpat',
        contains: 'created. Connecting you',
      });
      expect(notice.content).toMatch(/^Case #\d+ created\. Connecting you to an agent…$/);
      const caseNumber = Number(/#(\d+)/.exec(notice.content)![1]);
      const task = await eventually(() => stack.twilio.control.tasks()[0], 'a Flex task');
      taskSid = task.sid;
      expect(task.attributes).toMatchObject({
        // Flex owns channelType (a chat's task says web, whatever the flow asked for):
        // Flexcord's tasks carry customChannelType, which Flex leaves alone.
        channelType: 'web',
        customChannelType: 'discord',
        conversations: expect.objectContaining({ communication_channel: 'Web' }),
        conversationSid,
        caseNumber,
        discordUserId: stack.discord.control.user('pixelpat').id,
        discordUsername: 'pixelpat',
        customerName: 'Pat',
        // A new case has had no agent: no known agent to offer it to first.
        lastAgent: '',
      });
      expect(String(task.attributes.discordAvatarUrl)).toMatch(/^https?:\/\//);
      const detail = await stack.bridge.cases.detail(caseNumber);
      expect(detail.case).toMatchObject({
        type: 'support',
        status: 'open',
        conversationSids: [conversationSid],
      });
      expect(detail.timeline.map((event) => event.type)).toEqual(['created', 'handover_requested']);
    });

    it('when Dana accepts, Pat reads "Dana joined the chat" exactly once', async () => {
      stack.twilio.control.acceptTask(taskSid, 'Dana');
      await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'joined the chat' });
      await stack.twilio.control.settle();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const joined = dm().filter((message) => message.content.includes('joined the chat'));
      expect(joined.map((message) => message.content)).toEqual(['**Dana** joined the chat.']);
    });

    it('then messages flow both ways, agent text with mentions disabled and long text split', async () => {
      const patId = stack.discord.control.user('pixelpat').id;
      const text = `Hi <@${patId}>, @everyone relax — I am on it.`;
      stack.twilio.control.sendAgentMessage('Dana', conversationSid, { body: text });
      const fromAgent = await stack.discord.control.waitForMessage({
        dmWith: 'pixelpat',
        contains: 'I am on it',
      });
      // The member sees who answered: the worker's name and the brand, above the text.
      expect(fromAgent.content).toBe(`-# Dana · Starfall Arena\n${text}`);
      // Posted with allowed_mentions {parse: []}: the text is kept, nobody is pinged.
      expect(fromAgent.mentions).toEqual([]);
      expect(fromAgent.mention_everyone).toBe(false);

      const long = Array.from({ length: 400 }, (_, i) => `step${i}`).join(' ');
      stack.twilio.control.sendAgentMessage('Dana', conversationSid, { body: long });
      await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'step399' });
      const parts = dm().filter((message) => message.content.includes('step'));
      expect(parts.length).toBe(2);
      expect(parts[0]?.content.startsWith('-# Dana · Starfall Arena\nstep0 ')).toBe(true);
      expect(parts.map((part) => part.content).join(' ')).toBe(`-# Dana · Starfall Arena\n${long}`);

      const before = dm().length;
      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'thanks, my crash log says SA-5102' });
      await eventually(
        () => (conversation().messages as { body: string }[]).some((m) => m.body.includes('SA-5102')),
        'the member message at the agent',
      );
      await stack.twilio.control.settle();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The bot stays quiet while an agent has the chat.
      expect(dm().length).toBe(before);
    });

    it('when the agent ends the chat, Pat is told and the next /helpme opens a new chat on the same case', async () => {
      stack.twilio.control.closeConversation(conversationSid);
      const ended = await stack.discord.control.waitForMessage({
        dmWith: 'pixelpat',
        contains: 'This chat has ended',
      });
      const caseNumber = Number(/#(\d+)/.exec(ended.content)![1]);
      expect(ended.content).toBe(
        `This chat has ended. Case #${caseNumber} stays open until it is resolved; run /helpme to talk to us again.`,
      );

      await stack.discord.control.runCommand({ user: 'pixelpat', name: 'helpme', channel: 'help' });
      await stack.discord.control.waitForMessage({
        dmWith: 'pixelpat',
        contains: `case #${caseNumber} is still open`,
      });
      const detail = await stack.bridge.cases.detail(caseNumber);
      expect(detail.case.conversationSids).toHaveLength(2);
      expect(detail.case.conversationSids[0]).toBe(conversationSid);
      const next = stack.twilio.control.conversation(detail.case.conversationSids[1]!);
      expect(next.state).toBe('active');
      expect(JSON.parse(String(next.attributes))).toMatchObject({ caseNumber });
    });

    it('what Pat writes after that chat ends too goes into a new chat, not the closed one', async () => {
      const patsChats = () =>
        stack.twilio.control
          .conversations()
          .filter((chat) => JSON.parse(String(chat.attributes)).discord?.username === 'pixelpat');
      const open = patsChats().find((chat) => chat.state === 'active')!;
      const { caseNumber } = JSON.parse(String(open.attributes)) as { caseNumber: number };
      // The bridge relayed into this chat, so it knows it as Pat's open chat.
      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'still there?' });
      await eventually(
        () =>
          (stack.twilio.control.conversation(open.sid).messages as { body: string }[]).some(
            (m) => m.body === 'still there?',
          ),
        'the message in the open chat',
      );
      stack.twilio.control.closeConversation(open.sid);
      await eventually(
        () => dm().filter((m) => m.content.startsWith('This chat has ended')).length === 2,
        'the second chat end notice',
      );

      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'one more thing' });
      await eventually(
        () =>
          patsChats().some(
            (chat) =>
              chat.state === 'active' &&
              (chat.messages as { body: string }[]).some((m) => m.body === 'one more thing'),
          ),
        'the message in a new chat',
      );
      const closed = stack.twilio.control.conversation(open.sid).messages as { body: string }[];
      expect(closed.some((m) => m.body === 'one more thing')).toBe(false);
      const detail = await stack.bridge.cases.detail(caseNumber);
      expect(detail.case.conversationSids).toHaveLength(3);
    });
  },
);

describe('operations endpoints', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers health, readiness and Prometheus metrics', async () => {
    expect(await (await fetch(`${stack.bridge.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${stack.bridge.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: true, discord: true, started: true, shards: [0] },
    });
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'reset my password' });
    await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (message) => message.embeds.length > 0,
    });
    const metrics = await (await fetch(`${stack.bridge.url}/metrics`)).text();
    expect(metrics).toMatch(/flexcord_twilio_webhooks_total\{endpoint="bot",outcome="bot"\} 1/);
    expect(metrics).toMatch(
      /flexcord_outbox_deliveries_total\{kind="discord.message",result="delivered"\} \d+/,
    );
    expect(metrics).toContain('process_resident_memory_bytes');
  });
});
