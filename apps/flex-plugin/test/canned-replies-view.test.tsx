import type { CannedReply, CannedReplyListResponse } from '@flexcord/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CannedRepliesView } from '../src/features/canned-replies/canned-replies-view.tsx';
import { API, type FetchCall, renderWithPaste, stubFetch } from './render.tsx';

const GREETING: CannedReply = {
  id: 'greeting',
  scope: 'shared',
  en: { title: 'Greeting', body: 'Hi {member}! I’m {agent}.' },
  es: { title: 'Saludo', body: '¡Hola, {member}! Soy {agent}.' },
  tags: ['hello'],
  fromFile: true,
  updatedBy: null,
  updatedAt: '2026-12-01T10:00:00.000Z',
};
const SIGN_OFF: CannedReply = {
  id: 'f6b1',
  scope: 'personal',
  en: null,
  es: { title: 'Mi firma', body: 'Un saludo, {agent} 🎮' },
  tags: [],
  fromFile: false,
  updatedBy: 'Dana',
  updatedAt: '2026-12-01T11:00:00.000Z',
};

function bridge(mayEditShared: boolean) {
  let replies = [GREETING, SIGN_OFF];
  return stubFetch((call: FetchCall) => {
    if (call.method === 'GET') return { body: { replies, mayEditShared } satisfies CannedReplyListResponse };
    if (call.method === 'POST') {
      const reply = { ...SIGN_OFF, id: 'new1', ...(call.body as object), updatedBy: 'Sam' } as CannedReply;
      replies = [...replies, reply];
      return { status: 201, body: { reply } };
    }
    if (call.method === 'DELETE') {
      replies = replies.filter((reply) => !call.path.endsWith(`/${reply.id}`));
      return { body: { deleted: call.path.split('/').pop() } };
    }
    return { status: 405, body: { error: { code: 'x', message: 'x' } } };
  });
}

const desk = { token: 'agent-token', apiBaseUrl: API };

describe('the canned replies view', () => {
  it('shows an agent the shared replies to read and their own to change', async () => {
    bridge(false);
    renderWithPaste(<CannedRepliesView desk={desk} />);
    const shared = await screen.findByTestId('flexcord-canned-shared');
    expect(await within(shared).findByText('Saludo')).toBeTruthy();
    expect(within(shared).getByText('#hello · From the brand’s files')).toBeTruthy();
    expect(within(shared).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(within(shared).queryByRole('button', { name: 'New shared reply' })).toBeNull();
    const mine = screen.getByTestId('flexcord-canned-personal');
    expect(within(mine).getByText('Un saludo, {agent} 🎮')).toBeTruthy();
    expect(within(mine).getByText('No english version: members in english get the other one.')).toBeTruthy();
    expect(within(mine).getByRole('button', { name: 'Edit' })).toBeTruthy();
  });

  it('lets a supervisor add a shared reply, and says what to fix before sending it', async () => {
    const { calls } = bridge(true);
    renderWithPaste(<CannedRepliesView desk={desk} />);
    fireEvent.click(await screen.findByRole('button', { name: 'New shared reply' }));
    const form = await screen.findByTestId('flexcord-canned-form');
    fireEvent.change(within(form).getByLabelText('Title (English)'), { target: { value: 'Order' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('English: give both a title and a text, or neither.')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('Text (English)'), {
      target: { value: 'Your order {order} shipped, {member}.' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText(/unknown variable \{order\}/)).toBeTruthy();
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Text (English)'), {
      target: { value: 'Your order shipped, {member}.' },
    });
    fireEvent.change(within(form).getByLabelText('Tags (comma-separated, to find it by)'), {
      target: { value: 'order, shipping' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByTestId('flexcord-canned-form')).toBeNull());
    expect(calls.find((call) => call.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/canned-replies/shared',
      body: {
        en: { title: 'Order', body: 'Your order shipped, {member}.' },
        es: null,
        tags: ['order', 'shipping'],
      },
      authorization: 'Bearer agent-token',
    });
  });

  it('deletes a reply after asking', async () => {
    const { calls } = bridge(false);
    renderWithPaste(<CannedRepliesView desk={desk} />);
    const mine = await screen.findByTestId('flexcord-canned-personal');
    fireEvent.click(await within(mine).findByRole('button', { name: 'Delete' }));
    expect(within(mine).getByText('Delete “Mi firma”?')).toBeTruthy();
    fireEvent.click(within(mine).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(mine).queryByText('Mi firma')).toBeNull());
    expect(calls.find((call) => call.method === 'DELETE')?.path).toBe('/api/canned-replies/personal/f6b1');
  });
});
