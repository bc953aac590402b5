import type { KbGapsReport, KbLearnedPhrasing, SupervisorFigures } from '@flexcord/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FiguresView } from '../src/features/supervisor-figures/figures-view.tsx';
import { KB_HITS } from './fixtures.ts';
import { API, type FetchCall, renderWithPaste, stubFetch } from './render.tsx';

const figures: SupervisorFigures = {
  since: '2026-11-02T10:00:00.000Z',
  generatedAt: '2026-12-02T10:00:00.000Z',
  openCases: [],
  firstResponse: { medianSeconds: null, samples: 0, caseNumbers: [] },
  resolution: { medianSeconds: null, samples: 0, caseNumbers: [] },
  satisfaction: { average: null, responses: 0, byScore: [0, 0, 0, 0, 0] },
  deflection: { chats: 0, withoutAgent: 0, share: null },
  virtualAgent: {
    chats: 0,
    handedOver: 0,
    confirmed: 0,
    assumed: 0,
    awaiting: 0,
    unresolved: 0,
    resolutionRate: null,
    handoverRate: null,
  },
  reopened: { resolved: 0, reopened: 0, share: null, caseNumbers: [] },
  kbGaps: { unanswered: 0, top: [] },
  trend: [],
  agents: [],
};

const phrasing = (id: string, question: string, language = 'en'): KbLearnedPhrasing => ({
  id,
  question,
  slug: 'reset-password',
  title: 'Reset your password',
  language,
  source: 'kb_button',
  status: 'pending',
  proposedBy: 'dana@example.com',
  decidedBy: null,
  createdAt: '2026-12-01T18:00:00.000Z',
});

const report = (learned: KbLearnedPhrasing[]): KbGapsReport => ({
  since: '2026-11-02T10:00:00.000Z',
  questions: { answer: 0, candidates: 0, unsure: 2 },
  gaps: [],
  unhelpfulArticles: [],
  problems: [],
  learned,
});

/** The bridge as the view sees it: figures, the gaps report, the KB search, and decisions. */
function bridge(
  learned: KbLearnedPhrasing[],
  decision: (call: FetchCall) => { status?: number; body: unknown },
) {
  return stubFetch((call) => {
    if (call.path.startsWith('/api/figures')) return { body: { figures } };
    if (call.path.startsWith('/api/kb/gaps?')) return { body: { report: report(learned) } };
    if (call.path.startsWith('/api/kb/search')) return { body: { results: KB_HITS } };
    return decision(call);
  });
}

const render = () => renderWithPaste(<FiguresView desk={{ token: 'supervisor-token', apiBaseUrl: API }} />);
const rowOf = async (question: string) =>
  (await screen.findAllByTestId('flexcord-learned-phrasing')).find((row) =>
    row.textContent?.includes(question),
  )!;

describe('answers learned from agents, reviewed by a supervisor in the figures view', () => {
  it('lists each pending one; approving it tells what the virtual agent now answers, and it leaves the list', async () => {
    const harassed = phrasing('7', 'alguien me acosa en el chat de voz 😡', 'es');
    const { calls } = bridge([harassed, phrasing('8', 'forgot pw')], () => ({
      body: { phrasing: { ...harassed, status: 'approved', decidedBy: 'maya@example.com' } },
    }));
    render();
    const row = await rowOf('alguien me acosa');
    expect(row.textContent).toContain('Reset your password');
    expect(row.textContent).toContain('Sent with the knowledge base button');
    fireEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect((await screen.findByTestId('flexcord-learned-outcome')).textContent).toContain(
      'Approved: the virtual agent now answers “alguien me acosa en el chat de voz 😡” with “Reset your password”.',
    );
    expect(calls.find((call) => call.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/kb/gaps/phrasings/7',
      body: { action: 'approve' },
      authorization: 'Bearer supervisor-token',
    });
    await waitFor(() => expect(screen.getAllByTestId('flexcord-learned-phrasing')).toHaveLength(1));
  });

  it('reassigns to another article found by its title, and says so', async () => {
    const { calls } = bridge([phrasing('9', 'forgot pw')], () => ({
      body: {
        phrasing: {
          ...phrasing('9', 'forgot pw'),
          slug: 'two-factor',
          title: 'Two-factor authentication',
          status: 'approved',
        },
      },
    }));
    render();
    const row = await rowOf('forgot pw');
    fireEvent.click(within(row).getByRole('button', { name: 'Another article…' }));
    const picker = (await screen.findAllByLabelText('Article that answers “forgot pw”')).find(
      (element) => element.tagName === 'INPUT',
    )!;
    const approve = screen.getByRole('button', { name: 'Approve with this article' }) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    fireEvent.change(picker, { target: { value: 'two factor' } });
    fireEvent.click(await screen.findByRole('option', { name: 'Two-factor authentication' }));
    await waitFor(() => expect(approve.disabled).toBe(false));
    fireEvent.click(approve);
    expect((await screen.findByTestId('flexcord-learned-outcome')).textContent).toContain(
      '“forgot pw” with “Two-factor authentication”',
    );
    expect(calls.filter((call) => call.method === 'POST').map((call) => call.body)).toEqual([
      { action: 'reassign', slug: 'two-factor' },
    ]);
    expect(calls.some((call) => call.path === '/api/kb/search?q=two+factor&limit=8')).toBe(true);
  });

  it('rejects, and shows why a decision was not saved (the bridge checks the role)', async () => {
    let status = 403;
    const forgot = phrasing('9', 'forgot pw');
    bridge([forgot], () =>
      status === 403
        ? { status, body: { error: { code: 'supervisors_only', message: 'Only supervisors may do this' } } }
        : { body: { phrasing: { ...forgot, status: 'rejected' } } },
    );
    render();
    const row = await rowOf('forgot pw');
    fireEvent.click(within(row).getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Your decision was not saved: Only supervisors may do this')).toBeTruthy();
    status = 200;
    fireEvent.click(within(row).getByRole('button', { name: 'Reject' }));
    expect((await screen.findByTestId('flexcord-learned-outcome')).textContent).toContain(
      'Rejected: “forgot pw” stays unanswered by the virtual agent.',
    );
  });

  it('says when there is nothing to review', async () => {
    bridge([], () => ({ status: 500, body: {} }));
    render();
    expect(
      await screen.findByText(
        'Nothing to review: no agent answered a missed question with an article lately.',
      ),
    ).toBeTruthy();
  });
});
