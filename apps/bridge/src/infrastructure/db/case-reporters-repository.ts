import type { Sql } from './database.ts';

/** Recounts a case's reports (its reporter and its extra reporters) and votes; resolves both. */
async function recount(sql: Sql, caseNumber: number): Promise<{ reports: number; votes: number }> {
  const { rows } = await sql.query<{ reports: number; votes: number }>(
    `UPDATE cases SET
       reports = 1 + (SELECT count(*) FROM case_reporters r WHERE r.case_number = $1),
       votes = (SELECT count(*) FROM case_votes v WHERE v.case_number = $1)
     WHERE number = $1 RETURNING reports, votes`,
    [caseNumber],
  );
  return rows[0] ?? { reports: 1, votes: 0 };
}

/**
 * Counts a member as a reporter of the case (once; the case's own reporter is never counted twice).
 * Resolves the case's report count and whether the member was new to it.
 */
export async function addReporter(
  sql: Sql,
  caseNumber: number,
  memberId: string,
): Promise<{ reports: number; added: boolean }> {
  const inserted = await sql.query<{ case_number: number }>(
    `INSERT INTO case_reporters (case_number, discord_user_id, via)
     SELECT number, $2, 'joined' FROM cases WHERE number = $1 AND discord_user_id <> $2
     ON CONFLICT DO NOTHING RETURNING case_number`,
    [caseNumber, memberId],
  );
  const { reports } = await recount(sql, caseNumber);
  return { reports, added: inserted.rows.length > 0 };
}

/**
 * Merges case `from` into case `into`: `from`'s reporter and extra reporters become reporters of
 * `into`, its votes count there, and cases that were duplicates of `from` now point at `into`.
 * Resolves `into`'s counts.
 */
export async function mergeInto(
  sql: Sql,
  from: number,
  into: number,
): Promise<{ reports: number; votes: number }> {
  await sql.query(
    `INSERT INTO case_reporters (case_number, discord_user_id, via, from_case)
     SELECT $2, who.discord_user_id, 'duplicate', $1
     FROM (SELECT discord_user_id FROM cases WHERE number = $1
           UNION SELECT discord_user_id FROM case_reporters WHERE case_number = $1) AS who
     WHERE who.discord_user_id <> (SELECT discord_user_id FROM cases WHERE number = $2)
     ON CONFLICT DO NOTHING`,
    [from, into],
  );
  await sql.query(
    `INSERT INTO case_votes (case_number, discord_user_id, created_at)
     SELECT $2, discord_user_id, created_at FROM case_votes WHERE case_number = $1
     ON CONFLICT DO NOTHING`,
    [from, into],
  );
  await sql.query('UPDATE cases SET duplicate_of = $2 WHERE duplicate_of = $1', [from, into]);
  await sql.query('UPDATE cases SET duplicate_of = $2 WHERE number = $1', [from, into]);
  return recount(sql, into);
}

/** Whether the member reported the case (its reporter or an extra one). */
export async function isReporter(sql: Sql, caseNumber: number, memberId: string): Promise<boolean> {
  const { rows } = await sql.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM cases WHERE number = $1 AND discord_user_id = $2)
         OR EXISTS (SELECT 1 FROM case_reporters WHERE case_number = $1 AND discord_user_id = $2) AS found`,
    [caseNumber, memberId],
  );
  return rows[0]?.found ?? false;
}

/** The case's extra reporters (not its own reporter) with their locale, oldest first. */
export async function listExtraReporters(
  sql: Sql,
  caseNumber: number,
): Promise<{ memberId: string; locale: string | null }[]> {
  const { rows } = await sql.query<{ discord_user_id: string; locale: string | null }>(
    `SELECT r.discord_user_id, m.locale FROM case_reporters r
     JOIN members m USING (discord_user_id)
     WHERE r.case_number = $1 ORDER BY r.created_at, r.discord_user_id`,
    [caseNumber],
  );
  return rows.map((row) => ({ memberId: row.discord_user_id, locale: row.locale }));
}
