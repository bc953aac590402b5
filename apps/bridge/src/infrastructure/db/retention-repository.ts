import type { Sql } from './database.ts';

/**
 * The retention purges' SQL: cases past `CASE_RETENTION_DAYS` and the file links of chats past
 * `FILE_RETENTION_DAYS` (transcripts have theirs in `transcripts-repository.ts`).
 */

/**
 * Deletes resolved and closed cases whose last change is older than `before` (up to `limit` a
 * call), with their timeline, votes, reporters, surveys and kept chats; the chats' rows stay
 * without the case. Cases that pointed at one as its duplicate keep going without the pointer.
 * Resolves how many cases were deleted.
 */
export async function purgeCasesBefore(sql: Sql, before: Date, limit = 500): Promise<number> {
  const { rows } = await sql.query<{ number: number }>(
    `SELECT number FROM cases WHERE status IN ('resolved', 'closed') AND updated_at < $1
      ORDER BY updated_at LIMIT $2`,
    [before, limit],
  );
  const numbers = rows.map((row) => row.number);
  if (!numbers.length) return 0;
  const params = [numbers];
  await sql.query(
    'UPDATE cases SET duplicate_of = NULL WHERE duplicate_of = ANY($1::int[]) AND NOT (number = ANY($1::int[]))',
    params,
  );
  await sql.query(
    'DELETE FROM case_reporters WHERE case_number = ANY($1::int[]) OR from_case = ANY($1::int[])',
    params,
  );
  await sql.query('DELETE FROM case_votes WHERE case_number = ANY($1::int[])', params);
  await sql.query('DELETE FROM case_events WHERE case_number = ANY($1::int[])', params);
  await sql.query('DELETE FROM chat_surveys WHERE case_number = ANY($1::int[])', params);
  await sql.query(
    `DELETE FROM chat_lines WHERE conversation_sid IN
       (SELECT conversation_sid FROM chat_transcripts WHERE case_number = ANY($1::int[]))`,
    params,
  );
  await sql.query('DELETE FROM chat_transcripts WHERE case_number = ANY($1::int[])', params);
  await sql.query('UPDATE conversations SET case_number = NULL WHERE case_number = ANY($1::int[])', params);
  await sql.query('DELETE FROM cases WHERE number = ANY($1::int[])', params);
  return numbers.length;
}

/**
 * Unlinks the files of chats that ended before `before`: their names stay in the transcript, the
 * Twilio media SIDs (what a file link is made from) go. Resolves how many transcripts changed.
 */
export async function unlinkFilesBefore(sql: Sql, before: Date): Promise<number> {
  const { rows } = await sql.query(
    `UPDATE chat_transcripts t
        SET lines = (SELECT jsonb_agg(
                       CASE WHEN jsonb_typeof(l->'files') = 'array' AND jsonb_array_length(l->'files') > 0
                            THEN jsonb_set(l, '{files}',
                                   (SELECT jsonb_agg(f || '{"mediaSid": null}'::jsonb ORDER BY i)
                                      FROM jsonb_array_elements(l->'files') WITH ORDINALITY AS fx(f, i)))
                            ELSE l END ORDER BY n)
                       FROM jsonb_array_elements(t.lines) WITH ORDINALITY AS lx(l, n))
      WHERE t.ended_at < $1
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(t.lines) l, jsonb_array_elements(l->'files') f
                     WHERE jsonb_typeof(l->'files') = 'array' AND f->>'mediaSid' IS NOT NULL)
      RETURNING t.conversation_sid`,
    [before],
  );
  await sql.query(
    `UPDATE chat_lines c
        SET files = (SELECT jsonb_agg(f || '{"mediaSid": null}'::jsonb ORDER BY i)
                       FROM jsonb_array_elements(c.files) WITH ORDINALITY AS fx(f, i))
      WHERE c.created_at < $1 AND jsonb_array_length(c.files) > 0
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.files) f WHERE f->>'mediaSid' IS NOT NULL)`,
    [before],
  );
  return rows.length;
}
