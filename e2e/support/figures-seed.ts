import { join } from 'node:path';
import { migrate, openDatabase } from '@flexcord/bridge';

/** Hours and minutes of a UTC day `daysAgo` days before `now`'s. */
export function dayAt(now: Date, daysAgo: number, time: string): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo));
  return new Date(`${day.toISOString().slice(0, 10)}T${time}Z`);
}

/**
 * The documented seed step of the figures story: written into the sandbox's own database (PGlite
 * under `<dataDir>/pglite`, as apps/sandbox/src/sandbox.ts starts the bridge) before the sandbox
 * starts, through the bridge's own migrations, in the rows the bridge itself writes (cases,
 * case_events, conversations, chat_lines, kb_answers). Seeded rather than played: the figures turn on
 * hours and days (a 24 h wait, a reopening within 72 h) that a browser story cannot wait through.
 * D3 and D2 are the UTC days three and two days before `now`:
 * - Pat asks the virtual agent (D3 09:59), asks for an agent at 10:00 (case A); Dana joins at 10:00:30
 *   and writes at 10:01:30 (first response 90 s); resolved at 10:45 (2,700 s); Pat rates Dana 5.
 *   Pat opens another support case on D2 at 09:00, 22 h 15 min after the resolution: A is reopened.
 * - Maude asks (D2 13:58), asks for an agent at 14:00 (case B); Leo joins 14:01, writes 14:04 (240 s);
 *   resolved 16:00 (7,200 s); Maude rates Leo 3.
 * - Lucía asks for an agent at once (D2 15:00, no question to the bot): open, nobody wrote yet.
 * - Lucía's bug report (open), and a bug closed as a duplicate 10 s after filing (no resolution).
 * - Ana: answered (D3 12:00) and pressed "This helped": confirmed.
 * - Bo: answered (D3 13:00), nothing more from him: assumed.
 * - Çelik asks twice "¿cómo vuelo un dragón? 🐉" (D2 10:00, 10:01), the bot is not sure: not resolved,
 *   and one group of unanswered questions (×2).
 * - مريم: answered an hour before `now`: awaiting the 24 h.
 */
