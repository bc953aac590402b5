import type { Sql } from './database.ts';

/**
 * Claims an inbound event key inside the caller's transaction. Returns false when the event was
 * handled already (a replayed webhook or gateway event), so the caller changes nothing.
 */
export async function claimEvent(sql: Sql, key: string, result: unknown = null): Promise<boolean> {
  const { rows } = await sql.query<{ key: string }>(
    'INSERT INTO processed_events (key, result) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key',
    [key, result === null ? null : JSON.stringify(result)],
  );
  return rows.length === 1;
}

/** What was answered for an event already handled (e.g. the bot turn's route), or undefined. */
export async function processedResult<T>(sql: Sql, key: string): Promise<T | undefined> {
  const { rows } = await sql.query<{ result: T | null }>(
    'SELECT result FROM processed_events WHERE key = $1',
    [key],
  );
  const row = rows[0];
  return row ? (row.result ?? undefined) : undefined;
}

export async function setProcessedResult(sql: Sql, key: string, result: unknown): Promise<void> {
  await sql.query('UPDATE processed_events SET result = $2 WHERE key = $1', [key, JSON.stringify(result)]);
}
