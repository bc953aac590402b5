import type { ChatSummary, TranscriptLine } from '@flexcord/contracts';
import type { Sql } from './database.ts';
import { iso } from './rows.ts';

/** A transcript line as kept: files by their Twilio media SID (links are made when it is read). */
export type StoredLine = Omit<TranscriptLine, 'files'> & {
  files: { filename: string; contentType: string; size: number; mediaSid: string | null }[];
  /** `agents`: a notice the bridge wrote for the agent, left out of the member's copy. */
  audience?: 'agents';
};

export interface KeptTranscript {
  conversationSid: string;
  caseNumber: number | null;
  discordUserId: string;
  startedAt: Date;
  endedAt: Date;
  agents: string[];
  lines: StoredLine[];
}

interface TranscriptRow {
  conversation_sid: string;
  case_number: number | null;
  started_at: Date;
  ended_at: Date;
  agents: string[];
  lines?: StoredLine[];
  messages: number;
  rating: number | null;
  comment: string | null;
}

/** Keeps (or replaces, on a retried keep) a chat's transcript. */
export async function upsertTranscript(sql: Sql, transcript: KeptTranscript): Promise<void> {
  await sql.query(
    `INSERT INTO chat_transcripts (conversation_sid, case_number, discord_user_id, started_at, ended_at, agents, lines)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)
     ON CONFLICT (conversation_sid) DO UPDATE
       SET case_number = EXCLUDED.case_number, ended_at = EXCLUDED.ended_at,
           agents = EXCLUDED.agents, lines = EXCLUDED.lines, kept_at = now()`,
    [
      transcript.conversationSid,
      transcript.caseNumber,
      transcript.discordUserId,
      transcript.startedAt,
      transcript.endedAt,
      JSON.stringify(transcript.agents),
      JSON.stringify(transcript.lines),
    ],
  );
}

const SUMMARY_COLUMNS = `t.conversation_sid, t.case_number, t.started_at, t.ended_at, t.agents,
  jsonb_array_length(t.lines) AS messages, s.rating, s.comment`;

function toSummary(row: TranscriptRow): ChatSummary {
  return {
    conversationSid: row.conversation_sid,
    caseNumber: row.case_number,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    agents: row.agents,
    messages: Number(row.messages),
    rating: row.rating === null ? null : Number(row.rating),
    comment: row.comment,
  };
}

/** A member's kept chats, newest first. */
export async function listChatsOfMember(sql: Sql, discordUserId: string, limit = 20): Promise<ChatSummary[]> {
  const { rows } = await sql.query<TranscriptRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM chat_transcripts t
       LEFT JOIN chat_surveys s ON s.conversation_sid = t.conversation_sid
      WHERE t.discord_user_id = $1 ORDER BY t.started_at DESC LIMIT $2`,
    [discordUserId, limit],
  );
  return rows.map(toSummary);
}

/** A case's kept chats with their lines, oldest first (one of them with `conversationSid`). */
export async function listTranscriptsOfCase(
  sql: Sql,
  caseNumber: number,
  conversationSid?: string,
): Promise<(ChatSummary & { lines: StoredLine[] })[]> {
  const { rows } = await sql.query<TranscriptRow>(
    `SELECT ${SUMMARY_COLUMNS}, t.lines FROM chat_transcripts t
       LEFT JOIN chat_surveys s ON s.conversation_sid = t.conversation_sid
      WHERE t.case_number = $1 AND ($2::text IS NULL OR t.conversation_sid = $2)
      ORDER BY t.started_at`,
    [caseNumber, conversationSid ?? null],
  );
  return rows.map((row) => ({ ...toSummary(row), lines: row.lines ?? [] }));
}

/** Deletes the transcripts of chats that ended before `before`, and their kept lines; how many. */
export async function purgeTranscriptsBefore(sql: Sql, before: Date): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM chat_transcripts WHERE ended_at < $1 RETURNING conversation_sid),
          lines AS (DELETE FROM chat_lines WHERE conversation_sid IN (SELECT conversation_sid FROM gone))
     SELECT count(*)::int AS n FROM gone`,
    [before],
  );
  return Number(rows[0]?.n ?? 0);
}
