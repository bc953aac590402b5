import {
  type Case,
  type CaseActor,
  type CaseDetails,
  type CaseEvent,
  type CaseEventType,
  type CasePriority,
  CaseSchema,
  type CaseStage,
  type CaseStatus,
  type CaseType,
  type PublicPost,
} from '@flexcord/contracts';
import type { Sql } from './database.ts';
import { iso, isoOrNull } from './rows.ts';

export interface CaseRow {
  number: number;
  type: CaseType;
  status: CaseStatus;
  priority: CasePriority;
  stage?: CaseStage | null;
  votes?: number;
  reports?: number;
  duplicate_of?: number | null;
  subject: string;
  discord_user_id: string;
  assignee: string | null;
  details: CaseDetails;
  public_post: PublicPost | null;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  username: string;
  display_name: string;
  avatar_url: string | null;
  conversation_sids: string[] | null;
}

interface CaseEventRow {
  id: number | string;
  case_number: number;
  type: CaseEventType;
  actor: CaseActor;
  visibility: 'public' | 'internal';
  data: Record<string, unknown>;
  created_at: Date;
}

export const SELECT_CASE = `
  SELECT c.*, m.username, m.display_name, m.avatar_url,
    (SELECT array_agg(v.sid ORDER BY v.created_at) FROM conversations v WHERE v.case_number = c.number) AS conversation_sids
  FROM cases c JOIN members m ON m.discord_user_id = c.discord_user_id`;

export function toCase(row: CaseRow): Case {
  return CaseSchema.parse({
    number: row.number,
    type: row.type,
    status: row.status,
    priority: row.priority,
    stage: row.stage ?? null,
    votes: row.votes ?? 0,
    reports: row.reports ?? 1,
    duplicateOf: row.duplicate_of ?? null,
    subject: row.subject,
    member: {
      id: row.discord_user_id,
      username: row.username,
      displayName: row.display_name,
      avatarUrl: row.avatar_url,
    },
    assignee: row.assignee,
    details: row.details,
    conversationSids: row.conversation_sids ?? [],
    publicPost: row.public_post,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    resolvedAt: isoOrNull(row.resolved_at),
  });
}

function toEvent(row: CaseEventRow): CaseEvent {
  return {
    id: Number(row.id),
    caseNumber: row.case_number,
    type: row.type,
    actor: row.actor,
    visibility: row.visibility,
    data: row.data,
    createdAt: iso(row.created_at),
  };
}

export async function insertCase(
  sql: Sql,
  input: { type: CaseType; memberId: string; subject: string; details: CaseDetails; priority: CasePriority },
): Promise<number> {
  const { rows } = await sql.query<{ number: number }>(
    `INSERT INTO cases (type, discord_user_id, subject, details, priority, stage) VALUES ($1, $2, $3, $4, $5, $6) RETURNING number`,
    [
      input.type,
      input.memberId,
      input.subject,
      JSON.stringify(input.details),
      input.priority,
      input.type === 'support' ? null : 'open',
    ],
  );
  return rows[0]!.number;
}

export async function findCase(sql: Sql, number: number, forUpdate = false): Promise<Case | null> {
  if (forUpdate) await sql.query('SELECT number FROM cases WHERE number = $1 FOR UPDATE', [number]);
  const { rows } = await sql.query<CaseRow>(`${SELECT_CASE} WHERE c.number = $1`, [number]);
  return rows[0] ? toCase(rows[0]) : null;
}

