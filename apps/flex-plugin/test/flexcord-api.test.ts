// @vitest-environment node
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFlexcordApi, FlexcordApiError } from '../src/agent/flexcord-api.ts';
import { aCase, aDetail, CONVERSATION_SID, KB_HITS } from './fixtures.ts';

/** A tiny stand-in HTTP server: each test says what it answers and reads what it was sent. */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}
let answer: (request: Seen) => { status: number; body: unknown } = () => ({ status: 200, body: {} });
let seen: Seen[] = [];
let server: Server;
let baseUrl: string;

async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const record: Seen = {
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
      body: await readBody(request),
    };
    seen.push(record);
    const { status, body } = answer(record);
    response.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
    });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

describe('the bridge API client', () => {
  it('sends the current Flex token with every call, so a refreshed token is used at once', async () => {
    let token = 'first-token';
    const api = createFlexcordApi({ baseUrl, getToken: () => token });
    answer = () => ({ status: 200, body: { cases: [aCase()] } });
    await api.listCases({ conversationSid: CONVERSATION_SID });
    token = 'refreshed-token';
    await api.listCases({ memberId: '123456789012345678' });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer first-token', 'Bearer refreshed-token']);
    expect(seen.map((s) => s.url)).toEqual([
      `/api/cases?conversationSid=${CONVERSATION_SID}`,
      '/api/cases?memberId=123456789012345678',
    ]);
  });

  it('parses the answers with the contract schemas', async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 't' });
    answer = () => ({ status: 200, body: aDetail() });
    const detail = await api.getCase(7);
    expect(detail.case.number).toBe(7);
    expect(detail.member.memberSince).toBe('2023-05-01T00:00:00.000Z');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/cases/7' });
  });

  it('sends updates and notes as JSON bodies', async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 't' });
    answer = () => ({ status: 200, body: aDetail() });
    await api.updateCase(7, { status: 'resolved', assignee: 'me' });
    answer = () => ({ status: 201, body: aDetail() });
    await api.addNote(7, { body: 'Asked for logs' });
    expect(seen).toMatchObject([
      { method: 'PATCH', url: '/api/cases/7', body: { status: 'resolved', assignee: 'me' } },
      { method: 'POST', url: '/api/cases/7/notes', body: { body: 'Asked for logs' } },
    ]);
  });

  it('searches the knowledge base with the query encoded and a limit', async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 't' });
    answer = () => ({ status: 200, body: { results: KB_HITS } });
    const { results } = await api.searchKb('reset pass & 2fa', { limit: 5 });
    expect(results.map((hit) => hit.slug)).toEqual(['reset-password', 'two-factor']);
    expect(seen[0]?.url).toBe('/api/kb/search?q=reset+pass+%26+2fa&limit=5');
  });

  it('turns a 401 into an "unauthorized" error that says to sign in again', async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 'expired' });
    answer = () => ({ status: 401, body: { error: { code: 'invalid_token', message: 'token expired' } } });
    const error = await api.getCase(7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlexcordApiError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect((error as Error).message).toMatch(/token expired.*Reload Flex/);
  });

  it("keeps the bridge's own code, message and issues for a refusal", async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 't' });
    answer = () => ({
      status: 409,
      body: {
        error: {
          code: 'case_closed',
          message: 'Case #7 is closed; reopen it first',
          issues: [{ path: 'status', message: 'closed' }],
        },
      },
    });
    await expect(api.updateCase(7, { priority: 'high' })).rejects.toMatchObject({
      code: 'case_closed',
      status: 409,
      message: 'Case #7 is closed; reopen it first',
      issues: [{ path: 'status', message: 'closed' }],
    });
  });

  it('reports an error page without an error body by its status', async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 't' });
    answer = () => ({ status: 502, body: 'Bad Gateway' });
    await expect(api.getCase(7)).rejects.toMatchObject({ code: 'http_502', status: 502 });
  });

  it('refuses an answer that breaks the contract', async () => {
    const api = createFlexcordApi({ baseUrl, getToken: () => 't' });
    answer = () => ({ status: 200, body: { case: { number: 'seven' } } });
    await expect(api.getCase(7)).rejects.toMatchObject({ code: 'bad_response', status: 200 });
  });

  it('says the bridge is not reachable when nothing answers', async () => {
    const api = createFlexcordApi({ baseUrl: 'http://127.0.0.1:9', getToken: () => 't' });
    await expect(api.getCase(7)).rejects.toMatchObject({ code: 'network', status: null });
  });
});
