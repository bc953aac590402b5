import type { Sql } from './database.ts';

/** A message of a chat as the bridge relayed it (`chat_lines`, written by the relaying statement). */
export interface ChatLineRow {
  key: string;
  author: string;
  body: string;
  files: { filename: string; contentType: string; size: number | null; mediaSid: string | null }[];
  attributes: Record<string, unknown>;
  created_at: Date;
  /** When the line was last edited (by its author, on either side), null when never. */
  edited_at: Date | null;
}

/** An agent's message as it is kept, in the statement that relays it to the member. */
export interface AgentLine {
  author: string;
  body: string;
  files: { filename: string; contentType: string; size: number; mediaSid: string }[];
  attributes: Record<string, unknown>;
  at: string;
}

/** The chat's relayed messages (edits applied, deletions left out), in the order they were relayed. */
export async function listChatLines(sql: Sql, conversationSid: string): Promise<ChatLineRow[]> {
  const { rows } = await sql.query<ChatLineRow>(
    `SELECT key, author, body, files, attributes, created_at, edited_at FROM chat_lines
      WHERE conversation_sid = $1 AND NOT removed ORDER BY id`,
    [conversationSid],
  );
  return rows;
}

/**
 * A kept line's author edited it: its body becomes the new text, as of `editedAt`. An edit older
 * than the one the line has (a late or replayed event) changes nothing.
 */
export async function keepLineEdit(
  sql: Sql,
  edit: { key: string; body: string; editedAt: Date },
): Promise<void> {
  await sql.query(
    `UPDATE chat_lines SET body = $2, edited_at = $3
      WHERE key = $1 AND NOT removed AND (edited_at IS NULL OR edited_at <= $3)`,
    [edit.key, edit.body, edit.editedAt],
  );
}

/** A kept line's author removed it: the transcript leaves it out. */
export async function keepLineRemoval(sql: Sql, key: string): Promise<void> {
  await sql.query('UPDATE chat_lines SET removed = true WHERE key = $1', [key]);
}
