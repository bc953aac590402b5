import { eventually } from '@flexcord/testkit';
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { conversationBodies } from './helpers/story-steps.ts';

/** Members whose privacy settings refuse DMs still get help: the chat moves to a private thread. */
describe('a member with closed DMs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { CHAT_THREADS: 'fallback' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps talking to the agent in a private thread, and the agent and the case are told', async () => {
    const { discord, twilio } = stack;
    const bob = discord.control.user('quietbob');
    const outcome = await discord.control.runCommand({ user: 'quietbob', name: 'helpme', channel: 'help' });
    const reply = await eventually(
      () => discord.control.interaction(outcome.interactionId).original?.content || undefined,
      'the ephemeral answer',
    );
    expect(reply).toContain('private thread');
    const threadId = /<#(\d+)>/.exec(reply)?.[1];
    expect(threadId).toBeDefined();
    const thread = discord.control.channel(threadId!);
    expect(thread.type).toBe(ChannelType.PrivateThread);
    expect(thread).toMatchObject({ parent_id: discord.control.channel('help').id });
    const greeting = await discord.control.waitForMessage({
      channel: threadId!,
      contains: 'support assistant',
    });
    expect(greeting.author.id).toBe(discord.control.botUserId);
    // Private and not invitable: other members cannot be brought in.
    expect(thread).toMatchObject({ thread_metadata: { invitable: false } });

    discord.control.sendMessage({ user: 'quietbob', channel: threadId!, content: 'agent please' });
    const task = await eventually(
      () => twilio.control.tasks().find((candidate) => candidate.attributes.discordUserId === bob.id),
      'the Flex task',
    );
    const conversationSid = String(task.attributes.conversationSid);
    expect(conversationBodies(stack, conversationSid, 'system')).toContain(
      "The member's DMs are closed; continuing in a private thread of the Discord server.",
    );
    twilio.control.acceptTask(task.sid, 'Dana');
    await discord.control.waitForMessage({ channel: threadId!, contains: 'joined the chat' });

    // /helpme again during the chat points to the thread it lives in, not to Bob's (closed) DMs.
    const again = await discord.control.runCommand({ user: 'quietbob', name: 'helpme', channel: 'help' });
    const pointer = await eventually(
      () => discord.control.interaction(again.interactionId).original?.content || undefined,
      'the answer to /helpme during the chat',
    );
    expect(pointer).toContain('talking to **Dana**');
    expect(pointer).toContain(`<#${threadId}>`);
    expect(pointer).not.toContain('@me');

    twilio.control.sendAgentMessage('Dana', conversationSid, { body: 'Hi Bob, how can I help?' });
    await discord.control.waitForMessage({ channel: threadId!, contains: 'how can I help' });
    discord.control.sendMessage({ user: 'quietbob', channel: threadId!, content: 'my game crashes' });
    await eventually(
      () => conversationBodies(stack, conversationSid).includes('my game crashes'),
      "Bob's thread message at the agent",
    );
    // Nothing went to Bob's (closed) DMs.
    expect(discord.control.dmMessages('quietbob')).toEqual([]);
  });

  it('is recorded on the case when the chat joins an open case', async () => {
    const { discord } = stack;
    // Bob's case from the first chat is still open: his next chat joins it, in a new thread.
    const { rows: open } = await stack.db.query<{ sid: string }>(
      `SELECT sid FROM conversations WHERE state <> 'closed'`,
    );
    for (const { sid } of open) stack.twilio.control.closeConversation(sid);
    await eventually(
      async () =>
        (
          await stack.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM conversations WHERE state <> 'closed'`,
          )
        ).rows[0]?.n === 0,
      'the chat closed',
    );
    await discord.control.runCommand({ user: 'quietbob', name: 'helpme', channel: 'help' });
    const events = await eventually(async () => {
      const { rows } = await stack.db.query<{ type: string }>(
        `SELECT type FROM case_events WHERE type = 'chat_moved_to_thread'`,
      );
      return rows.length ? rows : undefined;
    }, 'the timeline entry');
    expect(events).toHaveLength(1);
  });
});
