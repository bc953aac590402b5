import type { CaseDetailResponse } from '@flexcord/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { StringsContext } from '../src/agent/strings.ts';
import { CasePanel } from '../src/shared/case/case-panel.tsx';
import { CASE_STRINGS } from '../src/shared/case/case-strings.ts';
import { aCase, aDetail, anEvent, CONVERSATION_SID } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const discordAttributes = {
  channelType: 'web',
  customChannelType: 'discord',
  conversationSid: CONVERSATION_SID,
  caseNumber: 7,
};

describe('the case panel', () => {
  it("shows the task's case: number, type, status, priority, subject, member, details and timeline", async () => {
    const detail = aDetail({
      timeline: [
        anEvent('created'),
        anEvent('handover_requested'),
        anEvent('agent_joined', { actor: { kind: 'agent', id: 'dana', name: 'Dana' } }),
        anEvent('status_changed', {
          actor: { kind: 'agent', id: 'dana', name: 'Dana' },
          data: { from: 'open', to: 'pending' },
        }),
        anEvent('note', {
          actor: { kind: 'agent', id: 'dana', name: 'Dana' },
          visibility: 'internal',
          data: { body: 'Asked for the app version' },
        }),
      ],
    });
    const { calls } = stubFetch(() => ({ body: detail }));
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);

    expect(await screen.findByRole('heading', { name: 'Case #7' })).toBeTruthy();
    expect(calls).toEqual([
      { method: 'GET', path: '/api/cases/7', body: undefined, authorization: 'Bearer agent-token' },
    ]);
    expect(screen.getByText('Bug report')).toBeTruthy();
    expect(screen.getByTestId('flexcord-case-status').textContent).toBe('Open');
    expect(screen.getByTestId('flexcord-case-priority').textContent).toBe('Normal priority');
    expect(screen.getByTestId('flexcord-case-subject').textContent).toBe('Login fails after the update');

    const member = screen.getByTestId('flexcord-member');
    expect(within(member).getByText('Mika')).toBeTruthy();
    expect(within(member).getByText('@mika_plays')).toBeTruthy();
    expect(within(member).queryByText('123456789012345678')).toBeNull();
    expect(within(member).queryByText('Discord ID')).toBeNull();
    expect(within(member).getByText('Member since')).toBeTruthy();
    expect(within(screen.getByTestId('flexcord-other-cases')).getByText('#3 Billing question')).toBeTruthy();

    const details = screen.getByTestId('flexcord-case-details');
    expect(within(details).getByText('The app shows an error after login')).toBeTruthy();
    expect(within(details).getByText('high')).toBeTruthy();
    expect(within(details).getByText('iOS')).toBeTruthy();

    const timeline = screen.getByTestId('flexcord-timeline');
    expect(within(timeline).getByText('Case opened by Mika')).toBeTruthy();
    expect(within(timeline).getByText('Mika asked to talk to an agent')).toBeTruthy();
    expect(within(timeline).getByText('Dana joined the chat')).toBeTruthy();
    expect(within(timeline).getByText('Dana changed the status from Open to Pending')).toBeTruthy();
    expect(within(timeline).getByText('Asked for the app version')).toBeTruthy();
    expect(within(timeline).getByText('Internal')).toBeTruthy();
  });

  it('shows a support chat’s help topic and its form’s answers by their names, in the agent’s language', async () => {
    const helpTopic = {
      id: 'payments',
      label: { en: 'Payments', es: 'Pagos' },
      emoji: '💳',
      answers: [
        { id: 'order', label: { en: 'Order number', es: 'Número de pedido' }, value: 'SA-ÑØ-4471' },
        { id: 'what', label: { en: 'What happened?', es: '¿Qué pasó?' }, value: 'Cobrado dos veces — مرتين' },
      ],
    };
    const detail = aDetail({
      case: aCase({
        type: 'support',
        subject: 'Payments',
        details: { kind: 'support', topic: 'Payments', helpTopic },
      }),
    });
    stubFetch(() => ({ body: detail }));
    const english = renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    const details = await screen.findByTestId('flexcord-case-details');
    expect(within(details).getByText('Topic')).toBeTruthy();
    expect(within(details).getByText('💳 Payments')).toBeTruthy();
    expect(within(details).getByText('Order number')).toBeTruthy();
    expect(within(details).getByText('SA-ÑØ-4471')).toBeTruthy();
    expect(within(details).getByText('What happened?')).toBeTruthy();
    expect(within(details).queryByText('payments')).toBeNull();
    expect(within(details).queryByText('order')).toBeNull();
    english.unmount();

    renderWithPaste(
      <StringsContext.Provider value={CASE_STRINGS.es}>
        <CasePanel agent={anAgent(discordAttributes)} />
      </StringsContext.Provider>,
    );
    const spanish = await screen.findByTestId('flexcord-case-details');
    expect(within(spanish).getByText('Tema')).toBeTruthy();
    expect(within(spanish).getByText('💳 Pagos')).toBeTruthy();
    expect(within(spanish).getByText('Número de pedido')).toBeTruthy();
    expect(within(spanish).getByText('Cobrado dos veces — مرتين')).toBeTruthy();
  });

  it('says in Spanish that the case could not be loaded, with the reason and a retry', async () => {
    stubFetch(() => ({ status: 503, body: { error: 'database unavailable' } }));
    renderWithPaste(
      <StringsContext.Provider value={CASE_STRINGS.es}>
        <CasePanel agent={anAgent(discordAttributes)} />
      </StringsContext.Provider>,
    );
    const failed = await screen.findByTestId('flexcord-case-failed');
    expect(failed.textContent).toMatch(/^No se pudo cargar el caso: /);
    expect(screen.getByText('Reintentar')).toBeTruthy();
  });

  it("finds the case through the task's conversation when the task has no case number", async () => {
    const { calls } = stubFetch((call) =>
      call.path.startsWith('/api/cases?')
        ? {
            body: { cases: [aCase({ number: 5, status: 'resolved' }), aCase({ number: 9, status: 'open' })] },
          }
        : { body: aDetail({ case: aCase({ number: 9 }) }) },
    );
    renderWithPaste(
      <CasePanel
        agent={anAgent({
          channelType: 'web',
          customChannelType: 'discord',
          conversationSid: CONVERSATION_SID,
        })}
      />,
    );
    expect(await screen.findByRole('heading', { name: 'Case #9' })).toBeTruthy();
    expect(calls.map((c) => c.path)).toEqual([
      `/api/cases?conversationSid=${CONVERSATION_SID}`,
      '/api/cases/9',
    ]);
  });

  it('says so when no case is linked yet', async () => {
    stubFetch(() => ({ body: { cases: [] } }));
    renderWithPaste(
      <CasePanel
        agent={anAgent({
          channelType: 'web',
          customChannelType: 'discord',
          conversationSid: CONVERSATION_SID,
        })}
      />,
    );
    expect(await screen.findByText('No case is linked to this conversation yet.')).toBeTruthy();
  });

  it('shows a status change at once, from the answer to the PATCH', async () => {
    const { calls } = stubFetch((call) =>
      call.method === 'PATCH'
        ? { body: aDetail({ case: aCase({ status: 'resolved' }) }) }
        : { body: aDetail() },
    );
    const notify = vi.fn();
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes, { notify })} />);
    fireEvent.change(await screen.findByLabelText('Status'), { target: { value: 'resolved' } });
    await waitFor(() => expect(screen.getByTestId('flexcord-case-status').textContent).toBe('Resolved'));
    expect(calls[1]).toMatchObject({ method: 'PATCH', path: '/api/cases/7', body: { status: 'resolved' } });
    expect(calls).toHaveLength(2);
    expect(notify).toHaveBeenCalledExactlyOnceWith('caseSaved', { number: 7, change: 'status saved' });
  });

  it('changes the priority and assigns the case to the agent', async () => {
    let current: CaseDetailResponse = aDetail();
    const { calls } = stubFetch((call) => {
      if (call.method === 'PATCH') {
        const body = call.body as { priority?: 'urgent'; assignee?: 'me' };
        current = aDetail({
          case: {
            ...current.case,
            ...(body.priority ? { priority: body.priority } : {}),
            ...(body.assignee ? { assignee: 'dana' } : {}),
          },
          ...(body.assignee ? { assigneeName: 'Dana', viewer: { id: 'dana', name: 'Dana' } } : {}),
        });
      }
      return { body: current };
    });
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    fireEvent.change(await screen.findByLabelText('Priority'), { target: { value: 'urgent' } });
    await waitFor(() =>
      expect(screen.getByTestId('flexcord-case-priority').textContent).toBe('Urgent priority'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await waitFor(() =>
      expect(screen.getByTestId('flexcord-case-assignee').textContent).toBe('Assigned to Dana'),
    );
    expect(screen.queryByRole('button', { name: 'Assign to me' })).toBeNull();
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      { priority: 'urgent' },
      { assignee: 'me' },
    ]);
  });

  it("names the assignee by their name, and offers 'Assign to me' only to someone else", async () => {
    const assignedTo = (viewer: { id: string; name: string }) =>
      aDetail({
        case: aCase({ assignee: 'dana.smith@example.com' }),
        assigneeName: 'Dana Smith',
        viewer,
      });
    stubFetch(() => ({ body: assignedTo({ id: 'dana.smith@example.com', name: 'Dana Smith' }) }));
    const { unmount } = renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    await waitFor(() =>
      expect(screen.getByTestId('flexcord-case-assignee').textContent).toBe('Assigned to Dana Smith'),
    );
    expect(screen.queryByRole('button', { name: 'Assign to me' })).toBeNull();
    expect(document.body.textContent).not.toContain('dana.smith@example.com');
    unmount();

    stubFetch(() => ({ body: assignedTo({ id: 'lee@example.com', name: 'Lee' }) }));
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    await waitFor(() =>
      expect(screen.getByTestId('flexcord-case-assignee').textContent).toBe('Assigned to Dana Smith'),
    );
    expect(screen.getByRole('button', { name: 'Assign to me' })).toBeTruthy();
  });

  it("shows the bridge's refusal in an alert and keeps the case as it was", async () => {
    stubFetch((call) =>
      call.method === 'PATCH'
        ? {
            status: 409,
            body: { error: { code: 'case_closed', message: 'Case #7 is closed; reopen it first' } },
          }
        : { body: aDetail() },
    );
    const notify = vi.fn();
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes, { notify })} />);
    fireEvent.change(await screen.findByLabelText('Status'), { target: { value: 'pending' } });
    expect((await screen.findByTestId('flexcord-case-error')).textContent).toBe(
      'Case #7 is closed; reopen it first',
    );
    expect(screen.getByTestId('flexcord-case-status').textContent).toBe('Open');
    expect(notify).not.toHaveBeenCalled();
  });

  it('adds an internal note, shows it in the timeline and clears the box', async () => {
    const { calls } = stubFetch((call) =>
      call.method === 'POST'
        ? {
            status: 201,
            body: aDetail({
              timeline: [
                anEvent('created'),
                anEvent('note', { visibility: 'internal', data: { body: 'Escalated to the app team' } }),
              ],
            }),
          }
        : { body: aDetail() },
    );
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    const box = (await screen.findByLabelText('Internal note')) as HTMLTextAreaElement;
    const add = screen.getByRole('button', { name: 'Add note' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    fireEvent.change(box, { target: { value: '  Escalated to the app team ' } });
    fireEvent.click(add);
    expect(
      await within(screen.getByTestId('flexcord-timeline')).findByText('Escalated to the app team'),
    ).toBeTruthy();
    expect(calls[1]).toMatchObject({
      method: 'POST',
      path: '/api/cases/7/notes',
      body: { body: 'Escalated to the app team' },
    });
    await waitFor(() => expect(box.value).toBe(''));
  });

  it('says why the case could not be loaded, and tries again on request', async () => {
    let fail = true;
    stubFetch(() =>
      fail
        ? { status: 401, body: { error: { code: 'invalid_token', message: 'token expired' } } }
        : { body: aDetail() },
    );
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/token expired.*Reload Flex/);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Case #7' })).toBeTruthy();
  });
});

describe("the case panel's timeline", () => {
  it('puts "View the post" on a line of its own, below the time', async () => {
    const url = 'https://discord.com/channels/1/2/3';
    const detail = aDetail({ timeline: [anEvent('created'), anEvent('public_post', { data: { url } })] });
    stubFetch(() => ({ body: detail }));
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    const link = await screen.findByRole('link', { name: /View the post/ });
    const entry = link.closest('li')!;
    const time = entry.querySelector('time')!;
    // Time and link are not inline siblings (which read "10:00 AMView the post").
    expect(link.parentElement).not.toBe(entry);
    expect(link.parentElement?.tagName).toBe('DIV');
    expect(time.parentElement).toBe(entry);
  });
});
