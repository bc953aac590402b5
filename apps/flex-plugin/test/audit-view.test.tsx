import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AuditView } from '../src/features/supervisor-audit/audit-view.tsx';
import { API, renderWithPaste, stubFetch } from './render.tsx';

describe("the supervisor's audit log view", () => {
  it('lists who changed which case, how, and from where, by name', async () => {
    const { calls } = stubFetch(() => ({
      body: {
        entries: [
          {
            id: 2,
            caseNumber: 12,
            action: 'status_changed',
            actor: { id: 'zoe@example.com', name: 'Zoë Ñúñez' },
            source: 'plugin-api',
            changes: { from: 'open', to: 'pending' },
            at: '2026-12-08T01:00:00.000Z',
          },
          {
            id: 1,
            caseNumber: 12,
            action: 'agent_joined',
            actor: { id: 'dana@example.com', name: 'Dana' },
            source: 'flex',
            changes: { conversationSid: 'CH1' },
            at: '2026-12-08T00:50:00.000Z',
          },
        ],
      },
    }));
    renderWithPaste(<AuditView desk={{ token: 'supervisor-token', apiBaseUrl: API }} />);
    const rows = await screen.findAllByTestId('audit-entry');
    expect(calls[0]).toMatchObject({ path: '/api/audit?days=30', authorization: 'Bearer supervisor-token' });
    expect(within(rows[0]!).getByText('Zoë Ñúñez')).toBeTruthy();
    expect(within(rows[0]!).getByText('status changed')).toBeTruthy();
    expect(within(rows[0]!).getByText('Flex plugin')).toBeTruthy();
    expect(within(rows[0]!).getByText('open → pending')).toBeTruthy();
    expect(within(rows[1]!).getByText('Flex')).toBeTruthy();
    expect(screen.queryByText('zoe@example.com')).toBeNull();
  });

  it('says so when there is nothing in the period', async () => {
    stubFetch(() => ({ body: { entries: [] } }));
    renderWithPaste(<AuditView desk={{ token: 'supervisor-token', apiBaseUrl: API }} />);
    expect(await screen.findByText('No staff action on a case in this period.')).toBeTruthy();
  });
});
