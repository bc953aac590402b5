import { eventually } from '@flexcord/testkit';
import twilio from 'twilio';
import type { Stack } from './stack.ts';

/**
 * Brings a member to a live agent the way a member would: /helpme, "agent", and the agent
 * accepting the task. Returns the conversation and task.
 */
export async function memberWithAgent(
  stack: Stack,
  user: string,
  agent = 'Dana',
): Promise<{ conversationSid: string; taskSid: string; userId: string; dmChannelId: string }> {
  const { discord, twilio } = stack;
  const userId = discord.control.user(user).id;
  await discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
  await discord.control.waitForMessage({ dmWith: user, contains: 'support assistant' });
  discord.control.sendMessage({ user, content: 'agent please' });
  const notice = await discord.control.waitForMessage({
    dmWith: user,
    contains: 'Connecting you to an agent',
  });
  const task = await eventually(
    () => twilio.control.tasks().find((candidate) => candidate.attributes.discordUserId === userId),
    'the Flex task',
  );
  twilio.control.acceptTask(task.sid, agent);
  await discord.control.waitForMessage({ dmWith: user, contains: 'joined the chat' });
  return {
    conversationSid: String(task.attributes.conversationSid),
    taskSid: task.sid,
    userId,
    dmChannelId: notice.channel_id,
  };
}

/** Bodies of the conversation's messages written by `author` (or by anyone but the bot when omitted). */
export function conversationBodies(stack: Stack, conversationSid: string, author?: string): string[] {
  return (
    stack.twilio.control.conversation(conversationSid).messages as { author: string; body: string | null }[]
  )
    .filter((message) => (author ? message.author === author : message.author !== 'bot'))
    .map((message) => message.body ?? '');
}

/** An agent message's author line (`-# Dana · Support`), as AGENT_AUTHOR_FORMAT writes it by default. */
export const AUTHOR_LINE = /^-# .+ · .+\n/;

/** Contents of what the bot posted in a member's DM, agent messages without their author line. */
export function botDm(stack: Stack, user: string): string[] {
  return stack.discord.control
    .dmMessages(user)
    .filter((message) => message.author.id === stack.discord.control.botUserId)
    .map((message) => message.content.replace(AUTHOR_LINE, ''));
}

/** Sends a webhook Twilio already delivered once more, signed as Twilio signs it (a retry or a replay). */
export async function replayWebhook(
  stack: Stack,
  delivery: { url: string; params: Record<string, unknown> },
): Promise<Response> {
  const params = delivery.params as Record<string, string>;
  return fetch(delivery.url.replace(stack.config.PUBLIC_BASE_URL, stack.bridge.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(
        stack.config.TWILIO_AUTH_TOKEN,
        delivery.url,
        params,
      ),
    },
    body: new URLSearchParams(params),
  });
}
