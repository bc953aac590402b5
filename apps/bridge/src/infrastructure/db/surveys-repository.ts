import type { Sql } from './database.ts';

export interface SurveyRow {
  conversation_sid: string;
  case_number: number | null;
  discord_user_id: string;
  agent_name: string | null;
  workspace_sid: string | null;
  task_sid: string | null;
  locale: string | null;
  offered_at: Date;
  expires_at: Date;
  rating: number | null;
  comment: string | null;
  answered_at: Date | null;
}

/** Offers a chat's survey; false when it was offered already (one survey per chat). */
export async function insertSurvey(
  sql: Sql,
  survey: Omit<SurveyRow, 'offered_at' | 'rating' | 'comment' | 'answered_at'>,
): Promise<boolean> {
  const { rows } = await sql.query<{ conversation_sid: string }>(
    `INSERT INTO chat_surveys
       (conversation_sid, case_number, discord_user_id, agent_name, workspace_sid, task_sid, locale, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (conversation_sid) DO NOTHING
     RETURNING conversation_sid`,
    [
      survey.conversation_sid,
      survey.case_number,
      survey.discord_user_id,
      survey.agent_name,
      survey.workspace_sid,
      survey.task_sid,
      survey.locale,
      survey.expires_at,
    ],
  );
  return rows.length > 0;
}

export async function findSurvey(
  sql: Sql,
  conversationSid: string,
  forUpdate = false,
): Promise<SurveyRow | null> {
  const { rows } = await sql.query<SurveyRow>(
    `SELECT * FROM chat_surveys WHERE conversation_sid = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [conversationSid],
  );
  return rows[0] ?? null;
}

export async function saveRating(sql: Sql, conversationSid: string, rating: number, at: Date): Promise<void> {
  await sql.query('UPDATE chat_surveys SET rating = $2, answered_at = $3 WHERE conversation_sid = $1', [
    conversationSid,
    rating,
    at,
  ]);
}

export async function saveComment(sql: Sql, conversationSid: string, comment: string): Promise<void> {
  await sql.query('UPDATE chat_surveys SET comment = $2 WHERE conversation_sid = $1', [
    conversationSid,
    comment,
  ]);
}

/** Whether an agent took part in the chat (its case's timeline says an agent joined it). */
export async function chatHadAgent(sql: Sql, caseNumber: number, conversationSid: string): Promise<boolean> {
  const { rows } = await sql.query<{ one: number }>(
    `SELECT 1 AS one FROM case_events
      WHERE case_number = $1 AND type = 'agent_joined' AND data->>'conversationSid' = $2 LIMIT 1`,
    [caseNumber, conversationSid],
  );
  return rows.length > 0;
}
