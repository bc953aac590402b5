import { SupervisorFiguresSchema } from '@flexcord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresCsv, SupervisorFiguresService } from '../src/domain/figures/supervisor-figures.ts';
import { gapsReport } from '../src/domain/kb/kb-gaps.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const at = (text: string) => new Date(`2026-${text}Z`);

/**
 * The supervisor figures on known data (issue #22): every number checked against what was seeded.
 * Pat's case #1: handed over 10:00, Dana's first message 60 s later, resolved an hour after opening,
 * rated 5. Maude's #2: Leo answers in 120 s, the case is pending (follow-up), rated 2. Lucía's #3:
 * handed over, only the virtual agent and a notice wrote since — no first response. #4, a bug closed
 * as a duplicate 10 s after filing, and #6, a support case closed as spam, are not resolutions; #5
 * was resolved before the window.
 */
describe('supervisor figures on seeded data', () => {
  let db: Database;
  let service: SupervisorFiguresService;

  const member = (id: string, name: string) =>
    db.query(`INSERT INTO members (discord_user_id, username, display_name) VALUES ($1, $2, $2)`, [id, name]);
  const kase = (
    number: number,
    input: {
      type?: string;
      status: string;
      member: string;
      created: Date;
      resolved?: Date;
      assignee?: string;
    },
  ) =>
    db.query(
      `INSERT INTO cases (number, type, status, subject, discord_user_id, assignee, details, created_at, resolved_at)
       VALUES ($1, $2, $3, 'Seeded', $4, $5, '{"kind":"support"}', $6, $7)`,
      [
        number,
        input.type ?? 'support',
        input.status,
        input.member,
        input.assignee ?? null,
        input.created,
        input.resolved ?? null,
      ],
    );
  const event = (caseNumber: number, type: string, actor: object, data: object, created: Date) =>
    db.query(
      `INSERT INTO case_events (case_number, type, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [caseNumber, type, JSON.stringify(actor), JSON.stringify(data), created],
    );
  const chat = (sid: string, memberId: string, caseNumber: number | null) =>
    db.query(
      `INSERT INTO conversations (sid, discord_user_id, dm_channel_id, case_number, state) VALUES ($1, $2, 'D', $3, 'closed')`,
      [sid, memberId, caseNumber],
    );
  let seeded = 0;
  const nextKey = () => {
    seeded += 1;
    return seeded;
  };
  const line = (sid: string, author: string, created: Date) =>
    db.query(
      `INSERT INTO chat_lines (conversation_sid, key, author, body, created_at) VALUES ($1, $2, $3, 'text', $4)`,
      [sid, `seed:${nextKey()}`, author, created],
    );
  const asked = (
    sid: string,
    memberId: string,
    question: string,
    outcome: string,
    created: Date,
    feedback?: string,
  ) =>
    db.query(
      `INSERT INTO kb_answers (turn_key, conversation_sid, discord_user_id, question, language, outcome, confidence, feedback, created_at)
       VALUES ($1, $2, $3, $4, 'en', $5, 0.2, $6, $7)`,
      [`turn:${nextKey()}`, sid, memberId, question, outcome, feedback ?? null, created],
    );
  const dana = { kind: 'agent', id: 'dana@example.com', name: 'Dana' };
  const leo = { kind: 'agent', id: 'leo@example.com', name: 'Leo' };
  const pat = { kind: 'member', id: 'M1', name: 'Pat' };

  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    await member('M1', 'Pat');
    await member('M2', 'Maude');
    await member('M3', 'Lucía');
    // #1 Pat with Dana: 60 s to the first answer, resolved in 3600 s, rated 5.
    await kase(1, {
      status: 'resolved',
      member: 'M1',
      created: at('03-08T10:00:00'),
      resolved: at('03-08T11:00:00'),
      assignee: 'dana@example.com',
    });
    await chat('CH1', 'M1', 1);
    await event(1, 'handover_requested', pat, { conversationSid: 'CH1' }, at('03-08T10:00:00'));
    await line('CH1', 'discord:M1', at('03-08T09:59:00'));
    await line('CH1', 'bot', at('03-08T10:00:10'));
    await event(1, 'agent_joined', dana, { conversationSid: 'CH1' }, at('03-08T10:00:30'));
    await line('CH1', 'dana@example.com', at('03-08T10:01:00'));
    await line('CH1', 'dana@example.com', at('03-08T10:05:00'));
    await event(
      1,
      'survey_answered',
      pat,
      { conversationSid: 'CH1', rating: 5, agent: 'Dana' },
      at('03-08T11:05:00'),
    );
    await asked('CH1', 'M1', 'my game crashes on startup', 'answer', at('03-08T09:58:00'));
    // #2 Maude with Leo: 120 s, follow-up needed (pending), rated 2.
    await kase(2, {
      status: 'pending',
      member: 'M2',
      created: at('03-09T09:00:00'),
      assignee: 'leo@example.com',
    });
    await chat('CH2', 'M2', 2);
    await event(
      2,
      'handover_requested',
      { kind: 'member', id: 'M2', name: 'Maude' },
      { conversationSid: 'CH2' },
      at('03-09T09:00:00'),
    );
    await event(2, 'agent_joined', leo, { conversationSid: 'CH2' }, at('03-09T09:01:00'));
    await line('CH2', 'leo@example.com', at('03-09T09:02:00'));
    await event(
      2,
      'survey_answered',
      { kind: 'member', id: 'M2', name: 'Maude' },
      { conversationSid: 'CH2', rating: 2, agent: 'Leo' },
      at('03-09T09:30:00'),
    );
    // #3 Lucía: handed over, no agent has written yet.
    await kase(3, { status: 'open', member: 'M3', created: at('03-09T10:00:00') });
    await chat('CH3', 'M3', 3);
    await event(
      3,
      'handover_requested',
      { kind: 'member', id: 'M3', name: 'Lucía' },
      { conversationSid: 'CH3' },
      at('03-09T10:00:00'),
    );
    await line('CH3', 'bot', at('03-09T10:00:10'));
    await line('CH3', 'system', at('03-09T10:00:20'));
    await line('CH3', 'discord:M3', at('03-09T10:00:30'));
    // #4 a bug closed as a duplicate 10 s after filing; #6 a support case closed as spam.
    await kase(4, {
      type: 'bug',
      status: 'closed',
      member: 'M1',
      created: at('03-09T12:00:00'),
      resolved: at('03-09T12:00:10'),
    });
    await kase(6, {
      status: 'closed',
      member: 'M1',
      created: at('03-09T13:00:00'),
      resolved: at('03-09T13:00:05'),
    });
    // #5 resolved before the window.
    await kase(5, {
      status: 'resolved',
      member: 'M2',
      created: at('02-20T10:00:00'),
      resolved: at('02-21T10:00:00'),
    });
    // A chat the virtual agent closed alone, and the questions it could not answer well.
    await chat('CH7', 'M3', null);
    await asked('CH7', 'M3', 'how do I fly a dragon', 'unsure', at('03-09T08:00:00'));
    await asked('CH7', 'M3', 'how do I fly a dragon', 'unsure', at('03-09T08:01:00'));
    await asked('CH7', 'M3', 'refund for skins', 'candidates', at('03-09T08:02:00'), 'agent');
    service = new SupervisorFiguresService(
      db,
      { gaps: (options) => gapsReport(db, { ...options, titleOf: () => null, problems: [], now: NOW }) },
      () => NOW,
    );
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('every figure equals what the seeded data says', async () => {
    const figures = SupervisorFiguresSchema.parse(await service.figures(7));
    expect(figures.openCases).toEqual([
      { type: 'support', status: 'open', count: 1 },
      { type: 'support', status: 'pending', count: 1 },
    ]);
    // The first agent message after the handover; bot lines and notices are not a response.
    expect(figures.firstResponse).toEqual({ medianSeconds: 90, samples: 2, caseNumbers: [1, 2] });
    // Resolved, not closed: the duplicate and the spam are not resolutions.
    expect(figures.resolution).toEqual({ medianSeconds: 3600, samples: 1, caseNumbers: [1] });
    expect(figures.satisfaction).toEqual({ average: 3.5, responses: 2, byScore: [0, 1, 0, 0, 1] });
    expect(figures.deflection).toEqual({ chats: 2, withoutAgent: 1, share: 0.5 });
    // Pat's chat went to an agent; Lucía's last question got candidates she turned down: neither
    // is a resolution by the virtual agent, though hers needed no agent.
    expect(figures.virtualAgent).toEqual({
      chats: 2,
      handedOver: 1,
      confirmed: 0,
      assumed: 0,
      awaiting: 0,
      unresolved: 1,
      resolutionRate: 0,
      handoverRate: 0.5,
    });
    // Pat's #1 was resolved 03-08 11:00 and she opened support case #6 26 h later (whatever became
    // of it): reopened. Her bug #4 is another kind of case.
    expect(figures.reopened).toEqual({ resolved: 1, reopened: 1, share: 1, caseNumbers: [1] });
    // The count is the length of the list it counts.
    expect(figures.kbGaps.unanswered).toBe(2);
    expect(figures.kbGaps.top.map((gap) => [gap.question, gap.count])).toEqual([
      ['how do I fly a dragon', 2],
      ['refund for skins', 1],
    ]);
  });

  it('each figure per day of the window, and per agent by name', async () => {
    const figures = await service.figures(7);
    const none = { medianSeconds: null, samples: 0 };
    const quiet = {
      chats: 0,
      firstResponse: none,
      resolution: none,
      rating: { average: null, responses: 0 },
    };
    expect(figures.trend).toEqual([
      { day: '2026-03-03', ...quiet },
      { day: '2026-03-04', ...quiet },
      { day: '2026-03-05', ...quiet },
      { day: '2026-03-06', ...quiet },
      { day: '2026-03-07', ...quiet },
      {
        day: '2026-03-08',
        chats: 1,
        firstResponse: { medianSeconds: 60, samples: 1 },
        resolution: { medianSeconds: 3600, samples: 1 },
        rating: { average: 5, responses: 1 },
      },
      {
        day: '2026-03-09',
        chats: 1,
        firstResponse: { medianSeconds: 120, samples: 1 },
        resolution: none,
        rating: { average: 2, responses: 1 },
      },
      { day: '2026-03-10', ...quiet },
    ]);
    expect(figures.agents).toEqual([
      {
        agent: 'Dana',
        chats: 1,
        firstResponse: { medianSeconds: 60, samples: 1 },
        resolution: { medianSeconds: 3600, samples: 1 },
        rating: { average: 5, responses: 1 },
      },
      {
        agent: 'Leo',
        chats: 1,
        firstResponse: { medianSeconds: 120, samples: 1 },
        resolution: none,
        rating: { average: 2, responses: 1 },
      },
    ]);
  });

  it('exports the trend and the agents as CSV', async () => {
    const csv = figuresCsv(await service.figures(7));
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(
      'scope,day_or_agent,chats,first_response_median_seconds,first_responses,resolution_median_seconds,resolved,rating_average,ratings',
    );
    expect(rows).toContain('day,2026-03-08,1,60,1,3600,1,5,1');
    expect(rows).toContain('day,2026-03-10,0,,0,,0,,0');
    expect(rows).toContain('agent,Leo,1,120,1,,0,2,1');
    expect(rows).toContain('total,2026-03-03..2026-03-10,2,90,2,3600,1,3.5,2');
    expect(rows).toHaveLength(8 + 2 + 2 + 1);
  });
});
