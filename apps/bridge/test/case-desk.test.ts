import {
  type CasePriority,
  type CaseSearchInput,
  CaseSearchResponseSchema,
  type CaseType,
} from '@flexcord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../src/infrastructure/db/members-repository.ts';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';

const AGENT = { kind: 'agent' as const, id: 'dana@example.com', name: 'Dana' };

/** A few members' reports, in English and Spanish, as /bug and /new_feature would file them. */
interface Report {
  member: string;
  type: CaseType;
  subject: string;
  details: string;
  priority: CasePriority;
}
const REPORTS: Report[] = [
  {
    member: 'pixelpat',
    type: 'bug',
    subject: 'Game crashes on the loading screen',
    details: 'The client crashes every time the loading screen reaches 90 percent.',
    priority: 'urgent',
  },
  {
    member: 'lucia',
    type: 'bug',
    subject: 'No puedo cambiar la contraseña',
    details: 'Al pulsar «Cambiar contraseña» aparece un error de conexión.',
    priority: 'normal',
  },
  {
    member: 'pixelpat',
    type: 'feature',
    subject: 'Colour-blind mode for the minimap',
    details: 'Red and green markers look the same to me.',
    priority: 'low',
  },
  {
    member: 'maude',
    type: 'support',
    subject: 'Refund for a double charge',
    details: '',
    priority: 'high',
  },
];

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

/** The Cases view's API: every case filtered, searched, sorted and paged, behind the Flex token. */
describe.each(storages)('the case desk (%s)', (storage) => {
  let stack: Stack;
  let token = '';
  const numbers: Record<string, number> = {};

  beforeAll(async () => {
    stack = await startStack({ storage });
    token = stack.twilio.control.issueFlexToken('Dana').token;
    for (const report of REPORTS) {
      const user = stack.discord.control.user(report.member);
      numbers[report.subject] = await stack.db.transaction(async (tx) => {
        await upsertMember(tx, {
          id: user.id,
          username: user.username,
          displayName: user.global_name ?? user.username,
          avatarUrl: null,
        });
        return stack.bridge.cases.open(tx, {
          type: report.type,
          memberId: user.id,
          subject: report.subject,
          priority: report.priority,
          details:
            report.type === 'bug'
              ? {
                  kind: 'bug',
                  whatHappened: report.details,
                  steps: '',
                  expectedVsActual: '',
                  severity: 'medium',
                }
              : report.type === 'feature'
                ? { kind: 'feature', description: report.details, whyItMatters: '' }
                : { kind: 'support' },
          actor: { kind: 'member', id: user.id, name: user.username },
          createdData: { via: 'test' },
        });
      });
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const search = async (query: CaseSearchInput) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    const res = await fetch(`${stack.bridge.url}/api/cases?${params}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return CaseSearchResponseSchema.parse(await res.json());
  };
  const subjects = async (query: CaseSearchInput) => (await search(query)).cases.map((item) => item.subject);

  it('finds a report by a word of its description, a word prefix, and without its accents', async () => {
    expect(await subjects({ q: 'percent' })).toEqual(['Game crashes on the loading screen']);
    expect(await subjects({ q: 'crash' })).toEqual(['Game crashes on the loading screen']);
    expect(await subjects({ q: 'contrasena' })).toEqual(['No puedo cambiar la contraseña']);
    expect(await subjects({ q: 'CONTRASEÑA conexión' })).toEqual(['No puedo cambiar la contraseña']);
    expect(await subjects({ q: 'contraseña loading' })).toEqual([]);
    expect(await subjects({ q: '  ¿¡!?  ' })).toHaveLength(REPORTS.length);
  });

  it('finds a case by the words of an internal note once it is written', async () => {
    const refund = numbers['Refund for a double charge']!;
    expect(await subjects({ q: 'chargeback' })).toEqual([]);
    await stack.bridge.cases.addNote(refund, 'Bank opened a chargeback, waiting on finance.', AGENT);
    expect(await subjects({ q: 'chargeback' })).toEqual(['Refund for a double charge']);
  });

  it('filters by type, status, priority, assignee, member and age', async () => {
    const crash = numbers['Game crashes on the loading screen']!;
    await stack.bridge.cases.update(crash, { assignee: 'me', status: 'pending' }, AGENT);
    expect((await subjects({ type: ['bug', 'feature'] })).sort()).toEqual([
      'Colour-blind mode for the minimap',
      'Game crashes on the loading screen',
      'No puedo cambiar la contraseña',
    ]);
    expect(await subjects({ status: ['pending'] })).toEqual(['Game crashes on the loading screen']);
    expect(await subjects({ priority: ['high', 'urgent'], type: ['support'] })).toEqual([
      'Refund for a double charge',
    ]);
    expect(await subjects({ assignee: 'me' })).toEqual(['Game crashes on the loading screen']);
    expect(await subjects({ assignee: 'dana@example.com' })).toEqual(['Game crashes on the loading screen']);
    expect(await subjects({ assignee: 'none' })).not.toContain('Game crashes on the loading screen');
    const pat = stack.discord.control.user('pixelpat').id;
    expect((await subjects({ memberId: pat, type: ['feature'] })).sort()).toEqual([
      'Colour-blind mode for the minimap',
    ]);
    // A case opened 40 days ago is "older than 30 days", and no longer "from the last 7 days".
    await stack.db.query(`UPDATE cases SET created_at = now() - interval '40 days' WHERE number = $1`, [
      numbers['Colour-blind mode for the minimap'],
    ]);
    expect(await subjects({ olderThanDays: 30 })).toEqual(['Colour-blind mode for the minimap']);
    expect(await subjects({ newerThanDays: 7 })).not.toContain('Colour-blind mode for the minimap');
  });

  it('sorts and pages with a cursor: every case once, in order, and counts them', async () => {
    const byPriority = await subjects({ sort: 'priority' });
    expect(byPriority.slice(0, 2)).toEqual([
      'Game crashes on the loading screen',
      'Refund for a double charge',
    ]);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search({ sort: 'newest', limit: 1, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(cursor ? null : REPORTS.length);
      seen.push(...page.cases.map((item) => item.number));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(REPORTS.length);
    expect(new Set(seen).size).toBe(REPORTS.length);
    const oldest = (await search({ sort: 'oldest', limit: 100 })).cases.map((item) => item.number);
    expect(oldest[0]).toBe(numbers['Colour-blind mode for the minimap']);
  });

  it('refuses a bad filter or a cursor of another sort with a reason (400)', async () => {
    const call = (query: string) =>
      fetch(`${stack.bridge.url}/api/cases?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const badType = await call('type=question');
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { error: { message: string } }).error.message).toContain('type');
    const { nextCursor } = await search({ sort: 'newest', limit: 1 });
    const wrongSort = await call(`sort=priority&cursor=${nextCursor}`);
    expect(wrongSort.status).toBe(400);
    expect(await wrongSort.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
    const forged = await call(
      `cursor=${Buffer.from('["updated","x; DROP TABLE cases",1]').toString('base64url')}`,
    );
    expect(forged.status).toBe(400);
    const noToken = await fetch(`${stack.bridge.url}/api/cases?q=crash`);
    expect(noToken.status).toBe(401);
  });
});
