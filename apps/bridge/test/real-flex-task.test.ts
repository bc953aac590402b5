import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, memberWithAgent } from './helpers/story-steps.ts';

interface Button {
  custom_id?: string;
  label?: string;
}

/**
 * A chat handed over the way real Flex does it: Flex writes `channelType` (`web`) over the flow's
 * value, and adds the accepting agent to the conversation without the conversation's
 * `onParticipantAdded` (unverified on a real account, so the emulator is told to stay quiet):
 * TaskRouter's events are the only signals, and Flexcord knows its task by `customChannelType`.
 */
describe('a Discord chat whose task Flex made (channelType overwritten, no webhook for the agent joining)', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack({ twilioOptions: { flexAgentJoinWebhooks: false } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('when Dana accepts, Pat reads "Dana joined the chat" once and the case is hers', async () => {
    chat = await memberWithAgent(stack, 'pixelpat');
    expect(stack.twilio.control.task(chat.taskSid).attributes).toMatchObject({
      channelType: 'web',
      customChannelType: 'discord',
    });
    expect(stack.twilio.control.deliveries({ eventType: 'onParticipantAdded' })).toEqual([]);
    const number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    const kase = await eventually(async () => {
      const found = await stack.bridge.cases.find(number);
      return found?.assignee ? found : undefined;
    }, 'the assignment');
    expect(kase.assignee).toBe('dana@example.com');
    await stack.twilio.control.settle();
    expect(botDm(stack, 'pixelpat').filter((text) => text.includes('joined the chat'))).toEqual([
      expect.stringContaining('Dana'),
    ]);
  });

  it('when Dana ends the chat, Pat is asked to rate it, and the rating reaches the task beside what Flex wrote', async () => {
    stack.twilio.control.wrapUpTask(chat.taskSid);
    const survey = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'Rate this chat',
    });
    const five = (survey.components ?? [])
      .flatMap((row) =>
        row && typeof row === 'object' && 'components' in row ? (row.components as Button[]) : [],
      )
      .find((button) => button.label === '5 ★');
    await stack.discord.control.clickButton({
      user: 'pixelpat',
      messageId: survey.id,
      customId: five!.custom_id!,
    });
    const task = await eventually(() => {
      const current = stack.twilio.control.task(chat.taskSid);
      const conversations = current.attributes.conversations as Record<string, unknown> | undefined;
      return conversations?.conversation_measure_1 === 5 ? current : undefined;
    }, 'the rating in the task attributes');
    expect(task.attributes.conversations).toMatchObject({
      communication_channel: 'Web',
      initiated_by: 'Customer',
      direction: 'Inbound',
    });
  });
});
