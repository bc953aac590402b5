import type { Sql } from './database.ts';

/**
 * The SQL of erasing a member (GDPR art. 17): their rows move to a placeholder member (`erasedId`)
 * so cases, votes, reports and figures keep counting, and the texts that hold their name or their
 * words are rewritten by the caller's rules (`rewrite`). Runs in the caller's transaction.
 */

/** The names the member went by: their profile's and what the timeline and transcripts recorded. */
export async function namesOfMember(sql: Sql, memberId: string): Promise<string[]> {
  const { rows } = await sql.query<{ name: string | null }>(
    `SELECT display_name AS name FROM members WHERE discord_user_id = $1
     UNION SELECT username FROM members WHERE discord_user_id = $1
     UNION SELECT actor->>'name' FROM case_events WHERE actor->>'kind' = 'member' AND actor->>'id' = $1
     UNION SELECT l->'author'->>'name' FROM chat_transcripts t, jsonb_array_elements(t.lines) l
            WHERE t.discord_user_id = $1 AND l->'author'->>'kind' = 'member'`,
    [memberId],
  );
  return rows.map((row) => row.name ?? '').filter((name) => name.trim().length > 0);
}

/** Whether the member has a chat that is still going (an erasure waits until it ends). */
export async function hasOpenChat(sql: Sql, memberId: string): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT 1 FROM conversations WHERE discord_user_id = $1 AND state <> 'closed' AND phase <> 'ended' LIMIT 1`,
    [memberId],
  );
  return rows.length > 0;
}

export interface Rewrites {
  /** A text that may hold the member's name (a subject, an agent's message): the name replaced. */
  text: (value: string) => string;
  /** Any JSON value: every string in it through {@link Rewrites.text}. */
  json: (value: unknown) => unknown;
  /** What stands in for a message the member wrote. */
  erasedMessage: string;
  /** The name that stands in for the member. */
  erasedName: string;
}

/** Moves the member's rows to `erasedId` and rewrites their texts; resolves how many of each. */
export async function eraseMemberRows(
  sql: Sql,
  memberId: string,
  erasedId: string,
  rewrite: Rewrites,
): Promise<{ caseNumbers: number[]; counts: Record<string, number> }> {
  const count = async (text: string, params: unknown[]) => (await sql.query(text, params)).rows.length;
  await sql.query(`INSERT INTO members (discord_user_id, username, display_name) VALUES ($1, $2, $2)`, [
    erasedId,
    rewrite.erasedName,
  ]);
  // Their channels go too (a later DM catch-up has nothing of theirs to read).
  const conversations = await sql.query<{
    sid: string;
    dm_channel_id: string;
    moved_from_channel_id: string | null;
  }>(
    `UPDATE conversations c SET discord_user_id = $2, dm_channel_id = '', moved_from_channel_id = NULL,
            last_discord_message_id = NULL, topic = NULL
       FROM conversations old
      WHERE old.sid = c.sid AND c.discord_user_id = $1
      RETURNING c.sid, old.dm_channel_id, old.moved_from_channel_id`,
    [memberId, erasedId],
  );
  const sids = conversations.rows.map((row) => row.sid);

  // Cases: theirs moves to the placeholder; its subject and details lose the name.
  const cases = await sql.query<{ number: number; subject: string; details: unknown }>(
    'UPDATE cases SET discord_user_id = $2 WHERE discord_user_id = $1 RETURNING number, subject, details',
    [memberId, erasedId],
  );
  for (const row of cases.rows)
    await sql.query('UPDATE cases SET subject = $2, details = $3::jsonb WHERE number = $1', [
      row.number,
      rewrite.text(row.subject),
      JSON.stringify(rewrite.json(row.details)),
    ]);
  const numbers = cases.rows.map((row) => row.number);

  // The timeline: their entries by the placeholder; every entry of their cases without the name.
  const events = await sql.query<{
    id: string;
    actor: { kind: string; id: string; name: string };
    data: unknown;
  }>(
    `SELECT id, actor, data FROM case_events
      WHERE case_number = ANY($1::int[]) OR (actor->>'kind' = 'member' AND actor->>'id' = $2)`,
    [numbers, memberId],
  );
  for (const event of events.rows) {
    const mine = event.actor.kind === 'member' && event.actor.id === memberId;
    await sql.query('UPDATE case_events SET actor = $2::jsonb, data = $3::jsonb WHERE id = $1', [
      event.id,
      JSON.stringify(mine ? { kind: 'member', id: erasedId, name: rewrite.erasedName } : event.actor),
      JSON.stringify(mine ? eraseWords(event.data, rewrite) : rewrite.json(event.data)),
    ]);
  }

  // Transcripts: their lines erased, everyone else's without their name.
  const transcripts = await sql.query<{ conversation_sid: string; lines: { author: { kind: string } }[] }>(
    'UPDATE chat_transcripts SET discord_user_id = $2 WHERE discord_user_id = $1 RETURNING conversation_sid, lines',
    [memberId, erasedId],
  );
  for (const row of transcripts.rows)
    await sql.query('UPDATE chat_transcripts SET lines = $2::jsonb WHERE conversation_sid = $1', [
      row.conversation_sid,
      JSON.stringify(
        row.lines.map((line) =>
          line.author.kind === 'member'
            ? {
                ...line,
                author: { kind: 'member', name: rewrite.erasedName },
                body: rewrite.erasedMessage,
                files: [],
              }
            : rewrite.json(line),
        ),
      ),
    ]);

  // Relayed lines of their chats: the same.
  const author = `discord:${memberId}`;
  const lines = await sql.query<{ id: string; author: string; body: string }>(
    'SELECT id, author, body FROM chat_lines WHERE conversation_sid = ANY($1::text[])',
    [sids],
  );
  for (const line of lines.rows) {
    if (line.author === author)
      await sql.query(
        `UPDATE chat_lines SET author = $2, body = $3, files = '[]'::jsonb, attributes = '{}'::jsonb WHERE id = $1`,
        [line.id, `discord:${erasedId}`, rewrite.erasedMessage],
      );
    else await sql.query('UPDATE chat_lines SET body = $2 WHERE id = $1', [line.id, rewrite.text(line.body)]);
  }

  // Questions to the virtual agent stay counted in the figures, without the name.
  const questions = await sql.query<{ id: string; question: string }>(
    'UPDATE kb_answers SET discord_user_id = $2 WHERE discord_user_id = $1 RETURNING id, question',
    [memberId, erasedId],
  );
  for (const row of questions.rows) {
    await sql.query('UPDATE kb_answers SET question = $2 WHERE id = $1', [
      row.id,
      rewrite.text(row.question),
    ]);
    const phrasings = await sql.query<{ id: string; question: string }>(
      'SELECT id, question FROM kb_learned_phrasings WHERE answer_id = $1',
      [row.id],
    );
    for (const phrasing of phrasings.rows)
      await sql.query('UPDATE kb_learned_phrasings SET question = $2 WHERE id = $1', [
        phrasing.id,
        rewrite.text(phrasing.question),
      ]);
  }

  const surveys = await count(
    'UPDATE chat_surveys SET discord_user_id = $2, comment = NULL WHERE discord_user_id = $1 RETURNING 1',
    [memberId, erasedId],
  );
  const votes = await count(
    'UPDATE case_votes SET discord_user_id = $2 WHERE discord_user_id = $1 RETURNING 1',
    [memberId, erasedId],
  );
  const reports = await count(
    'UPDATE case_reporters SET discord_user_id = $2 WHERE discord_user_id = $1 RETURNING 1',
    [memberId, erasedId],
  );
  // What was delivered to or from them: the outbox keeps no copy of it.
  const streams = [
    `discord:user:${memberId}`,
    ...conversations.rows
      .filter((row) => row.dm_channel_id)
      .map((row) => `discord:channel:${row.dm_channel_id}`),
    ...sids.map((sid) => `twilio:conversation:${sid}`),
  ];
  await sql.query(
    `UPDATE outbox SET payload = '{}'::jsonb, result = NULL, last_error = NULL
      WHERE stream = ANY($1::text[]) AND status IN ('done', 'dead')`,
    [streams],
  );
  const exports = await count('DELETE FROM privacy_exports WHERE discord_user_id = $1 RETURNING 1', [
    memberId,
  ]);
  await sql.query('DELETE FROM members WHERE discord_user_id = $1', [memberId]);
  const counts = {
    cases: numbers.length,
    chats: sids.length,
    transcripts: transcripts.rows.length,
    messages: lines.rows.filter((line) => line.author === author).length,
    questions: questions.rows.length,
    surveys,
    votes,
    reports,
    exports,
  };
  return { caseNumbers: numbers, counts };
}

/** A member's own timeline entry: what they wrote (a comment, a form) erased, counts kept. */
function eraseWords(data: unknown, rewrite: Rewrites): unknown {
  if (typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      typeof value === 'string' && ['comment', 'body', 'topic', 'question'].includes(key)
        ? rewrite.erasedMessage
        : rewrite.json(value),
    ]),
  );
}
