import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AgentProps } from '../src/agent/agent-context.ts';
import { OPEN_CASE_ACTION } from '../src/agent/flexcord-actions.ts';
import { withFlexAgentContext } from '../src/agent/with-flex-agent-context.tsx';
import { features } from '../src/features/index.ts';
import { registerFlexcord } from '../src/flexcord-plugin.ts';
import { aTask, fakeFlex, TaskContext } from './fake-flex.ts';

const CONVERSATION_SID = `CH${'1'.repeat(32)}`;

/** Shows what the adapter hands a component, and keeps its last context for the test. */
let last: AgentProps['agent'] | null = null;
function Probe({ agent }: AgentProps) {
  last = agent;
  return <span data-testid="probe">{`${agent.task.sid} ${agent.token} ${agent.apiBaseUrl}`}</span>;
}

describe('the Flex adapter', () => {
  it("gives components the task, the agent's token and the bridge URL, and renders nothing without a task", () => {
    const fake = fakeFlex();
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, Probe);
    const { rerender } = render(
      <TaskContext.Provider value={{ task: aTask({ conversationSid: CONVERSATION_SID }) }}>
        <Adapted />
      </TaskContext.Provider>,
    );
    expect(screen.getByTestId('probe').textContent).toBe(`WT${'a'.repeat(32)} token-1 http://localhost:3000`);
    expect(last?.task.conversationSid).toBe(CONVERSATION_SID);
    rerender(
      <TaskContext.Provider value={{}}>
        <Adapted />
      </TaskContext.Provider>,
    );
    expect(screen.queryByTestId('probe')).toBeNull();
  });

  it('offers "open in Cases" through the FlexcordOpenCase action, and not at all when the case desk is off', async () => {
    const on = fakeFlex();
    const AdaptedOn = withFlexAgentContext(on.flex, on.manager, Probe);
    render(
      <TaskContext.Provider value={{ task: aTask({}) }}>
        <AdaptedOn />
      </TaskContext.Provider>,
    );
    last?.openCase?.(7);
    expect(on.invokeAction).toHaveBeenCalledWith(OPEN_CASE_ACTION, { caseNumber: 7 });

    const off = fakeFlex({ uiAttributes: { flexcord_features: { 'case-desk': { enabled: false } } } });
    const AdaptedOff = withFlexAgentContext(off.flex, off.manager, Probe);
    render(
      <TaskContext.Provider value={{ task: aTask({}) }}>
        <AdaptedOff />
      </TaskContext.Provider>,
    );
    expect(last?.openCase).toBeUndefined();
  });

  it("shows a component's notice in Flex's notification bar, registered with its words in manager.strings", () => {
    const fake = fakeFlex();
    registerFlexcord(fake.flex, fake.manager, features);
    expect(fake.notifications.get('FlexcordCaseSaved')).toMatchObject({
      content: 'FlexcordNoticeCaseSaved',
      type: 'success',
    });
    expect(fake.rawManager.strings.FlexcordNoticeCaseSaved).toBe('Case #{{number}}: {{change}}');
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, Probe);
    render(
      <TaskContext.Provider value={{ task: aTask({}) }}>
        <Adapted />
      </TaskContext.Provider>,
    );
    last?.notify?.('caseSaved', { number: 7, change: 'status saved' });
    expect(fake.showNotification).toHaveBeenCalledWith('FlexcordCaseSaved', {
      number: 7,
      change: 'status saved',
    });
  });

  it("takes the bridge URL from the Flex configuration's ui_attributes when set", () => {
    const fake = fakeFlex();
    fake.rawManager.serviceConfiguration.ui_attributes.flexcord_api_url = 'https://bridge.example.com/';
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, Probe);
    render(
      <TaskContext.Provider value={{ task: aTask({}) }}>
        <Adapted />
      </TaskContext.Provider>,
    );
    expect(last?.apiBaseUrl).toBe('https://bridge.example.com');
  });

  it('follows the token when Flex refreshes it', () => {
    const fake = fakeFlex();
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, Probe);
    render(
      <TaskContext.Provider value={{ task: aTask({}) }}>
        <Adapted />
      </TaskContext.Provider>,
    );
    act(() => {
      fake.rawManager.user.token = 'token-2';
      fake.rawManager.events.emit('tokenUpdated', { token: 'token-2' });
    });
    expect(last?.token).toBe('token-2');
  });

  it('inserts text with SetInputText, after the draft in the reply box', async () => {
    const fake = fakeFlex();
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, Probe);
    render(
      <TaskContext.Provider value={{ task: aTask({ conversationSid: CONVERSATION_SID }) }}>
        <Adapted />
      </TaskContext.Provider>,
    );

    await last?.insertText('See https://help.example.com/a');
    fake.conversationInput[CONVERSATION_SID] = { inputText: 'Hi Mika!  ' };
    await last?.insertText('See https://help.example.com/b');

    const first = 'See https://help.example.com/a';
    const second = 'Hi Mika!\nSee https://help.example.com/b';
    expect(fake.invokeAction.mock.calls).toEqual([
      [
        'SetInputText',
        {
          body: first,
          conversationSid: CONVERSATION_SID,
          selectionStart: first.length,
          selectionEnd: first.length,
        },
      ],
      [
        'SetInputText',
        {
          body: second,
          conversationSid: CONVERSATION_SID,
          selectionStart: second.length,
          selectionEnd: second.length,
        },
      ],
    ]);
  });

  it('prefers the conversation SID Flex passes to MessageInputActions children', async () => {
    const fake = fakeFlex();
    const Adapted = withFlexAgentContext(fake.flex, fake.manager, Probe);
    const other = `CH${'3'.repeat(32)}`;
    render(
      <TaskContext.Provider value={{ task: aTask({ conversationSid: CONVERSATION_SID }) }}>
        <Adapted conversationSid={other} />
      </TaskContext.Provider>,
    );
    await last?.insertText('x');
    expect(fake.invokeAction).toHaveBeenCalledWith(
      'SetInputText',
      expect.objectContaining({ conversationSid: other }),
    );
  });
});
