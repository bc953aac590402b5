import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AgentProps } from '../src/agent/agent-context.ts';
import { type ChatMessageState, lastMemberMessage } from '../src/agent/member-question.ts';
import { withFlexAgentContext } from '../src/agent/with-flex-agent-context.tsx';
import { aTask, fakeFlex, TaskContext } from './fake-flex.ts';

const LUCIA = 'discord:1300000000000000103';
const said = (
  author: string,
  body: string,
  extra: Partial<ChatMessageState> & { attributes?: object } = {},
) => ({
  isFromMe: extra.isFromMe ?? false,
  source: { author, body, attributes: extra.attributes ?? {} },
});

describe("the member's last message in the chat", () => {
  it('is the newest message the member wrote, not the bot, the agent, nor what the bridge posted for them', () => {
    const messages = [
      said('system', '¡Hola, Lucía! Soy el asistente de soporte.'),
      // What the bridge relayed from Discord carries its idempotency key: still the member's words.
      said(LUCIA, 'olvidé mi contraseña 🔑 y no puedo entrar', {
        attributes: { flexcord: { key: 'discord:message:1579716783101837312' } },
      }),
      said('flexcord-bot', 'Esto es lo que encontré: Restablecer tu contraseña'),
      // "Talk to an agent", posted as the member by the bridge: not a question.
      said(LUCIA, 'Me gustaría hablar con un agente.', { attributes: { handover: { source: 'button' } } }),
      said(LUCIA, '', { attributes: {} }),
      said(LUCIA, 'The file was too large', { attributes: { flexcord: { notice: 'media-too-large' } } }),
      said('dana', 'Hola Lucía, lo reviso.', { isFromMe: true }),
    ];
    expect(lastMemberMessage(messages)).toBe('olvidé mi contraseña 🔑 y no puedo entrar');
    expect(lastMemberMessage([...messages, said(LUCIA, '  ¿y mi cuenta de Xbox?  ')])).toBe(
      '¿y mi cuenta de Xbox?',
    );
    expect(lastMemberMessage([said('system', 'Hi')])).toBeNull();
    expect(lastMemberMessage(undefined)).toBeNull();
  });

  it("reaches the plugin's components from Flex's task context (the task's conversation state)", () => {
    const fake = fakeFlex();
    let seen: AgentProps['agent'] | null = null;
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, ({ agent }: AgentProps) => {
      seen = agent;
      return null;
    });
    const conversation = { messages: [said(LUCIA, 'mi juego se cierra al empezar')] };
    const { rerender } = render(
      <TaskContext.Provider value={{ task: aTask({}), conversation }}>
        <Adapted />
      </TaskContext.Provider>,
    );
    expect(seen!.memberQuestion).toBe('mi juego se cierra al empezar');
    rerender(
      <TaskContext.Provider value={{ task: aTask({}) }}>
        <Adapted />
      </TaskContext.Provider>,
    );
    expect(seen!.memberQuestion).toBeUndefined();
  });
});
