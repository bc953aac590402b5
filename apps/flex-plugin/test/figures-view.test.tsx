import type { SupervisorFigures } from '@flexcord/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FiguresView } from '../src/features/supervisor-figures/figures-view.tsx';
import { API, renderWithPaste, stubFetch } from './render.tsx';

const figures: SupervisorFigures = {
  since: '2026-11-02T10:00:00.000Z',
  generatedAt: '2026-12-02T10:00:00.000Z',
  openCases: [
    { type: 'bug', status: 'open', count: 4 },
    { type: 'support', status: 'pending', count: 2 },
  ],
  firstResponse: { medianSeconds: 150, samples: 2, caseNumbers: [3, 5] },
  resolution: { medianSeconds: 3 * 3600 + 20 * 60, samples: 1, caseNumbers: [3] },
  satisfaction: { average: 4.25, responses: 4, byScore: [0, 0, 1, 1, 2] },
  deflection: { chats: 8, withoutAgent: 6, share: 0.75 },
  virtualAgent: {
    chats: 8,
    handedOver: 2,
    confirmed: 3,
    assumed: 1,
    awaiting: 1,
    unresolved: 1,
    resolutionRate: 0.5,
    handoverRate: 0.25,
  },
  reopened: { resolved: 1, reopened: 0, share: 0, caseNumbers: [] },
  kbGaps: {
    unanswered: 1,
    top: [
      {
        question: 'how do I gift a skin',
        count: 3,
        examples: [],
        languages: ['en'],
        unanswered: 3,
        unhelped: 0,
        nearest: [],
        lastAskedAt: '2026-12-01T18:00:00.000Z',
      },
    ],
  },
  trend: [],
  agents: [
    {
      agent: 'Dana',
      chats: 2,
      firstResponse: { medianSeconds: 150, samples: 2 },
      resolution: { medianSeconds: 3 * 3600 + 20 * 60, samples: 1 },
      rating: { average: 4.25, responses: 4 },
    },
  ],
};

afterEach(() => vi.restoreAllMocks());

