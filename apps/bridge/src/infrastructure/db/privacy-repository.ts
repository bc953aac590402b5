import type { PrivacyRequest, PrivacySummary } from '@flexcord/contracts';
import type { Sql } from './database.ts';
import { iso } from './rows.ts';

/**
 * Everything kept about one member, read for an export (GDPR art. 15), and the statements that
 * erase or anonymise it (art. 17). The rules (what is erased, what stays anonymised) are the
 * privacy service's; these are its SQL.
 */

type Row = Record<string, unknown>;

async function rows(sql: Sql, text: string, params: unknown[]): Promise<Row[]> {
  return (await sql.query<Row>(text, params)).rows;
}

/** The member's data, table by table, as plain rows (timestamps as ISO strings). */
export async function readMemberData(sql: Sql, memberId: string) {
  const [member] = await rows(
    sql,
    'SELECT username, display_name, avatar_url, locale, first_seen_at FROM members WHERE discord_user_id = $1',
    [memberId],
  );
  const cases = await rows(
    sql,
    `SELECT number, type, status, stage, priority, subject, details, votes, created_at, updated_at, resolved_at
       FROM cases WHERE discord_user_id = $1 ORDER BY number`,
    [memberId],
  );
  const timeline = await rows(
    sql,
    `SELECT case_number, type, actor, data, created_at FROM case_events
      WHERE visibility = 'public' AND case_number IN (SELECT number FROM cases WHERE discord_user_id = $1)
      ORDER BY case_number, id`,
    [memberId],
  );
  const transcripts = await rows(
    sql,
    `SELECT conversation_sid, case_number, started_at, ended_at, agents, lines FROM chat_transcripts
      WHERE discord_user_id = $1 ORDER BY started_at`,
    [memberId],
  );
  // Chats not kept as a transcript yet (still open, or ended moments ago): their relayed lines.
  const openChatLines = await rows(
    sql,
    `SELECT l.conversation_sid, l.author, l.body, l.files, l.created_at FROM chat_lines l
       JOIN conversations c ON c.sid = l.conversation_sid
      WHERE c.discord_user_id = $1 AND NOT l.removed
        AND NOT EXISTS (SELECT 1 FROM chat_transcripts t WHERE t.conversation_sid = c.sid)
      ORDER BY l.conversation_sid, l.id`,
    [memberId],
  );
  const surveys = await rows(
    sql,
    `SELECT case_number, agent_name, rating, comment, offered_at, answered_at FROM chat_surveys
      WHERE discord_user_id = $1 ORDER BY offered_at`,
    [memberId],
  );
  const votes = await rows(
    sql,
    `SELECT v.case_number, c.subject, v.created_at FROM case_votes v JOIN cases c ON c.number = v.case_number
      WHERE v.discord_user_id = $1 ORDER BY v.created_at`,
    [memberId],
  );
  const reportsJoined = await rows(
    sql,
    `SELECT r.case_number, c.subject, r.via, r.created_at FROM case_reporters r JOIN cases c ON c.number = r.case_number
      WHERE r.discord_user_id = $1 ORDER BY r.created_at`,
    [memberId],
  );
  const questions = await rows(
    sql,
    `SELECT question, language, outcome, feedback, created_at FROM kb_answers
      WHERE discord_user_id = $1 ORDER BY created_at`,
    [memberId],
  );
  return {
    member: member ?? null,
    cases,
    timeline,
    transcripts,
    openChatLines,
    surveys,
    votes,
    reportsJoined,
    questions,
  };
}
export type MemberData = Awaited<ReturnType<typeof readMemberData>>;

/** How many requests of `kind` for this member were made since `since` (the rate limit's count). */
export async function countPrivacyRequests(
  sql: Sql,
  memberHash: string,
  kind: 'export' | 'delete',
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const { rows: found } = await sql.query<{ count: number; oldest: Date | null }>(
    `SELECT count(*)::int AS count, min(created_at) AS oldest FROM privacy_requests
      WHERE member_hash = $1 AND kind = $2 AND created_at >= $3`,
    [memberHash, kind, since],
  );
  return found[0] ?? { count: 0, oldest: null };
}

export async function insertPrivacyRequest(
  sql: Sql,
  request: {
    kind: 'export' | 'delete';
    memberHash: string;
    source: 'discord' | 'plugin-api';
    requestedBy: string;
    summary: PrivacySummary;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO privacy_requests (kind, member_hash, source, requested_by, summary) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [request.kind, request.memberHash, request.source, request.requestedBy, JSON.stringify(request.summary)],
  );
}

export async function listPrivacyRequests(sql: Sql, limit: number): Promise<PrivacyRequest[]> {
  const { rows: found } = await sql.query<{
    id: string | number;
    kind: 'export' | 'delete';
    source: 'discord' | 'plugin-api';
    requested_by: string;
    summary: PrivacySummary;
    created_at: Date;
  }>('SELECT * FROM privacy_requests ORDER BY created_at DESC, id DESC LIMIT $1', [limit]);
  return found.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    source: row.source,
    requestedBy: row.requested_by,
    summary: row.summary,
    at: iso(row.created_at),
  }));
}

/** Keeps an export file until it is delivered; resolves its id. */
export async function insertExportFile(
  sql: Sql,
  file: { memberId: string; filename: string; body: string },
): Promise<number> {
  const { rows: inserted } = await sql.query<{ id: string | number }>(
    'INSERT INTO privacy_exports (discord_user_id, filename, body) VALUES ($1, $2, $3) RETURNING id',
    [file.memberId, file.filename, file.body],
  );
  return Number(inserted[0]!.id);
}

export async function findExportFile(
  sql: Sql,
  id: number,
): Promise<{ filename: string; body: string } | null> {
  const { rows: found } = await sql.query<{ filename: string; body: string }>(
    'SELECT filename, body FROM privacy_exports WHERE id = $1',
    [id],
  );
  return found[0] ?? null;
}

/** Deletes export files older than `before` (delivered or given up on); how many. */
export async function purgeExportFiles(sql: Sql, before: Date): Promise<number> {
  const { rows: deleted } = await sql.query(
    'DELETE FROM privacy_exports WHERE created_at < $1 RETURNING id',
    [before],
  );
  return deleted.length;
}