export async function seedFiguresStory(dataDir: string, now: Date): Promise<void> {
  const db = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
  try {
    await migrate(db);
    const d3 = (time: string) => dayAt(now, 3, time);
    const d2 = (time: string) => dayAt(now, 2, time);
    let turn = 0;
    const member = (id: string, name: string) =>
      db.query(`INSERT INTO members (discord_user_id, username, display_name) VALUES ($1, $2, $2)`, [
        id,
        name,
      ]);
    const kase = async (input: {
      type?: 'support' | 'bug';
      status: 'open' | 'resolved' | 'closed';
      member: string;
      subject: string;
      created: Date;
      resolved?: Date;
      assignee?: string;
    }): Promise<number> => {
      const { rows } = await db.query<{ number: number }>(
        `INSERT INTO cases (type, status, subject, discord_user_id, assignee, details, created_at, updated_at, resolved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING number`,
        [
          input.type ?? 'support',
          input.status,
          input.subject,
          input.member,
          input.assignee ?? null,
          JSON.stringify(
            input.type === 'bug'
              ? {
                  kind: 'bug',
                  whatHappened: input.subject,
                  steps: 'Open the map',
                  expectedVsActual: 'The map shows / it stays blank',
                  severity: 'medium',
                }
              : { kind: 'support' },
          ),
          input.created,
          input.resolved ?? null,
        ],
      );
      return Number(rows[0]!.number);
    };
    const event = (caseNumber: number, type: string, actor: object, data: object, created: Date) =>
      db.query(
        `INSERT INTO case_events (case_number, type, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [caseNumber, type, JSON.stringify(actor), JSON.stringify(data), created],
      );
    const chat = (sid: string, memberId: string, caseNumber: number | null = null) =>
      db.query(
        `INSERT INTO conversations (sid, discord_user_id, dm_channel_id, case_number, state) VALUES ($1, $2, $3, $4, 'closed')`,
        [sid, memberId, `dm-${memberId}`, caseNumber],
      );
    const line = (sid: string, author: string, body: string, created: Date) => {
      turn += 1;
      return db.query(
        `INSERT INTO chat_lines (conversation_sid, key, author, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [sid, `seed:${turn}`, author, body, created],
      );
    };
    const asked = (
      sid: string,
      memberId: string,
      question: string,
      outcome: 'answer' | 'unsure',
      created: Date,
      feedback?: 'helped',
    ) => {
      turn += 1;
      return db.query(
        `INSERT INTO kb_answers (turn_key, conversation_sid, discord_user_id, question, language, outcome, confidence, shown, feedback, feedback_at, created_at)
         VALUES ($1, $2, $3, $4, 'en', $5, $6, $7, $8, $9, $10)`,
        [
          `seed-turn:${turn}`,
          sid,
          memberId,
          question,
          outcome,
          outcome === 'answer' ? 0.9 : 0.1,
          outcome === 'answer' ? ['game-crashes-pc'] : [],
          feedback ?? null,
          feedback ? created : null,
          created,
        ],
      );
    };
    const dana = { kind: 'agent', id: 'dana@example.com', name: 'Dana' };
    const leo = { kind: 'agent', id: 'leo@example.com', name: 'Leo' };
    for (const [id, name] of [
      ['seed-pat', 'Pat'],
      ['seed-maude', 'Maude'],
      ['seed-lucia', 'Lucía'],
      ['seed-ana', 'Ana'],
      ['seed-bo', 'Bo'],
      ['seed-celik', 'Çelik'],
      ['seed-maryam', 'مريم'],
    ] as const)
      await member(id, name);

    // Pat with Dana.
    const a = await kase({
      status: 'resolved',
      member: 'seed-pat',
      subject: 'My game crashes on startup',
      created: d3('10:00:00'),
      resolved: d3('10:45:00'),
      assignee: 'dana@example.com',
    });
    await chat('CHseedpat', 'seed-pat', a);
    await asked('CHseedpat', 'seed-pat', 'my game crashes on startup', 'answer', d3('09:59:00'));
    await event(
      a,
      'handover_requested',
      { kind: 'member', id: 'seed-pat', name: 'Pat' },
      { conversationSid: 'CHseedpat' },
      d3('10:00:00'),
    );
    await line('CHseedpat', 'bot', 'Connecting you to an agent', d3('10:00:05'));
    await event(a, 'agent_joined', dana, { conversationSid: 'CHseedpat' }, d3('10:00:30'));
    await line('CHseedpat', 'dana@example.com', 'Hi Pat, Dana here', d3('10:01:30'));
    await event(
      a,
      'survey_answered',
      { kind: 'member', id: 'seed-pat', name: 'Pat' },
      { conversationSid: 'CHseedpat', rating: 5, agent: 'Dana' },
      d3('11:00:00'),
    );
    await kase({ status: 'open', member: 'seed-pat', subject: 'It crashes again', created: d2('09:00:00') });

    // Maude with Leo.
    const b = await kase({
      status: 'resolved',
      member: 'seed-maude',
      subject: 'Refund for a skin',
      created: d2('14:00:00'),
      resolved: d2('16:00:00'),
      assignee: 'leo@example.com',
    });
    await chat('CHseedmaude', 'seed-maude', b);
    await asked('CHseedmaude', 'seed-maude', 'refund for a skin', 'answer', d2('13:58:00'));
    await event(
      b,
      'handover_requested',
      { kind: 'member', id: 'seed-maude', name: 'Maude' },
      { conversationSid: 'CHseedmaude' },
      d2('14:00:00'),
    );
    await event(b, 'agent_joined', leo, { conversationSid: 'CHseedmaude' }, d2('14:01:00'));
    await line('CHseedmaude', 'leo@example.com', 'Hi Maude, Leo here', d2('14:04:00'));
    await event(
      b,
      'survey_answered',
      { kind: 'member', id: 'seed-maude', name: 'Maude' },
      { conversationSid: 'CHseedmaude', rating: 3, agent: 'Leo' },
      d2('16:05:00'),
    );

    // Lucía: an agent at once, nobody has written; her bug report; a duplicate closed at once.
    const c = await kase({
      status: 'open',
      member: 'seed-lucia',
      subject: 'Cuenta bloqueada',
      created: d2('15:00:00'),
    });
    await chat('CHseedlucia', 'seed-lucia', c);
    await event(
      c,
      'handover_requested',
      { kind: 'member', id: 'seed-lucia', name: 'Lucía' },
      { conversationSid: 'CHseedlucia' },
      d2('15:00:00'),
    );
    await line('CHseedlucia', 'system', 'Lucía asked for an agent', d2('15:00:01'));
    await kase({
      type: 'bug',
      status: 'open',
      member: 'seed-lucia',
      subject: 'El mapa no carga',
      created: d2('15:30:00'),
    });
    await kase({
      type: 'bug',
      status: 'closed',
      member: 'seed-maude',
      subject: 'Map does not load',
      created: d2('15:40:00'),
      resolved: d2('15:40:10'),
    });

    // The virtual agent alone.
    await chat('CHseedana', 'seed-ana');
    await asked('CHseedana', 'seed-ana', 'game crashes when I start it', 'answer', d3('12:00:00'), 'helped');
    await chat('CHseedbo', 'seed-bo');
    await asked('CHseedbo', 'seed-bo', 'crash at launch on pc', 'answer', d3('13:00:00'));
    await chat('CHseedcelik', 'seed-celik');
    await asked('CHseedcelik', 'seed-celik', '¿cómo vuelo un dragón? 🐉', 'unsure', d2('10:00:00'));
    await asked('CHseedcelik', 'seed-celik', '¿cómo vuelo un dragón? 🐉', 'unsure', d2('10:01:00'));
    await chat('CHseedmaryam', 'seed-maryam');
    await asked(
      'CHseedmaryam',
      'seed-maryam',
      'the game closes itself',
      'answer',
      new Date(now.getTime() - 3_600_000),
    );
  } finally {
    await db.close();
  }
}
