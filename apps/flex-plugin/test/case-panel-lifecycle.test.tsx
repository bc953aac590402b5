import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CasePanel } from '../src/shared/case/case-panel.tsx';
import { aCase, aDetail, anEvent, CONVERSATION_SID } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const attributes = {
  channelType: 'web',
  customChannelType: 'discord',
  conversationSid: CONVERSATION_SID,
  caseNumber: 7,
};
const DISPOSITIONS = [
  { code: 'resolved', label: 'Resolved', status: 'resolved' },
  { code: 'follow_up', label: 'Follow-up needed', status: 'pending' },
];

describe('the case panel through a chat', () => {
  it('follows a change made elsewhere without a reload: it polls the version and reloads when it moved', async () => {
    let version = 'v1';
    const assigned = aDetail({
      case: aCase({ assignee: 'dana@example.com' }),
      timeline: [anEvent('agent_joined', { data: { took: true } })],
    });
    const { calls } = stubFetch((call) => {
      if (call.path === '/api/cases/7/version') return { body: { number: 7, version } };
      return { body: version === 'v1' ? aDetail() : assigned };
    });
    renderWithPaste(<CasePanel agent={anAgent(attributes)} refreshMs={40} />);
    expect((await screen.findByTestId('flexcord-case-assignee')).textContent).toBe('Unassigned');
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/version')).length).toBeGreaterThan(1));
    const reloads = calls.filter((c) => c.path === '/api/cases/7').length;
    version = 'v2';
    await waitFor(() =>
      expect(screen.getByTestId('flexcord-case-assignee').textContent).toBe('Assigned to Dana'),
    );
    expect(screen.getByTestId('flexcord-timeline').textContent).toContain('took the chat');
    expect(calls.filter((c) => c.path === '/api/cases/7').length).toBe(reloads + 1);
  });

  it('asks for a disposition and a note while the task is wrapping, and sends them with the task', async () => {
    const { calls } = stubFetch((call) => {
      if (call.path === '/api/wrap-up') return { body: { dispositions: DISPOSITIONS } };
      if (call.method === 'POST')
        return {
          body: aDetail({
            case: aCase({ status: 'pending' }),
            timeline: [anEvent('wrapped_up', { data: { disposition: 'follow_up', note: 'send logs' } })],
          }),
        };
      return { body: aDetail() };
    });
    const agent = anAgent(attributes);
    renderWithPaste(<CasePanel agent={{ ...agent, task: { ...agent.task, status: 'wrapping' } }} />);
    const disposition = await screen.findByLabelText(/Disposition/);
    await screen.findByRole('option', { name: 'Follow-up needed' });
    fireEvent.change(disposition, { target: { value: 'follow_up' } });
    expect(screen.getByText('The case becomes Pending; the member is told.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Wrap-up note'), { target: { value: 'send logs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Complete' }));
    expect(await screen.findByTestId('flexcord-wrap-up-done')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/cases/7/wrap-up',
      body: { taskSid: agent.task.sid, disposition: 'follow_up', note: 'send logs' },
    });
    expect(screen.getByTestId('flexcord-case-status').textContent).toBe('Pending');
    expect(screen.getByTestId('flexcord-timeline').textContent).toContain(
      'wrapped up the chat: Follow-up needed',
    );
  });

  it('shows no wrap-up while the chat is live', async () => {
    stubFetch(() => ({ body: aDetail() }));
    renderWithPaste(<CasePanel agent={anAgent(attributes)} />);
    await screen.findByTestId('flexcord-case-status');
    expect(screen.queryByTestId('flexcord-wrap-up')).toBeNull();
  });
});
