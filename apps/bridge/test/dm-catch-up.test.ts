import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

/**
 * A member whose chat has ended writes to the bot while the bridge is down: after the restart,
 * what they wrote opens a new chat, as it would have live (#23). A bot cannot list its DM
 * channels, so this covers the members the bridge has chatted with recently.
 */
describe('DMs of a member without an open chat, written while the bridge was down', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack();
    chat = await memberWithAgent(stack, 'pixelpat');
    stack.twilio.control.closeConversation(chat.conversationSid);
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'This chat has ended' });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('are read after the restart, open a new chat and reach it once each, in order', async () => {
    await stack.bridge.stop();
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'hello, is anyone there?' });
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'my game still crashes' });
    await stack.restartBridge();

    const newChat = await eventually(
      async () => {
        const { rows } = await stack.db.query<{ sid: string }>(
          `SELECT sid FROM conversations WHERE discord_user_id = $1 AND state <> 'closed'`,
          [chat.userId],
        );
        return rows[0]?.sid;
      },
      'a new chat for the member',
      20_000,
    );
    expect(newChat).not.toBe(chat.conversationSid);
    const fromMember = () =>
      (stack.twilio.control.conversation(newChat).messages as { author: string; body: string | null }[])
        .filter((message) => message.author === `discord:${chat.userId}`)
        .map((message) => message.body ?? '');
    await eventually(() => fromMember().length >= 2, 'both DMs in the new chat', 20_000);
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fromMember()).toEqual(['hello, is anyone there?', 'my game still crashes']);
  });
});
