import type { Sql } from './database.ts';

export type ConversationPhase = 'bot' | 'handover' | 'queued' | 'agent' | 'ended';

export interface ConversationRow {
  sid: string;
  discord_user_id: string;
  dm_channel_id: string;
  guild_id: string | null;
  state: string;
  phase: ConversationPhase;
  case_number: number | null;
  agent_identity: string | null;
  agent_name: string | null;
  locale: string | null;
  topic: string | null;
  last_discord_message_id: string | null;
  last_message_index: number;
  created_at: Date;
}

export async function findConversation(
  sql: Sql,
  sid: string,
  forUpdate = false,
): Promise<ConversationRow | null> {
  const { rows } = await sql.query<ConversationRow>(
    `SELECT * FROM conversations WHERE sid = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [sid],
  );
  return rows[0] ?? null;
}

/** The member's chat that is not closed yet, if any. */
export async function findOpenConversation(sql: Sql, discordUserId: string): Promise<ConversationRow | null> {
  const { rows } = await sql.query<ConversationRow>(
    `SELECT * FROM conversations WHERE discord_user_id = $1 AND state <> 'closed'`,
    [discordUserId],
  );
  return rows[0] ?? null;
}

export async function countConversations(sql: Sql, discordUserId: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM conversations WHERE discord_user_id = $1',
    [discordUserId],
  );
  return rows[0]?.n ?? 0;
}

export async function insertConversation(
  sql: Sql,
  row: Pick<
    ConversationRow,
    'sid' | 'discord_user_id' | 'dm_channel_id' | 'guild_id' | 'case_number' | 'locale' | 'topic'
  >,
): Promise<void> {
  await sql.query(
    `INSERT INTO conversations (sid, discord_user_id, dm_channel_id, guild_id, case_number, locale, topic)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sid) DO NOTHING`,
    [row.sid, row.discord_user_id, row.dm_channel_id, row.guild_id, row.case_number, row.locale, row.topic],
  );
}

export async function updateConversation(
  sql: Sql,
  sid: string,
  changes: Partial<
    Pick<
      ConversationRow,
      | 'state'
      | 'phase'
      | 'case_number'
      | 'agent_identity'
      | 'agent_name'
      | 'last_discord_message_id'
      | 'topic'
    >
  >,
): Promise<void> {
  const entries = Object.entries(changes);
  if (!entries.length) return;
  const sets = entries.map(([column], index) => `${column} = $${index + 2}`);
  if (changes.state === 'closed') sets.push('closed_at = now()');
  await sql.query(`UPDATE conversations SET ${sets.join(', ')}, updated_at = now() WHERE sid = $1`, [
    sid,
    ...entries.map(([, value]) => value),
  ]);
}

/** Conversations whose DM the bridge should read for messages missed while it was down. */
export async function listOpenConversations(sql: Sql): Promise<ConversationRow[]> {
  const { rows } = await sql.query<ConversationRow>(`SELECT * FROM conversations WHERE state <> 'closed'`);
  return rows;
}

export async function listConversationSidsOfCase(sql: Sql, caseNumber: number): Promise<string[]> {
  const { rows } = await sql.query<{ sid: string }>(
    'SELECT sid FROM conversations WHERE case_number = $1 ORDER BY created_at',
    [caseNumber],
  );
  return rows.map((row) => row.sid);
}
