import type { FilledCannedRepliesResponse } from '@flexcord/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KbInsertButton } from '../src/features/kb-insert/kb-insert-button.tsx';
import { CONVERSATION_SID, KB_HITS } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const attributes = { channelType: 'web', customChannelType: 'discord', conversationSid: CONVERSATION_SID };
const QUESTION = 'olvidé mi contraseña 🔑 y no puedo entrar';

const FILLED: FilledCannedRepliesResponse = {
  language: 'es',
  replies: [
    {
      id: 'greeting',
      scope: 'shared',
      title: 'Saludo',
      text: '¡Hola, Lucía! Soy Dana, del equipo de soporte.',
      language: 'es',
      tags: ['hola'],
      missing: [],
    },
  ],
};

function bridge(kb: { results: typeof KB_HITS; outcome?: string; confidence?: number }) {
  return stubFetch((call) =>
    call.path.startsWith('/api/canned-replies/filled') ? { body: FILLED } : { body: kb },
  );
}

const kbCalls = (calls: { path: string }[]) => calls.filter((call) => call.path.startsWith('/api/kb/'));

describe("the answers popover opens on the member's last message", () => {
  it('searches the knowledge base for it at once, in the search box, and lists what the bridge is sure of', async () => {
    const { calls } = bridge({ results: [KB_HITS[0]!], outcome: 'answer', confidence: 0.93 });
    renderWithPaste(<KbInsertButton agent={anAgent(attributes, { memberQuestion: QUESTION })} />);
    fireEvent.click(screen.getByTestId('flexcord-kb-button'));
    const input = (await screen.findByLabelText(
      'Search canned replies and the knowledge base',
    )) as HTMLInputElement;
    expect(input.value).toBe(QUESTION);
    expect(await screen.findByText('Knowledge base, for the member’s last message')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('flexcord-kb-result')).toHaveLength(1));
    expect(screen.getByTestId('flexcord-kb-result').textContent).toContain('Reset your password');
    expect(kbCalls(calls).map((call) => decodeURIComponent(call.path.replaceAll('+', ' ')))).toEqual([
      `/api/kb/search?q=${QUESTION}&limit=5`,
    ]);
    // The canned replies are for the chat, not filtered by the member's words.
    expect(await screen.findByText('Saludo')).toBeTruthy();
  });

  it('says when the matches are not sure, and what the agent types replaces the question', async () => {
    const { calls } = bridge({ results: KB_HITS, outcome: 'unsure', confidence: 0.31 });
    renderWithPaste(<KbInsertButton agent={anAgent(attributes, { memberQuestion: QUESTION })} />);
    fireEvent.click(screen.getByTestId('flexcord-kb-button'));
    expect(await screen.findByText('Not a sure match: check the article before you send it.')).toBeTruthy();
    const input = screen.getByLabelText('Search canned replies and the knowledge base');
    fireEvent.change(input, { target: { value: 'saludo' } });
    await waitFor(() => expect(kbCalls(calls).at(-1)?.path).toBe('/api/kb/search?q=saludo&limit=5'));
    const popover = screen.getByTestId('flexcord-kb-popover');
    expect(within(popover).getByText('Knowledge base')).toBeTruthy();
    expect(within(popover).getByText('Saludo')).toBeTruthy();
  });

  it('opens empty, as before, when the member has said nothing yet', async () => {
    const { calls } = bridge({ results: KB_HITS });
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    fireEvent.click(screen.getByTestId('flexcord-kb-button'));
    const input = (await screen.findByLabelText(
      'Search canned replies and the knowledge base',
    )) as HTMLInputElement;
    expect(input.value).toBe('');
    await screen.findByText('Saludo');
    expect(kbCalls(calls)).toEqual([]);
  });
});
