import type { Fixture } from '@flexcord/discord-emulator';
import { eventually } from '@flexcord/testkit';
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityFixture } from './helpers/fixture.ts';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { AUTHOR_LINE, botDm, conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();
const HELP_CHANNEL_ID = '1400000000000000042';

/** The community, with #help at a known id (HELP_CHANNEL_ID names it before the emulator starts). */
const fixture: Fixture = {
  ...communityFixture,
  guilds: (communityFixture.guilds ?? []).map((guild) => ({
    ...guild,
    channels: (guild.channels ?? []).map((channel) =>
      channel.name === 'help' ? { ...channel, id: HELP_CHANNEL_ID } : channel,
    ),
  })),
};

/**
 * A member who closes their DMs in the middle of a chat with an agent keeps the chat: the agent's
 * message that Discord refused (50007) is delivered in a private thread of the help channel, once,
 * after a word to the member on why; the agent is told and the case records it.
 */
describe.each<Storage>(['pglite', 'postgres'])('on %s: DMs closed in the middle of a chat', (storage) => {
  if (storage === 'postgres' && !withPostgres) {
    it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
    return;
  }
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;
  let caseNumber = 0;
  let threadId = '';

  beforeAll(async () => {
    stack = await startStack({
      storage,
      env: { CHAT_THREADS: 'fallback', HELP_CHANNEL_ID },
      discordOptions: { fixture },
    });
    chat = await memberWithAgent(stack, 'pixelpat');
    caseNumber = (await stack.bridge.cases.listByConversation(chat.conversationSid))[0]!.number;
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const threadMessages = () =>
    stack.discord.control
      .messages(threadId)
      .filter((message) => message.author.id === stack.discord.control.botUserId)
      .map((message) => message.content.replace(AUTHOR_LINE, ''));

  it("when the agent's message meets closed DMs, the chat goes on in a private thread with that message in it", async () => {
    const { discord, twilio } = stack;
    const before = botDm(stack, 'pixelpat').length;
    discord.control.setDmsClosed('pixelpat', true);
    twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'Are you still there, Pat?' });
    twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'I can wait a bit.' });

    const delivered = await discord.control.waitForMessage({ contains: 'Are you still there, Pat?' });
    threadId = delivered.channel_id;
    expect(threadId).not.toBe(chat.dmChannelId);
    const thread = discord.control.channel(threadId);
    expect(thread.type).toBe(ChannelType.PrivateThread);
    expect(thread).toMatchObject({ parent_id: HELP_CHANNEL_ID, thread_metadata: { invitable: false } });
    await eventually(() => threadMessages().length >= 3, 'the notice and both messages in the thread');
    // The member is told why first, then reads both messages their DMs refused, in order.
    const [notice, ...messages] = threadMessages();
    expect(notice).toMatch(/privacy settings/i);
    expect(notice).toMatch(/private thread/i);
    expect(messages).toEqual(['Are you still there, Pat?', 'I can wait a bit.']);
    // Nothing more reached the closed DMs.
    expect(botDm(stack, 'pixelpat')).toHaveLength(before);
  });

  it('the agent is told in the Conversation, the case records it, and nothing is dead-lettered', async () => {
    const notices = await eventually(() => {
      const bodies = conversationBodies(stack, chat.conversationSid, 'system');
      return bodies.some((body) => /DMs are closed/.test(body)) ? bodies : undefined;
    }, 'the notice to the agent');
    const notice = notices.find((body) => /DMs are closed/.test(body))!;
    expect(notice).toMatch(/private thread/);
    expect(notices.some((body) => /could not be delivered/i.test(body))).toBe(false);
    const timeline = (await stack.bridge.cases.detail(caseNumber)).timeline;
    const moved = timeline.filter((event) => event.type === 'chat_moved_to_thread');
    expect(moved).toHaveLength(1);
    expect(moved[0]!.data).toMatchObject({
      conversationSid: chat.conversationSid,
      threadId,
      reason: 'dms_closed_mid_chat',
    });
    expect(timeline.some((event) => event.type === 'delivery_failed')).toBe(false);
    expect(await stack.bridge.deadLetters.list()).toEqual([]);
  });

  it('both sides keep talking in the thread, and the moved message arrived exactly once', async () => {
    const { discord, twilio } = stack;
    twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'Take your time.' });
    await eventually(() => threadMessages().includes('Take your time.'), "the agent's next message");
    const back = discord.control.sendMessage({
      user: 'pixelpat',
      channel: threadId,
      content: 'sory, I am back',
    });
    await eventually(
      () => conversationBodies(stack, chat.conversationSid).includes('sory, I am back'),
      "the member's thread message at the agent",
    );
    // Edits in the thread follow like edits in the DM.
    discord.control.editMessage({ user: 'pixelpat', message: back.id, content: 'sorry, I am back' });
    await eventually(
      () => conversationBodies(stack, chat.conversationSid).includes('sorry, I am back'),
      "the member's edit at the agent",
    );
    expect(conversationBodies(stack, chat.conversationSid)).not.toContain('sory, I am back');
    await twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(threadMessages().filter((text) => text === 'Are you still there, Pat?')).toHaveLength(1);
    expect(threadMessages().filter((text) => /privacy settings/i.test(text))).toHaveLength(1);
    expect(
      conversationBodies(stack, chat.conversationSid, 'system').filter((body) => /DMs are closed/.test(body)),
    ).toHaveLength(1);
  });
});
