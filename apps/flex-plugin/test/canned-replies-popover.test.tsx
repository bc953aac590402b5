import type { FilledCannedRepliesResponse } from '@flexcord/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { StringsContext } from '../src/agent/strings.ts';
import { KbInsertButton } from '../src/features/kb-insert/kb-insert-button.tsx';
import { KB_INSERT_STRINGS } from '../src/features/kb-insert/kb-insert-strings.ts';
import { matchCannedReplies } from '../src/features/kb-insert/use-canned-replies.ts';
import { CONVERSATION_SID, KB_HITS } from './fixtures.ts';
import { anAgent, renderWithPaste, stubFetch } from './render.tsx';

const attributes = { channelType: 'web', customChannelType: 'discord', conversationSid: CONVERSATION_SID };

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
    {
      id: 'follow-up',
      scope: 'shared',
      title: 'Seguimiento del caso',
      text: 'He anotado todo en el caso #{case}, Lucía.',
      language: 'es',
      tags: [],
      missing: ['case'],
    },
    {
      id: 'f6b1',
      scope: 'personal',
      title: 'Sign-off',
      text: 'Cheers, Dana 🎮',
      language: 'en',
      tags: ['bye'],
      missing: [],
    },
  ],
};

function answer(call: { path: string }) {
  if (call.path.startsWith('/api/canned-replies/filled')) return { body: FILLED };
  return { body: { results: KB_HITS } };
}

async function open() {
  fireEvent.click(screen.getByTestId('flexcord-kb-button'));
  return (await screen.findByLabelText('Search canned replies and the knowledge base')) as HTMLInputElement;
}

describe('canned replies in the answers popover', () => {
  it("lists the chat's replies as the bridge filled them, in the member's language, when the popover opens", async () => {
    const { calls } = stubFetch(answer);
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    await open();
    expect(await screen.findByText('¡Hola, Lucía! Soy Dana, del equipo de soporte.')).toBeTruthy();
    expect(screen.getByText('Canned replies, in Spanish for this member')).toBeTruthy();
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: `/api/canned-replies/filled?conversationSid=${CONVERSATION_SID}`,
      authorization: 'Bearer agent-token',
    });
    // What the agent must still fill, whose reply it is, and a reply only in the other language.
    const results = screen.getAllByTestId('flexcord-canned-result');
    expect(results).toHaveLength(3);
    expect(within(results[1]!).getByText('Fill in by hand: {case}')).toBeTruthy();
    expect(within(results[2]!).getByText('Mine · Only in English')).toBeTruthy();
  });

  it('narrows the replies as the agent types, ignoring accents and case, and searches the KB too', async () => {
    stubFetch(answer);
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    const input = await open();
    await screen.findByText('Saludo');
    fireEvent.change(input, { target: { value: 'LUCIA caso' } });
    await waitFor(() => expect(screen.getAllByTestId('flexcord-canned-result')).toHaveLength(1));
    expect(screen.getByText('Seguimiento del caso')).toBeTruthy();
    expect(await screen.findByText('Knowledge base')).toBeTruthy();
    fireEvent.change(input, { target: { value: 'zzz' } });
    expect(await screen.findByText('No canned reply matches “zzz”.')).toBeTruthy();
  });

  it('puts the filled text into the reply box, never sending it', async () => {
    const { calls } = stubFetch(answer);
    const insertText = vi.fn();
    renderWithPaste(<KbInsertButton agent={anAgent(attributes, { insertText })} />);
    await open();
    fireEvent.click(await screen.findByText('Saludo'));
    await waitFor(() =>
      expect(insertText).toHaveBeenCalledWith('¡Hola, Lucía! Soy Dana, del equipo de soporte.'),
    );
    expect(insertText).toHaveBeenCalledTimes(1);
    expect(calls.filter((call) => call.method !== 'GET')).toEqual([]);
  });

  it('says why the replies could not be loaded, and the KB still answers', async () => {
    stubFetch((call) =>
      call.path.startsWith('/api/canned-replies')
        ? { status: 503, body: { error: { code: 'unavailable', message: 'The database is busy' } } }
        : { body: { results: KB_HITS } },
    );
    renderWithPaste(<KbInsertButton agent={anAgent(attributes)} />);
    const input = await open();
    expect(await screen.findByText('Canned replies could not be loaded: The database is busy')).toBeTruthy();
    fireEvent.change(input, { target: { value: 'password' } });
    expect(await screen.findByText('Reset your password')).toBeTruthy();
  });

  it("speaks the agent's language from Flex's strings", async () => {
    stubFetch(answer);
    renderWithPaste(
      <StringsContext.Provider value={KB_INSERT_STRINGS.es}>
        <KbInsertButton agent={anAgent(attributes)} />
      </StringsContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('flexcord-kb-button'));
    expect(
      await screen.findByLabelText('Buscar respuestas predefinidas y en la base de conocimiento'),
    ).toBeTruthy();
    expect(await screen.findByText('Respuestas predefinidas, en español para este miembro')).toBeTruthy();
  });

  it('ranks replies whose title matches first', () => {
    const found = matchCannedReplies(FILLED.replies, 'dana');
    expect(found.map((reply) => reply.id)).toEqual(['greeting', 'f6b1']);
    expect(matchCannedReplies(FILLED.replies, 'sign dana').map((reply) => reply.id)).toEqual(['f6b1']);
  });
});
