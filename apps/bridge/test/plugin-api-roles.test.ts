import { readFileSync } from 'node:fs';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessTableMarkdown,
  PLUGIN_API_ACCESS,
  type PluginApiAccess,
} from '../src/adapters/http/plugin-api-access.ts';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

/**
 * Who may call what on the plugin API: every route under `/api` of the running bridge, called as
 * the agent whose case it is, another agent, a supervisor and a stranger, answers as the access
 * table (`plugin-api-access.ts`) says — and the table in docs/deploy.md is that table.
 */

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** `METHOD /path` of every route the Express app serves, mounted paths included. */
function routesOf(layers: Layer[], prefix = ''): string[] {
  return layers.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${prefix}${layer.route!.path}`);
    }
    const nested = layer.handle?.stack;
    if (!nested) return [];
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return routesOf(nested, `${prefix}${mount}`);
  });
}

type Persona = 'own agent' | 'other agent' | 'supervisor' | 'admin';

const ALLOWED: Record<PluginApiAccess, Persona[]> = {
  agent: ['own agent', 'other agent', 'supervisor', 'admin'],
  'case-editor': ['own agent', 'supervisor', 'admin'],
  'case-participant': ['own agent', 'supervisor', 'admin'],
  supervisor: ['supervisor', 'admin'],
  'privacy-admin': ['admin'],
};

describe('the plugin API: who may call each route', () => {
  let stack: Stack;
  let caseNumber = 0;
  let tokens: Record<Persona, string>;

  beforeAll(async () => {
    stack = await startStack({
      // Strangers call every route here: keep their failures from limiting the test's address.
      env: { API_AUTH_FAILURES_PER_MINUTE: '1000' },
      twilioOptions: {
        agents: [
          { name: 'Dana', email: 'dana@example.com' },
          { name: 'Leo', email: 'leo@example.com', available: false },
          { name: 'Sam', email: 'sam@example.com', roles: ['supervisor'], available: false },
          { name: 'Ada', email: 'ada@example.com', roles: ['admin'], available: false },
        ],
      },
    });
    const chat = await memberWithAgent(stack, 'pixelpat');
    caseNumber = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    await eventually(
      async () => (await stack.bridge.cases.find(caseNumber))?.assignee === 'dana@example.com',
      'the assignment',
    );
    tokens = {
      'own agent': stack.twilio.control.issueFlexToken('Dana').token,
      'other agent': stack.twilio.control.issueFlexToken('Leo').token,
      supervisor: stack.twilio.control.issueFlexToken('Sam').token,
      admin: stack.twilio.control.issueFlexToken('Ada').token,
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A request each route can take; its content only needs to get past the access check. */
  const requestFor = (route: string): { path: string; body?: unknown } => {
    const [method, template] = route.split(' ') as [string, string];
    const path = template
      .replace(':number', String(caseNumber))
      .replace(':slug', 'no-such-article')
      .replace(':id', '1')
      .replace(':userId', '123456789012345678');
    const samples: Record<string, { query?: string; body?: unknown }> = {
      'PATCH /api/cases/:number': { body: { priority: 'high' } },
      'POST /api/cases/:number/notes': { body: { body: 'A note for the team' } },
      // Each refused after the access check (an unknown disposition, a case duplicating itself…).
      'POST /api/cases/:number/wrap-up': { body: { disposition: 'no-such-disposition' } },
      'POST /api/cases/:number/duplicate': { body: { of: caseNumber } },
      'POST /api/cases/:number/replies': { body: { body: 'An official answer' } },
      'GET /api/cases/:number/transcript': { query: '?format=json' },
      'GET /api/figures': { query: '?days=7' },
      'GET /api/kb/search': { query: '?q=refund' },
      // A member with no data: the export is empty, the erasure has nothing to erase.
      'POST /api/privacy/members/:userId/export': { body: {} },
      'POST /api/privacy/members/:userId/delete': { body: { confirm: '123456789012345678' } },
    };
    const sample = samples[route] ?? {};
    return {
      path: `${path}${sample.query ?? ''}`,
      ...(method === 'GET' ? {} : { body: sample.body ?? {} }),
    };
  };

  const call = (route: string, token: string | null) => {
    const method = route.split(' ')[0]!;
    const { path, body } = requestFor(route);
    return fetch(`${stack.bridge.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };

  it('serves exactly the routes of the access table under /api', () => {
    const served = routesOf((stack.bridge.app as unknown as { router: { stack: Layer[] } }).router.stack)
      .filter((route) => route.split(' ')[1]!.startsWith('/api/'))
      .sort();
    expect(served).toEqual(Object.keys(PLUGIN_API_ACCESS).sort());
  });

  it('answers every route as the table says, for a stranger, the own agent, another agent and a supervisor', async () => {
    const forged = `${Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url')}..aXY.Zm9yZ2Vk.dGFn`;
    const denied: Persona[] = ['other agent', 'own agent', 'supervisor', 'admin'];
    for (const [route, access] of Object.entries(PLUGIN_API_ACCESS) as [string, PluginApiAccess][]) {
      for (const [token, code] of [
        [null, 'missing_token'],
        [forged, 'invalid_token'],
      ] as const) {
        const response = await call(route, token);
        expect(response.status, `${route} as a stranger (${code})`).toBe(401);
        expect(await response.json()).toMatchObject({ error: { code } });
      }
      // Those refused first (their calls change nothing), then those allowed.
      const order = [...denied.filter((persona) => !ALLOWED[access].includes(persona)), ...ALLOWED[access]];
      for (const persona of order) {
        const response = await call(route, tokens[persona]);
        const body = await response.text();
        if (ALLOWED[access].includes(persona)) {
          expect([401, 403], `${route} as ${persona}: ${response.status} ${body}`).not.toContain(
            response.status,
          );
          expect(response.status, `${route} as ${persona}: ${body}`).toBeLessThan(500);
        } else {
          expect(response.status, `${route} as ${persona}: ${body}`).toBe(403);
        }
      }
    }
  });

  it("lets an agent who took part in a case's chat read its transcript after the case went to someone else, but not change it", async () => {
    const sam = tokens.supervisor;
    const reassigned = await fetch(`${stack.bridge.url}/api/cases/${caseNumber}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sam}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assignee: 'me' }),
    });
    expect(reassigned.status).toBe(200);
    const dana = tokens['own agent'];
    expect((await call('GET /api/cases/:number/transcript', dana)).status).toBe(200);
    const change = await call('PATCH /api/cases/:number', dana);
    expect(change.status).toBe(403);
    expect(await change.json()).toMatchObject({ error: { code: 'not_your_case' } });
    const leo = await call('GET /api/cases/:number/transcript', tokens['other agent']);
    expect(leo.status).toBe(403);
    expect(await leo.json()).toMatchObject({ error: { code: 'not_in_case_chats' } });
  });
});

describe('the access table in docs/deploy.md', () => {
  it('is the table the code registers its routes from', () => {
    const doc = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');
    const between = /<!-- plugin-api-access:start -->\n([\s\S]*?)\n<!-- plugin-api-access:end -->/.exec(doc);
    expect(between?.[1], `docs/deploy.md should hold, between its markers:\n${accessTableMarkdown()}`).toBe(
      accessTableMarkdown(),
    );
  });
});
