import type { Sql } from './database.ts';

/** Counts the member's vote on the case once; resolves the case's vote count and whether this one was new. */
export async function addVote(
  sql: Sql,
  caseNumber: number,
  memberId: string,
): Promise<{ votes: number; counted: boolean }> {
  const inserted = await sql.query<{ case_number: number }>(
    `INSERT INTO case_votes (case_number, discord_user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING case_number`,
    [caseNumber, memberId],
  );
  const counted = inserted.rows.length > 0;
  const { rows } = await sql.query<{ votes: number }>(
    counted
      ? 'UPDATE cases SET votes = votes + 1 WHERE number = $1 RETURNING votes'
      : 'SELECT votes FROM cases WHERE number = $1',
    [caseNumber],
  );
  return { votes: rows[0]?.votes ?? 0, counted };
}
