import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CasePanel } from '../src/shared/case/case-panel.tsx';
import { aCase, aDetail, anEvent, CONVERSATION_SID } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const discordAttributes = {
  channelType: 'web',
  customChannelType: 'discord',
  conversationSid: CONVERSATION_SID,
  caseNumber: 7,
};

describe('marking a report a duplicate from the case panel', () => {
  it('posts the original number, then shows this case closed as its duplicate', async () => {
    let merged = false;
    const { calls } = stubFetch((call) => {
      if (call.method === 'POST') {
        merged = true;
        return { body: aDetail({ case: aCase({ number: 3, reports: 2 }) }) };
      }
      return {
        body: merged
          ? aDetail({
              case: aCase({ status: 'closed', duplicateOf: 3 }),
              timeline: [
                anEvent('created'),
                anEvent('marked_duplicate', {
                  actor: { kind: 'agent', id: 'dana', name: 'Dana' },
                  data: { of: 3 },
                }),
              ],
            })
          : aDetail(),
      };
    });
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    const box = await screen.findByLabelText('Duplicate of case #');
    const mark = screen.getByRole('button', { name: 'Mark as duplicate' }) as HTMLButtonElement;
    fireEvent.change(box, { target: { value: '7' } });
    expect(mark.disabled).toBe(true);
    fireEvent.change(box, { target: { value: '3' } });
    fireEvent.click(mark);
    expect((await screen.findByTestId('flexcord-case-duplicate-of')).textContent).toContain('case #3');
    expect(screen.getByTestId('flexcord-case-status').textContent).toBe('Closed');
    // A duplicate's stage is its original's business: no stage control.
    expect(screen.queryByTestId('flexcord-case-stage')).toBeNull();
    expect(
      within(screen.getByTestId('flexcord-timeline')).getByText('Dana closed it as a duplicate of #3'),
    ).toBeTruthy();
    expect(calls.slice(1).map((call) => [call.method, call.path, call.body])).toEqual([
      ['POST', '/api/cases/7/duplicate', { of: 3 }],
      ['GET', '/api/cases/7', undefined],
    ]);
  });

  it("shows the bridge's reason when it refuses", async () => {
    stubFetch((call) =>
      call.method === 'POST'
        ? {
            status: 409,
            body: {
              error: {
                code: 'duplicate_cycle',
                message: 'case #3 is a duplicate of #7: marking #7 a duplicate of it would make a cycle',
              },
            },
          }
        : { body: aDetail() },
    );
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    fireEvent.change(await screen.findByLabelText('Duplicate of case #'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Mark as duplicate' }));
    expect((await screen.findByTestId('flexcord-case-error')).textContent).toContain('would make a cycle');
    expect(screen.getByTestId('flexcord-case-status').textContent).toBe('Open');
  });

  it('shows how many members reported it, and no duplicate form for a support case', async () => {
    stubFetch(() => ({
      body: aDetail({ case: aCase({ type: 'support', details: { kind: 'support' }, reports: 3 }) }),
    }));
    renderWithPaste(<CasePanel agent={anAgent(discordAttributes)} />);
    expect((await screen.findByTestId('flexcord-case-reports')).textContent).toBe('3 reports');
    expect(screen.queryByLabelText('Duplicate of case #')).toBeNull();
  });
});
