import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { kbAnswer } from '../src/features/kb-insert/kb-answer.ts';
import { KbInsertButton } from '../src/features/kb-insert/kb-insert-button.tsx';
import { CONVERSATION_SID, KB_HITS } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const attributes = { channelType: 'web', customChannelType: 'discord', conversationSid: CONVERSATION_SID };

async function openSearch() {
  fireEvent.click(screen.getByTestId('flexcord-kb-button'));
  return (await screen.findByLabelText('Search canned replies and the knowledge base')) as HTMLInputElement;
}

describe('the knowledge-base button', () => {
  it('searches once typing pauses, for the latest text only', async () => {
    const { calls } = stubFetch(() => ({ body: { results: KB_HITS } }));
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    const input = await openSearch();
    for (const text of ['r', 're', 'res', 'reset', 'reset pass'])
      fireEvent.change(input, { target: { value: text } });
    // Opening the popover loads the chat's canned replies; the KB waits for typing to pause.
    const kbCalls = () => calls.filter((call) => call.path.startsWith('/api/kb/'));
    expect(kbCalls()).toHaveLength(0);

    expect(await screen.findByText('Reset your password')).toBeTruthy();
    expect(screen.getByText('Turn on 2FA in your account settings…')).toBeTruthy();
    expect(kbCalls()).toEqual([
      {
        method: 'GET',
        path: '/api/kb/search?q=reset+pass&limit=5',
        body: undefined,
        authorization: 'Bearer agent-token',
      },
    ]);
  });

  it('puts a short answer with the title and link in the reply box, without sending it', async () => {
    stubFetch(() => ({ body: { results: KB_HITS } }));
    const insertText = vi.fn();
    renderWithPaste(<KbInsertButton agent={anAgent(attributes, { insertText })} />);
    fireEvent.change(await openSearch(), { target: { value: 'password' } });
    fireEvent.click(await screen.findByText('Reset your password'));
    await waitFor(() => expect(insertText).toHaveBeenCalledTimes(1));
    expect(insertText).toHaveBeenCalledWith(
      'This article should help: Reset your password – https://help.example.com/reset-password',
    );
    expect(kbAnswer(KB_HITS[1]!)).toBe(
      'This article should help: Two-factor authentication – https://help.example.com/two-factor',
    );
    // A brand without a public help center: the article's text goes in, there is no link to give.
    expect(
      kbAnswer({ title: 'Refunds', url: null, excerpt: 'Yearly plans are refunded within 14 days.' }),
    ).toBe('Refunds: Yearly plans are refunded within 14 days.');
  });

  it('proposes the chat’s question and the inserted article as a learned phrasing', async () => {
    const { calls } = stubFetch((call) =>
      call.method === 'POST'
        ? { status: 201, body: { outcome: 'bot_answered', phrasing: null } }
        : { body: { results: KB_HITS } },
    );
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    fireEvent.change(await openSearch(), { target: { value: 'password' } });
    fireEvent.click(await screen.findByText('Reset your password'));
    await waitFor(() => expect(calls.filter((call) => call.method === 'POST')).toHaveLength(1));
    expect(calls.find((call) => call.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/kb/gaps/phrasings',
      body: { conversationSid: CONVERSATION_SID, slug: KB_HITS[0]!.slug, source: 'kb_button' },
      authorization: 'Bearer agent-token',
    });
  });

  it('says when nothing matches, and shows a failed search', async () => {
    let status = 200;
    stubFetch(() =>
      status === 200
        ? { body: { results: [] } }
        : { status, body: { error: { code: 'kb_unavailable', message: 'The knowledge base is reloading' } } },
    );
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    const input = await openSearch();
    fireEvent.change(input, { target: { value: 'quantum' } });
    expect(await screen.findByText('No article matches “quantum”.')).toBeTruthy();
    status = 503;
    fireEvent.change(input, { target: { value: 'quantum flux' } });
    expect(await screen.findByText('The knowledge base is reloading')).toBeTruthy();
  });

  it('shows why the text could not be inserted', async () => {
    stubFetch(() => ({ body: { results: KB_HITS } }));
    const insertText = vi.fn(async () => {
      throw new Error('This task has no conversation to write into.');
    });
    renderWithPaste(<KbInsertButton agent={anAgent(attributes, { insertText })} />);
    fireEvent.change(await openSearch(), { target: { value: 'password' } });
    await act(async () => {
      fireEvent.click(await screen.findByText('Reset your password'));
    });
    expect(await screen.findByText('This task has no conversation to write into.')).toBeTruthy();
  });
});
