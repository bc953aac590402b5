import {
  CaseDetailResponseSchema,
  CaseListResponseSchema,
  KbSearchResponseSchema,
} from '@flexcord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

/** The Flex plugin's API: Flex token checked with Twilio IAM, contract shapes, clear refusals. */
describe('the plugin API', () => {
  let stack: Stack;
  let token = '';
  let caseNumber = 0;
  let conversationSid = '';

  beforeAll(async () => {
    stack = await startStack({ env: { CORS_ORIGINS: 'https://flex.twilio.com,http://localhost:5173' } });
    token = stack.twilio.control.issueFlexToken('Dana').token;
    const chat = await memberWithAgent(stack, 'pixelpat');
    conversationSid = chat.conversationSid;
    const [found] = await stack.bridge.cases.listByConversation(conversationSid);
    caseNumber = found!.number;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const bearer = init.token === undefined ? token : init.token;
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${stack.bridge.url}/api${path}`, { ...init, headers });
  };

  it('refuses calls without a token or with a bad one (401)', async () => {
    const missing = await call(`/cases/${caseNumber}`, { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'missing_token' } });
    // A JWT is not a Flex token (a JWE): refused as malformed, without asking Twilio.
    const jwt = await call(`/cases/${caseNumber}`, { token: 'eyJhbGciOiJIUzI1NiJ9.forged.token' });
    expect(jwt.status).toBe(401);
    expect(await jwt.json()).toMatchObject({ error: { code: 'malformed_token' } });
    // Shaped like one, but Twilio does not know it.
    const header = Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url');
    const forged = await call(`/cases/${caseNumber}`, { token: `${header}..aXY.Zm9yZ2Vk.dGFn` });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('lists the cases of a conversation and of a member', async () => {
    const byConversation = CaseListResponseSchema.parse(
      await (await call(`/cases?conversationSid=${conversationSid}`)).json(),
    );
    expect(byConversation.cases.map((item) => item.number)).toEqual([caseNumber]);
    const memberId = stack.discord.control.user('pixelpat').id;
    const byMember = CaseListResponseSchema.parse(await (await call(`/cases?memberId=${memberId}`)).json());
    expect(byMember.cases.map((item) => item.number)).toContain(caseNumber);
    const both = await call(`/cases?memberId=${memberId}&conversationSid=${conversationSid}`);
    expect(both.status).toBe(400);
    expect(((await both.json()) as { error: { message: string } }).error.message).toContain('exactly one');
  });

  it('reads a case with its timeline and member', async () => {
    const detail = CaseDetailResponseSchema.parse(await (await call(`/cases/${caseNumber}`)).json());
    expect(detail.case.number).toBe(caseNumber);
    expect(detail.member).toMatchObject({ username: 'pixelpat', displayName: 'Pat' });
    expect(detail.timeline.map((event) => event.type)).toContain('agent_joined');
  });

  it('answers 404 for an unknown case and 400 for a bad number or body', async () => {
    expect((await call('/cases/99999')).status).toBe(404);
    expect((await call('/cases/abc')).status).toBe(400);
    const bad = await call(`/cases/${caseNumber}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'done', colour: 'red' }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues.length).toBeGreaterThan(0);
    const empty = await call(`/cases/${caseNumber}/notes`, {
      method: 'POST',
      body: JSON.stringify({ body: '   ' }),
    });
    expect(empty.status).toBe(400);
  });

  it('records the agent on what they change, and keeps notes internal', async () => {
    // Dana's accept made the case hers; she hands it back, then takes it again with "Assign to me".
    const unassigned = await call(`/cases/${caseNumber}`, {
      method: 'PATCH',
      body: JSON.stringify({ assignee: null }),
    });
    expect(CaseDetailResponseSchema.parse(await unassigned.json()).case.assignee).toBeNull();
    const patched = await call(`/cases/${caseNumber}`, {
      method: 'PATCH',
      body: JSON.stringify({ priority: 'high', assignee: 'me' }),
    });
    expect(patched.status).toBe(200);
    const detail = CaseDetailResponseSchema.parse(await patched.json());
    expect(detail.case).toMatchObject({ priority: 'high', assignee: 'dana@example.com' });
    const assigned = detail.timeline.filter((event) => event.type === 'assigned');
    expect(assigned.map((event) => event.data.to)).toEqual([null, 'dana@example.com']);
    expect(assigned[1]?.actor).toMatchObject({ kind: 'agent', id: 'dana@example.com' });
    // Who is asking and the assignee by name, so the panel reads "Assigned to Dana" and offers
    // "Assign to me" only to someone else.
    expect(detail.viewer).toEqual({ id: 'dana@example.com', name: 'Dana' });
    expect(detail.assigneeName).toBe('Dana');
    expect(JSON.stringify(detail.assigneeName)).not.toContain('@');

    const noted = CaseDetailResponseSchema.parse(
      await (
        await call(`/cases/${caseNumber}/notes`, {
          method: 'POST',
          body: JSON.stringify({ body: 'Refund approved' }),
        })
      ).json(),
    );
    const note = noted.timeline.find((event) => event.type === 'note');
    expect(note).toMatchObject({ visibility: 'internal', data: { body: 'Refund approved' } });
  });

  it('searches the KB and reads an article', async () => {
    const search = KbSearchResponseSchema.parse(
      await (await call('/kb/search?q=reset%20my%20password&limit=3')).json(),
    );
    expect(search.results[0]?.slug).toBe('reset-password');
    expect((await call('/kb/search')).status).toBe(400);
    const article = await call('/kb/articles/reset-password');
    expect(((await article.json()) as { article: { title: string } }).article.title).toBe(
      'Reset your password',
    );
    expect((await call('/kb/articles/nope')).status).toBe(404);
  });

  it('allows the configured Flex origins (CORS) and no others', async () => {
    const preflight = await fetch(`${stack.bridge.url}/api/cases/1`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await fetch(`${stack.bridge.url}/api/cases/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PATCH' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('counts failed tokens by the connecting address when no proxy is trusted (the default): a client cannot pick its own', async () => {
    // Served first, so the agent's token is one the bridge already knows.
    expect((await call(`/cases/${caseNumber}`)).status).toBe(200);
    const header = Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await call(`/cases/${caseNumber}`, {
        token: `${header}..aXY.${Buffer.from(`spoof-${i}`).toString('base64url')}.dGFn`,
        // Each request claims another address: ignored, nothing stands in front of the bridge.
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
      });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    // One address (earlier stories' refusals count too): at most 30 refusals, then 429s.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(30);
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    // The agent shares the stopped address, and is still served: their token is known good.
    expect((await call(`/cases/${caseNumber}`)).status).toBe(200);
  });
});