describe("the supervisor's figures view", () => {
  it('downloads the figures of the chosen period as CSV, and says why when it cannot', async () => {
    let csvStatus = 200;
    const { calls } = stubFetch((call) =>
      call.path.includes('format=csv')
        ? csvStatus === 200
          ? { body: 'figure,value\nchats,8\n' }
          : {
              status: csvStatus,
              body: { error: 'supervisors_only', message: 'Only supervisors read the figures.' },
            }
        : { body: { figures } },
    );
    const saved: { name: string; blob: Blob }[] = [];
    let lastBlob: Blob | null = null;
    URL.createObjectURL = vi.fn((blob: Blob) => {
      lastBlob = blob;
      return 'blob:figures';
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      if (lastBlob) saved.push({ name: this.download, blob: lastBlob });
    });
    renderWithPaste(<FiguresView desk={{ token: 'supervisor-token', apiBaseUrl: API }} />);
    await screen.findByTestId('figure-open-cases-value');
    fireEvent.change(screen.getByLabelText('Period'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('figures-download'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(calls.find((call) => call.path.includes('format=csv'))).toMatchObject({
      path: '/api/figures?days=7&format=csv',
      authorization: 'Bearer supervisor-token',
    });
    expect(saved[0]?.name).toBe('figures-7-days.csv');
    expect(await saved[0]?.blob.text()).toContain('chats,8');

    csvStatus = 403;
    fireEvent.click(screen.getByTestId('figures-download'));
    expect(await screen.findByText(/^Could not download the figures: /)).toBeTruthy();
    expect(saved).toHaveLength(1);
  });

  it('shows the figures of the period, with the open cases and the survey as charts', async () => {
    const { calls } = stubFetch(() => ({ body: { figures } }));
    renderWithPaste(<FiguresView desk={{ token: 'supervisor-token', apiBaseUrl: API }} />);

    expect((await screen.findByTestId('figure-open-cases-value')).textContent).toBe('6');
    expect(calls[0]).toMatchObject({
      path: '/api/figures?days=30',
      authorization: 'Bearer supervisor-token',
    });
    expect(screen.getByTestId('figure-first-response-value').textContent).toBe('3 min');
    expect(screen.getByTestId('figure-resolution-value').textContent).toBe('3 h 20 min');
    expect(within(screen.getByTestId('figure-resolution')).getByText('over 1 resolved case')).toBeTruthy();
    // Each count says what it counts over: chats answered for the first response.
    expect(within(screen.getByTestId('figure-first-response')).getByText('over 2 chats')).toBeTruthy();
    // The definition is on the figure's title.
    fireEvent.focus(screen.getByTestId('figure-resolution-title'));
    expect(await screen.findByText(/A case closed as a duplicate or as spam is not resolved/)).toBeTruthy();
    // Each agent by name, with their figures.
    const dana = within(screen.getByTestId('figures-agents')).getByText('Dana').closest('tr')!;
    expect(dana.textContent).toBe(
      'Dana23 min (over 2 chats)3 h 20 min (over 1 case)4.3 / 5 (over 4 answers)',
    );
    expect(screen.getByTestId('figure-satisfaction-value').textContent).toBe('4.3 / 5');
    expect(screen.getByTestId('figure-deflection-value').textContent).toBe('75%');
    expect(within(screen.getByTestId('figure-kb-gaps')).getByText(/how do I gift a skin/)).toBeTruthy();
    const bars = within(screen.getByTestId('chart-open-cases')).getAllByRole('listitem');
    expect(bars.map((bar) => bar.textContent)).toEqual(['Bug report · Open4', 'Support · Pending2']);
    const scores = within(screen.getByTestId('chart-satisfaction')).getAllByRole('listitem');
    expect(scores.map((bar) => bar.textContent)).toEqual(['5 ★2', '4 ★1', '3 ★1', '2 ★0', '1 ★0']);

    fireEvent.change(screen.getByLabelText('Period'), { target: { value: '7' } });
    await waitFor(() => expect(calls.at(-1)?.path).toBe('/api/figures?days=7'));
  });

  it('shows what the virtual agent’s chats came to, the reopened cases and each active day, each with its definition', async () => {
    const none = { medianSeconds: null, samples: 0 };
    stubFetch(() => ({
      body: {
        figures: {
          ...figures,
          trend: [
            {
              day: '2026-11-30',
              chats: 0,
              firstResponse: none,
              resolution: none,
              rating: { average: null, responses: 0 },
            },
            {
              day: '2026-12-01',
              chats: 2,
              firstResponse: { medianSeconds: 150, samples: 2 },
              resolution: { medianSeconds: 3 * 3600 + 20 * 60, samples: 1 },
              rating: { average: 4.25, responses: 4 },
            },
          ],
        },
      },
    }));
    renderWithPaste(<FiguresView desk={{ token: 'supervisor-token', apiBaseUrl: API }} />);

    expect((await screen.findByTestId('figure-bot-resolution-value')).textContent).toBe('50%');
    expect(
      within(screen.getByTestId('figure-bot-resolution')).getByText(
        '3 confirmed + 1 assumed, of 8 chats with a question',
      ),
    ).toBeTruthy();
    const outcomes = within(screen.getByTestId('chart-bot-outcomes')).getAllByRole('listitem');
    expect(outcomes.map((bar) => bar.textContent)).toEqual([
      'Confirmed3',
      'Assumed1',
      'Within 24 h1',
      'Not resolved1',
      'Agent asked for2',
    ]);
    expect(screen.getByTestId('figure-handover-value').textContent).toBe('25%');
    expect(
      within(screen.getByTestId('figure-handover')).getByText('2 of 8 chats with a question'),
    ).toBeTruthy();
    expect(screen.getByTestId('figure-reopened-value').textContent).toBe('0%');
    expect(within(screen.getByTestId('figure-reopened')).getByText('0 of 1 resolved cases')).toBeTruthy();
    fireEvent.focus(screen.getByTestId('figure-bot-resolution-title'));
    expect(await screen.findByText(/pressed “This helped” on its last answer \(confirmed\)/)).toBeTruthy();
    fireEvent.focus(screen.getByTestId('figure-reopened-title'));
    expect(await screen.findByText(/within 72 hours of the resolution/)).toBeTruthy();
    // Only the days with something in them.
    const days = within(screen.getByTestId('figures-trend')).getAllByRole('row').slice(1);
    expect(days).toHaveLength(1);
    expect(days[0]!.textContent).toMatch(
      /23 min \(over 2 chats\)3 h 20 min \(over 1 case\)4\.3 \/ 5 \(over 4 answers\)$/,
    );
  });

  it("shows the bridge's reason when the agent is not a supervisor", async () => {
    stubFetch(() => ({
      status: 403,
      body: {
        error: {
          code: 'supervisors_only',
          message: 'the figures are for Flex supervisors (roles: supervisor, admin)',
        },
      },
    }));
    renderWithPaste(<FiguresView desk={{ token: 'agent-token', apiBaseUrl: API }} />);
    expect(
      await screen.findByText('the figures are for Flex supervisors (roles: supervisor, admin)'),
    ).toBeTruthy();
  });
});
