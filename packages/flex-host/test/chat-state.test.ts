import { describe, expect, it } from 'vitest';
import { HostState } from '../src/browser/host-state.ts';

const SID = `CH${'1'.repeat(32)}`;

describe("the host's chat state, as Flex hands it to plugins", () => {
  it('gives each message as a MessageState, the Conversations message as its source', () => {
    const state = new HostState();
    state.addMessage(SID, {
      sid: 'IM1',
      author: 'Lucía',
      authorIdentity: 'discord:1300000000000000103',
      attributes: { discord: { messageId: '9' } },
      body: '¿Cómo cambio mi contraseña? 🔑',
      dateCreated: '2026-12-08T04:00:00.000Z',
    });
    state.addMessage(SID, {
      sid: 'IM2',
      author: 'Dana',
      authorIdentity: 'dana',
      body: 'Let me check.',
      dateCreated: '2026-12-08T04:00:05.000Z',
      fromAgent: true,
    });
    const conversation = state.conversationState(SID);
    expect(conversation.messages.map((message) => [message.isFromMe, message.source.author])).toEqual([
      [false, 'discord:1300000000000000103'],
      [true, 'dana'],
    ]);
    expect(conversation.messages[0]?.source).toMatchObject({
      body: '¿Cómo cambio mi contraseña? 🔑',
      attributes: { discord: { messageId: '9' } },
    });
    expect(state.conversationStates()[SID]).toBe(conversation);
  });

  it('is the same object until a message changes, then a new one (what a React reader re-renders on)', () => {
    const state = new HostState();
    state.update((s) => s.messages.set(SID, []));
    const before = state.conversationState(SID);
    expect(state.conversationState(SID)).toBe(before);
    state.addMessage(SID, {
      sid: 'IM1',
      author: 'Lucía',
      body: 'hola',
      dateCreated: '2026-12-08T04:00:00.000Z',
    });
    expect(state.conversationState(SID)).not.toBe(before);
    expect(state.conversationState(SID).messages).toHaveLength(1);
  });
});
