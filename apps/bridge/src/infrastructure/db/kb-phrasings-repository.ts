import type { Sql } from './database.ts';

/** A learned phrasing as stored (migration 131). */
export interface PhrasingRow {
  id: string;
  question: string;
  slug: string;
  language: string;
  source: 'kb_button' | 'marked';
  status: 'pending' | 'approved' | 'rejected';
  proposed_by: string;
  decided_by: string | null;
  created_at: Date;
}

const COLUMNS =
  'id::text AS id, question, slug, language, source, status, proposed_by, decided_by, created_at';

/** The bot's last answer in a Conversation: what was asked, and what it showed. */
export async function lastAnswerIn(
  sql: Sql,
  conversationSid: string,
): Promise<{
  id: string;
  question: string;
  language: string;
  outcome: 'answer' | 'candidates' | 'unsure';
  shown: string[];
  feedback: 'helped' | 'agent' | null;
} | null> {
  const { rows } = await sql.query<{
    id: string;
    question: string;
    language: string;
    outcome: 'answer' | 'candidates' | 'unsure';
    shown: string[];
    feedback: 'helped' | 'agent' | null;
  }>(
    `SELECT id::text AS id, question, language, outcome, shown, feedback FROM kb_answers
     WHERE conversation_sid = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [conversationSid],
  );
  return rows[0] ?? null;
}

/** Records a proposed pair; the same question (any case) and article proposed again is the same row. */
export async function proposePhrasing(
  sql: Sql,
  input: {
    question: string;
    slug: string;
    language: string;
    source: 'kb_button' | 'marked';
    conversationSid: string;
    answerId: string;
    proposedBy: string;
  },
): Promise<PhrasingRow> {
  const { rows } = await sql.query<PhrasingRow>(
    `INSERT INTO kb_learned_phrasings (question, slug, language, source, conversation_sid, answer_id, proposed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (lower(question), slug) DO UPDATE SET question = kb_learned_phrasings.question
     RETURNING ${COLUMNS}`,
    [
      input.question,
      input.slug,
      input.language,
      input.source,
      input.conversationSid,
      input.answerId,
      input.proposedBy,
    ],
  );
  return rows[0]!;
}

/** The proposals waiting for a decision, oldest first. */
export async function pendingPhrasings(sql: Sql, limit: number): Promise<PhrasingRow[]> {
  const { rows } = await sql.query<PhrasingRow>(
    `SELECT ${COLUMNS} FROM kb_learned_phrasings WHERE status = 'pending' ORDER BY created_at, id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Sets a proposal's decision (and its article, for a reassignment); null when there is no such proposal. */
export async function decidePhrasing(
  sql: Sql,
  id: string,
  decision: { status: 'approved' | 'rejected'; slug?: string; decidedBy: string },
): Promise<PhrasingRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await sql.query<PhrasingRow>(
    `UPDATE kb_learned_phrasings
     SET status = $2, slug = coalesce($3, slug), decided_by = $4, decided_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [id, decision.status, decision.slug ?? null, decision.decidedBy],
  );
  return rows[0] ?? null;
}
