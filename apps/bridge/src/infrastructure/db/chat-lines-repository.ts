import type { Sql } from './database.ts';

/** A message of a chat as the bridge relayed it (`chat_lines`, written by the relaying statement). */
export interface ChatLineRow {
  key: string;
  author: string;
  body: string;
  files: { filename: string; contentType: string; size: number | null; mediaSid: string | null }[];
  attributes: Record<string, unknown>;
  created_at: Date;
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
    `SELECT key, author, body, files, attributes, created_at FROM chat_lines
      WHERE conversation_sid = $1 AND NOT removed ORDER BY id`,
    [conversationSid],
  );
  return rows;
}
