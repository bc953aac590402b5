import type { Sql } from './database.ts';

/** What the bot did with a question (kb/kb-confidence.ts decides it). */
export type KbOutcome = 'answer' | 'candidates' | 'unsure';

/** What the virtual agent answered one member question. */
export interface AnswerRecord {
  turnKey: string;
  conversationSid: string;
  discordUserId: string;
  question: string;
  language: string;
  outcome: KbOutcome;
  confidence: number;
  candidates: { slug: string; score: number }[];
  shown: string[];
}

export type AnswerFeedback = 'helped' | 'agent';

/** Questions longer than this are stored cut: the report needs the gist, not a 4,000-character paste. */
const MAX_QUESTION_CHARS = 500;

/** Records an answer (once per turn: a replayed turn gets the same id back) and returns its id. */
export async function insertAnswer(sql: Sql, answer: AnswerRecord): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO kb_answers (turn_key, conversation_sid, discord_user_id, question, language, outcome, confidence,
                             candidates, shown)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::text[])
     ON CONFLICT (turn_key) DO UPDATE SET turn_key = EXCLUDED.turn_key
     RETURNING id::text AS id`,
    [
      answer.turnKey,
      answer.conversationSid,
      answer.discordUserId,
      [...answer.question].slice(0, MAX_QUESTION_CHARS).join(''),
      answer.language,
      answer.outcome,
      answer.confidence,
      JSON.stringify(answer.candidates),
      answer.shown,
    ],
  );
  return rows[0]!.id;
}

/**
 * Records what the member did after an answer (the first press counts) and returns the answer's
 * language, or null for an answer that isn't recorded.
 */
export async function setAnswerFeedback(
  sql: Sql,
  id: string,
  feedback: AnswerFeedback,
): Promise<{ language: string } | null> {
  const { rows } = await sql.query<{ language: string }>(
    `WITH updated AS (
       UPDATE kb_answers SET feedback = $2, feedback_at = now() WHERE id = $1 AND feedback IS NULL RETURNING language
     )
     SELECT language FROM updated UNION ALL SELECT language FROM kb_answers WHERE id = $1 LIMIT 1`,
    [id, feedback],
  );
  return rows[0] ?? null;
}

/** A question the bot could not answer, or whose answer did not help. */
export interface GapRow {
  question: string;
  language: string;
  outcome: KbOutcome;
  feedback: AnswerFeedback | null;
  candidates: { slug: string; score: number }[];
  created_at: Date;
}

/**
 * The questions since `since` that got no answer, or an answer the member turned down by asking
 * for an agent, newest first.
 */
export async function listGaps(sql: Sql, since: Date, limit: number): Promise<GapRow[]> {
  const { rows } = await sql.query<GapRow>(
    `SELECT question, language, outcome, feedback, candidates, created_at FROM kb_answers
     WHERE created_at >= $1 AND (outcome = 'unsure' OR feedback = 'agent')
     ORDER BY created_at DESC LIMIT $2`,
    [since, limit],
  );
  return rows;
}

/** For each article shown since `since`: how often, and what members did next. */
export async function articleOutcomes(
  sql: Sql,
  since: Date,
): Promise<{ slug: string; shown: number; helped: number; agent: number }[]> {
  const { rows } = await sql.query<{ slug: string; shown: number; helped: number; agent: number }>(
    `SELECT slug, count(*)::int AS shown, count(*) FILTER (WHERE feedback = 'helped')::int AS helped,
            count(*) FILTER (WHERE feedback = 'agent')::int AS agent
     FROM kb_answers, unnest(shown) AS slug
     WHERE created_at >= $1
     GROUP BY slug`,
    [since],
  );
  return rows;
}

/** How many questions the bot was asked since `since`, by outcome. */
export async function answerCounts(sql: Sql, since: Date): Promise<Record<KbOutcome, number>> {
  const { rows } = await sql.query<{ outcome: KbOutcome; count: number }>(
    'SELECT outcome, count(*)::int AS count FROM kb_answers WHERE created_at >= $1 GROUP BY outcome',
    [since],
  );
  const counts: Record<KbOutcome, number> = { answer: 0, candidates: 0, unsure: 0 };
  for (const row of rows) counts[row.outcome] = row.count;
  return counts;
}
