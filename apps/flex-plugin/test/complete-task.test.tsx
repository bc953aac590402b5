import { screen, waitFor } from '@testing-library/react';
import type { ITask } from '@twilio/flex-ui';
import { describe, expect, it } from 'vitest';
import { features } from '../src/features/index.ts';
import { registerFlexcord } from '../src/flexcord-plugin.ts';
import { CasePanel } from '../src/shared/case/case-panel.tsx';
import { aTask, fakeFlex } from './fake-flex.ts';
import { aCase, aDetail, anEvent, CONVERSATION_SID } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const discord = {
  channelType: 'web',
  customChannelType: 'discord',
  conversationSid: CONVERSATION_SID,
  caseNumber: 7,
};
const DISPOSITIONS = [
  { code: 'resolved', label: 'Resolved', status: 'resolved' },
  { code: 'follow_up', label: 'Follow-up needed', status: 'pending' },
];

function withStatus(task: ITask, status: string): ITask {
  return { ...task, status } as ITask;
}

function initialised() {
  const fake = fakeFlex();
  registerFlexcord(fake.flex, fake.manager, features);
  return fake;
}

/** Issue #22 finding 4: the task bar's Complete and the panel's Complete do the same thing. */
describe("Flex's own Complete (the task bar)", () => {
  it('completes a task that is not a wrapping Discord chat as Flex does', async () => {
    const fake = initialised();
    const webChat = withStatus(aTask({ channelType: 'web' }, `WT${'b'.repeat(32)}`), 'wrapping');
    const liveDiscord = withStatus(aTask(discord, `WT${'c'.repeat(32)}`), 'accepted');
    await fake.flex.Actions.invokeAction('CompleteTask', { task: webChat });
    await fake.flex.Actions.invokeAction('CompleteTask', { task: liveDiscord });
    expect(fake.flexCompleteTask.mock.calls.map(([payload]) => payload)).toEqual([
      { task: webChat },
      { task: liveDiscord },
    ]);
  });

  it("records the panel's disposition for a wrapping Discord chat instead of completing without it", async () => {
    const fake = initialised();
    const { calls } = stubFetch((call) => {
      if (call.path === '/api/wrap-up') return { body: { dispositions: DISPOSITIONS } };
      if (call.method === 'POST')
        return {
          body: aDetail({
            case: aCase({ status: 'resolved' }),
            timeline: [anEvent('wrapped_up', { data: { disposition: 'resolved' } })],
          }),
        };
      return { body: aDetail() };
    });
    const agent = anAgent(discord);
    renderWithPaste(<CasePanel agent={{ ...agent, task: { ...agent.task, status: 'wrapping' } }} />);
    await screen.findByRole('option', { name: 'Follow-up needed' });

    const task = withStatus(aTask(discord, agent.task.sid), 'wrapping');
    await fake.flex.Actions.invokeAction('CompleteTask', { task });
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')).toMatchObject({
        path: '/api/cases/7/wrap-up',
        body: { taskSid: agent.task.sid, disposition: 'resolved' },
      }),
    );
    expect(await screen.findByTestId('flexcord-wrap-up-done')).toBeTruthy();
    // The bridge completes the task once the wrap-up is recorded; Flex's own completion is not run.
    expect(fake.flexCompleteTask).not.toHaveBeenCalled();

    // Asked again after the wrap-up is recorded (the task still shows as wrapping): Flex completes it.
    await fake.flex.Actions.invokeAction('CompleteTask', { task });
    expect(fake.flexCompleteTask).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('keeps a wrapping Discord chat open and says why when no wrap-up form is on screen', async () => {
    const fake = initialised();
    const task = withStatus(aTask(discord, `WT${'d'.repeat(32)}`), 'wrapping');
    await fake.flex.Actions.invokeAction('CompleteTask', { task });
    expect(fake.flexCompleteTask).not.toHaveBeenCalled();
    expect(fake.showNotification).toHaveBeenCalledWith('FlexcordChooseDisposition', { caseNumber: 7 });
  });
});
