import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { KbInsertButton } from '../src/features/kb-insert/kb-insert-button.tsx';
import { CONVERSATION_SID, KB_HITS } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const attributes = { channelType: 'web', customChannelType: 'discord', conversationSid: CONVERSATION_SID };

describe('"This answered it" on an article in the answers popover', () => {
  it('proposes the chat’s question and the article for review, without touching the reply box', async () => {
    let outcome = 'proposed';
    const { calls } = stubFetch((call) =>
      call.method === 'POST'
        ? { status: outcome === 'proposed' ? 201 : 200, body: { outcome, phrasing: null } }
        : { body: { results: KB_HITS, outcome: 'candidates', confidence: 0.6 } },
    );
    const insertText = vi.fn();
    renderWithPaste(
      <KbInsertButton agent={anAgent(attributes, { insertText, memberQuestion: 'no puedo entrar 🔒' })} />,
    );
    fireEvent.click(screen.getByTestId('flexcord-kb-button'));
    const marks = await screen.findAllByRole('button', { name: 'This answered it' });
    fireEvent.click(marks[0]!);
    expect(
      await screen.findByText(
        'Sent for review: a supervisor decides whether the virtual agent answers this question with “Reset your password”.',
      ),
    ).toBeTruthy();
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/api/kb/gaps/phrasings',
        body: { conversationSid: CONVERSATION_SID, slug: 'reset-password', source: 'marked' },
        authorization: 'Bearer agent-token',
      },
    ]);
    expect(insertText).not.toHaveBeenCalled();

    outcome = 'bot_answered';
    fireEvent.click(marks[1]!);
    const second = screen.getAllByTestId('flexcord-kb-result')[1]!.parentElement!;
    await waitFor(() =>
      expect(within(second).getByRole('status').textContent).toBe(
        'The virtual agent already answered this question: nothing to review.',
      ),
    );
  });
});
