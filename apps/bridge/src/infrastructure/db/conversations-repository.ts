import type { HelpTopicSnapshot as TopicSnapshot } from '@flexcord/contracts';
import { insertItemsCte, type NewOutboxItem } from '../outbox/outbox-repository.ts';
import type { AgentLine } from './chat-lines-repository.ts';
import type { Sql } from './database.ts';

/** `after_hours`: the member asked for a person outside the support hours; routed when they open. */
export type ConversationPhase = 'bot' | 'handover' | 'after_hours' | 'queued' | 'agent' | 'ended';

export interface ConversationRow {
  sid: string;
  discord_user_id: string;
  dm_channel_id: string;
  /** The DM the chat left for a private thread when the member's DMs became closed mid-chat. */
  moved_from_channel_id: string | null;
  guild_id: string | null;
  state: string;
  phase: ConversationPhase;
  case_number: number | null;
  agent_identity: string | null;
  agent_name: string | null;
  locale: string | null;
  topic: string | null;
  /** The help topic picked in /helpme and its form's answers (a `TopicSnapshot`), if any. */
  help_topic: TopicSnapshot | null;
  last_discord_message_id: string | null;
  last_message_index: number;
  /** The chat's latest Flex task and its Interactions channel (from TaskRouter's events). */
  workspace_sid: string | null;
  task_sid: string | null;
  interaction_sid: string | null;
  interaction_channel_sid: string | null;
  /** The queue position (and estimated wait) the member was last told, and when. */
  queue_position: number | null;
  queue_wait_minutes: number | null;
  queue_notified_at: Date | null;
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

/** The latest chat held in a DM channel or private thread (open or not). */
export async function findConversationByChannel(
  sql: Sql,
  channelId: string,
): Promise<ConversationRow | null> {
  const { rows } = await sql.query<ConversationRow>(
    'SELECT * FROM conversations WHERE dm_channel_id = $1 ORDER BY created_at DESC LIMIT 1',
    [channelId],
  );
  return rows[0] ?? null;
}

/** The open chat held in `channelId`, or that left it (the member's DM) for a private thread. */
export async function findOpenConversationInOrFrom(
  sql: Sql,
  channelId: string,
): Promise<ConversationRow | null> {
  const { rows } = await sql.query<ConversationRow>(
    `SELECT * FROM conversations WHERE state <> 'closed' AND (dm_channel_id = $1 OR moved_from_channel_id = $1)
     ORDER BY created_at DESC LIMIT 1`,
    [channelId],
  );
  return rows[0] ?? null;
}

/**
 * Moves an open chat from the member's DM `from` to the channel `to` (a private thread), unless it
 * left `from` already; true when this call moved it.
 */
export async function moveConversationChannel(
  sql: Sql,
  sid: string,
  from: string,
  to: string,
): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE conversations SET moved_from_channel_id = dm_channel_id, dm_channel_id = $3, updated_at = now()
     WHERE sid = $1 AND dm_channel_id = $2 AND state <> 'closed' RETURNING sid`,
    [sid, from, to],
  );
  return rows.length > 0;
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
  > & { help_topic?: TopicSnapshot | null },
): Promise<void> {
  await sql.query(
    `INSERT INTO conversations (sid, discord_user_id, dm_channel_id, guild_id, case_number, locale, topic, help_topic)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (sid) DO NOTHING`,
    [
      row.sid,
      row.discord_user_id,
      row.dm_channel_id,
      row.guild_id,
      row.case_number,
      row.locale,
      row.topic,
      row.help_topic ? JSON.stringify(row.help_topic) : null,
    ],
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
      | 'workspace_sid'
      | 'task_sid'
      | 'interaction_sid'
      | 'interaction_channel_sid'
      | 'queue_position'
      | 'queue_wait_minutes'
      | 'queue_notified_at'
      | 'help_topic'
    >
  >,
): Promise<void> {
  const entries = Object.entries(changes).map(([column, value]): [string, unknown] => [
    column,
    // jsonb columns take their JSON text.
    column === 'help_topic' && value !== null ? JSON.stringify(value) : value,
  ]);
  if (!entries.length) return;
  const sets = entries.map(([column], index) => `${column} = $${index + 2}`);
  if (changes.state === 'closed') sets.push('closed_at = now()');
  await sql.query(`UPDATE conversations SET ${sets.join(', ')}, updated_at = now() WHERE sid = $1`, [
    sid,
    ...entries.map(([, value]) => value),
  ]);
}

/** The chat a Flex task belongs to. */
export async function findConversationOfTask(sql: Sql, taskSid: string): Promise<ConversationRow | null> {
  const { rows } = await sql.query<ConversationRow>(
    'SELECT * FROM conversations WHERE task_sid = $1 ORDER BY created_at DESC LIMIT 1',
    [taskSid],
  );
  return rows[0] ?? null;
}

/** A case's most recent chat. */
export async function latestConversationOfCase(
  sql: Sql,
  caseNumber: number,
): Promise<ConversationRow | null> {
  const { rows } = await sql.query<ConversationRow>(
    'SELECT * FROM conversations WHERE case_number = $1 ORDER BY created_at DESC LIMIT 1',
    [caseNumber],
  );
  return rows[0] ?? null;
}

/** Open chats waiting in `phase` (oldest first): kept for the hours to open, or queued in Flex. */
export async function listWaitingConversations(
  sql: Sql,
  phase: 'after_hours' | 'queued',
  limit = 500,
): Promise<ConversationRow[]> {
  const { rows } = await sql.query<ConversationRow>(
    `SELECT * FROM conversations WHERE phase = $1 AND state <> 'closed' ORDER BY created_at LIMIT $2`,
    [phase, limit],
  );
  return rows;
}

/** Conversations whose DM the bridge should read for messages missed while it was down. */
export async function listOpenConversations(sql: Sql): Promise<ConversationRow[]> {
  const { rows } = await sql.query<ConversationRow>(`SELECT * FROM conversations WHERE state <> 'closed'`);
  return rows;
}

/** Where to read a member's missed DMs from: their DM channel and the last message the bridge relayed. */
export interface DmCursor {
  discord_user_id: string;
  dm_channel_id: string;
  last_discord_message_id: string;
}

/**
 * Members with no open chat whose last chat closed within `days`, newest first, at most `limit`:
 * the DM channels the bridge knows (Discord lists none to a bot) where a member may have written
 * while it was away. A chat moved to a private thread is read in its DM channel.
 */
export async function listRecentlyClosedDmCursors(
  sql: Sql,
  days: number,
  limit: number,
): Promise<DmCursor[]> {
  const { rows } = await sql.query<DmCursor>(
    `SELECT discord_user_id, dm_channel_id, last_discord_message_id FROM (
       SELECT DISTINCT ON (discord_user_id) discord_user_id,
         coalesce(moved_from_channel_id, dm_channel_id) AS dm_channel_id, last_discord_message_id,
         state, coalesce(closed_at, updated_at) AS ended_at
       FROM conversations ORDER BY discord_user_id, created_at DESC) latest
     WHERE state = 'closed' AND last_discord_message_id IS NOT NULL
       AND ended_at > now() - make_interval(days => $1::int)
     ORDER BY ended_at DESC LIMIT $2`,
    [days, limit],
  );
  return rows;
}

export async function listConversationSidsOfCase(sql: Sql, caseNumber: number): Promise<string[]> {
  const { rows } = await sql.query<{ sid: string }>(
    'SELECT sid FROM conversations WHERE case_number = $1 ORDER BY created_at',
    [caseNumber],
  );
  return rows.map((row) => row.sid);
}

/** The member's most recent chat (open or not): where to tell them about their case. */
export async function latestConversationOfMember(
  sql: Sql,
  discordUserId: string,
): Promise<Pick<ConversationRow, 'sid' | 'dm_channel_id' | 'locale'> | null> {
  const { rows } = await sql.query<Pick<ConversationRow, 'sid' | 'dm_channel_id' | 'locale'>>(
    'SELECT sid, dm_channel_id, locale FROM conversations WHERE discord_user_id = $1 ORDER BY created_at DESC LIMIT 1',
    [discordUserId],
  );
  return rows[0] ?? null;
}

/**
 * One statement for a member's DM message: claims `eventKey`, enqueues `items` (in the outbox,
 * in their order, only once the event is claimed) and notes the message on the chat — all or nothing, and only if the
 * chat is still open (or `evenIfClosed`).
 */
export async function relayIntoConversation(
  sql: Sql,
  input: {
    eventKey: string;
    items: readonly NewOutboxItem[];
    conversationSid: string;
    discordMessageId: string;
    topic: string | null;
    evenIfClosed: boolean;
  },
): Promise<{ relayed: boolean; open: boolean }> {
  const { rows } = await sql.query<{ relayed: boolean; open: boolean }>(
    `WITH chat AS (
       SELECT sid FROM conversations WHERE sid = $3 AND ($6::boolean OR state <> 'closed')
     ), claimed AS (
       INSERT INTO processed_events (key) SELECT $1 FROM chat ON CONFLICT (key) DO NOTHING RETURNING key
     ), queued AS (
       ${insertItemsCte('$2', 'claimed')}
     ), noted AS (
       UPDATE conversations SET last_discord_message_id = $4, topic = COALESCE(topic, $5), updated_at = now()
       WHERE sid = $3 AND EXISTS (SELECT 1 FROM claimed)
         AND (last_discord_message_id IS NULL OR length(last_discord_message_id) < length($4)
           OR (length(last_discord_message_id) = length($4) AND last_discord_message_id < $4))
       RETURNING sid
     )
     SELECT EXISTS (SELECT 1 FROM claimed) AS relayed, EXISTS (SELECT 1 FROM chat) AS open`,
    [
      input.eventKey,
      JSON.stringify(input.items),
      input.conversationSid,
      input.discordMessageId,
      input.topic,
      input.evenIfClosed,
    ],
  );
  return { relayed: rows[0]?.relayed === true, open: rows[0]?.open === true };
}

/**
 * One statement for a Conversations message: advances the chat's last handled index to `index`
 * (with `next`, only from `index - 1`; with `after`, from anything lower) and, unless it is an
 * echo, claims `eventKey`, enqueues `items` and keeps the message as a line of the chat
 * (`line`, in `chat_lines`: the transcript never depends on reading the Conversation back).
 */
export async function applyConversationMessage(
  sql: Sql,
  input: {
    conversationSid: string;
    index: number;
    eventKey: string;
    echo: boolean;
    items: readonly NewOutboxItem[];
    line?: AgentLine | null;
  },
  order: 'next' | 'after',
): Promise<{ advanced: boolean; queued: boolean }> {
  const { rows } = await sql.query<{ advanced: boolean; queued: boolean }>(
    `WITH advanced AS (
       UPDATE conversations SET last_message_index = $2
       WHERE sid = $1 AND ${order === 'next' ? 'last_message_index = $2 - 1' : 'last_message_index < $2'}
       RETURNING sid
     ), claimed AS (
       INSERT INTO processed_events (key) SELECT $3 FROM advanced WHERE NOT $4::boolean
       ON CONFLICT (key) DO NOTHING RETURNING key
     ), queued AS (
       ${insertItemsCte('$5', 'claimed')}
     ), kept AS (
       INSERT INTO chat_lines (conversation_sid, key, author, body, files, attributes, created_at)
       SELECT $1, $3, given.line->>'author', given.line->>'body', given.line->'files', given.line->'attributes',
              (given.line->>'at')::timestamptz
       FROM claimed, (SELECT $6::jsonb AS line) AS given WHERE given.line IS NOT NULL
       ON CONFLICT (key) DO NOTHING RETURNING id
     )
     SELECT EXISTS (SELECT 1 FROM advanced) AS advanced, EXISTS (SELECT 1 FROM queued) AS queued`,
    [
      input.conversationSid,
      input.index,
      input.eventKey,
      input.echo,
      JSON.stringify(input.items),
      input.line ? JSON.stringify(input.line) : null,
    ],
  );
  return { advanced: rows[0]?.advanced === true, queued: rows[0]?.queued === true };
}

/** For a bot turn, in one read: the answer already given to it (a replay), and the chat's member and phase now. */
export async function readBotTurn<Replay>(
  sql: Sql,
  conversationSid: string,
  turnKey: string,
): Promise<{ replay: Replay | null; chat: Pick<ConversationRow, 'discord_user_id' | 'phase'> | null }> {
  const { rows } = await sql.query<{
    replay: Replay | null;
    chat: Pick<ConversationRow, 'discord_user_id' | 'phase'> | null;
  }>(
    `SELECT (SELECT result FROM processed_events WHERE key = $2) AS replay,
            (SELECT jsonb_build_object('discord_user_id', c.discord_user_id, 'phase', c.phase)
             FROM conversations c WHERE c.sid = $1) AS chat`,
    [conversationSid, turnKey],
  );
  return { replay: rows[0]?.replay ?? null, chat: rows[0]?.chat ?? null };
}
