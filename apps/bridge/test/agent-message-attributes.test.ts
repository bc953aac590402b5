import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, memberWithAgent } from './helpers/story-steps.ts';

/**
 * Attributes are the agent's (or an integration's) free JSON: a message whose Attributes are valid
 * JSON but not an object is still an agent message, and never holds up the ones after it (#23).
 */
describe('agent messages with attributes that are not an object', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack();
    chat = await memberWithAgent(stack, 'pixelpat');
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('each reaches the member, in order, and so does the plain message after them', async () => {
    const { control } = stack.twilio;
    control.sendAgentMessage('Dana', chat.conversationSid, { body: 'one', attributes: '"hello"' });
    control.sendAgentMessage('Dana', chat.conversationSid, { body: 'two', attributes: 'null' });
    control.sendAgentMessage('Dana', chat.conversationSid, { body: 'three', attributes: '5' });
    control.sendAgentMessage('Dana', chat.conversationSid, { body: 'four', attributes: '[1,2]' });
    control.sendAgentMessage('Dana', chat.conversationSid, { body: 'five' });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'five' }, 15_000);
    const relayed = botDm(stack, 'pixelpat').filter((text) =>
      ['one', 'two', 'three', 'four', 'five'].includes(text),
    );
    expect(relayed).toEqual(['one', 'two', 'three', 'four', 'five']);
  });
});