/** Whether the agent (plain identity) joined one of the case's chats (an `agent_joined` entry). */
export async function agentTookPart(sql: Sql, caseNumber: number, agentId: string): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT 1 FROM case_events WHERE case_number = $1 AND type = 'agent_joined' AND actor->>'id' = $2 LIMIT 1`,
    [caseNumber, agentId],
  );
  return rows.length > 0;
}

export async function findOpenSupportCase(sql: Sql, memberId: string): Promise<Case | null> {
  const { rows } = await sql.query<CaseRow>(
    `${SELECT_CASE} WHERE c.discord_user_id = $1 AND c.type = 'support' AND c.status IN ('open', 'pending')`,
    [memberId],
  );
  return rows[0] ? toCase(rows[0]) : null;
}

export async function listCasesOfMember(sql: Sql, memberId: string): Promise<Case[]> {
  const { rows } = await sql.query<CaseRow>(
    `${SELECT_CASE} WHERE c.discord_user_id = $1 ORDER BY c.updated_at DESC`,
    [memberId],
  );
  return rows.map(toCase);
}

export async function listCasesOfConversation(sql: Sql, conversationSid: string): Promise<Case[]> {
  const { rows } = await sql.query<CaseRow>(
    `${SELECT_CASE} WHERE c.number IN (SELECT case_number FROM conversations WHERE sid = $1) ORDER BY c.number`,
    [conversationSid],
  );
  return rows.map(toCase);
}

export async function updateCaseRow(
  sql: Sql,
  number: number,
  changes: {
    status?: CaseStatus;
    priority?: CasePriority;
    stage?: CaseStage;
    assignee?: string | null;
    publicPost?: PublicPost;
  },
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [number];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (changes.status !== undefined) {
    set('status', changes.status);
    sets.push(
      changes.status === 'resolved' || changes.status === 'closed'
        ? 'resolved_at = COALESCE(resolved_at, now())'
        : 'resolved_at = NULL',
    );
  }
  if (changes.priority !== undefined) set('priority', changes.priority);
  if (changes.stage !== undefined) set('stage', changes.stage);
  if (changes.assignee !== undefined) set('assignee', changes.assignee);
  if (changes.publicPost !== undefined) set('public_post', JSON.stringify(changes.publicPost));
  if (!sets.length) return;
  await sql.query(`UPDATE cases SET ${sets.join(', ')}, updated_at = now() WHERE number = $1`, params);
}

export async function insertCaseEvent(
  sql: Sql,
  event: {
    caseNumber: number;
    type: CaseEventType;
    actor: CaseActor;
    data?: Record<string, unknown>;
    visibility?: 'public' | 'internal';
  },
): Promise<CaseEvent> {
  const { rows } = await sql.query<CaseEventRow>(
    `INSERT INTO case_events (case_number, type, actor, data, visibility) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [
      event.caseNumber,
      event.type,
      JSON.stringify(event.actor),
      JSON.stringify(event.data ?? {}),
      event.visibility ?? 'public',
    ],
  );
  await sql.query('UPDATE cases SET updated_at = now() WHERE number = $1', [event.caseNumber]);
  return toEvent(rows[0]!);
}

export async function listCaseEvents(
  sql: Sql,
  caseNumber: number,
  visibility?: 'public',
): Promise<CaseEvent[]> {
  const { rows } = await sql.query<CaseEventRow>(
    `SELECT * FROM case_events WHERE case_number = $1 ${visibility ? `AND visibility = 'public'` : ''} ORDER BY id`,
    [caseNumber],
  );
  return rows.map(toEvent);
}

/** How many times the case has been resolved (each resolution tells the member once). */
export async function countResolutions(sql: Sql, caseNumber: number): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM case_events WHERE case_number = $1 AND type = 'status_changed' AND data->>'to' = 'resolved'`,
    [caseNumber],
  );
  return rows[0]?.n ?? 0;
}

/** How many stage changes the case has had (each is told to the reporter once). */
export async function countStageChanges(sql: Sql, caseNumber: number): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM case_events WHERE case_number = $1 AND type = 'stage_changed'`,
    [caseNumber],
  );
  return rows[0]?.n ?? 0;
}

/** Seconds the member still has to wait before filing another case of `type` (0 or less: none). */
export async function secondsUntilNextCase(
  sql: Sql,
  memberId: string,
  type: CaseType,
  cooldownSeconds: number,
): Promise<number> {
  const { rows } = await sql.query<{ wait: number | null }>(
    `SELECT ceil(extract(epoch FROM (max(created_at) + make_interval(secs => $3) - now())))::int AS wait
     FROM cases WHERE discord_user_id = $1 AND type = $2`,
    [memberId, type, cooldownSeconds],
  );
  return rows[0]?.wait ?? 0;
}

/**
 * A token that changes whenever the case or its timeline does (the row's `updated_at`, which every
 * change and timeline entry moves, and the newest entry): what a polling panel compares.
 */
export async function caseVersion(sql: Sql, number: number): Promise<string | null> {
  const { rows } = await sql.query<{ version: string }>(
    `SELECT (extract(epoch FROM c.updated_at) * 1000000)::bigint::text || '.' ||
            COALESCE((SELECT max(e.id) FROM case_events e WHERE e.case_number = c.number), 0)::text || '.' ||
            (SELECT count(*) FROM chat_transcripts t WHERE t.discord_user_id = c.discord_user_id)::text AS version
     FROM cases c WHERE c.number = $1`,
    [number],
  );
  return rows[0]?.version ?? null;
}
