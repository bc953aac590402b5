import type { Sql } from './database.ts';

/** Keeps what a member typed into a form the bridge refused, so "Edit" can reopen it prefilled. */
export async function saveDraft(sql: Sql, key: string, data: unknown): Promise<void> {
  await sql.query(
    `INSERT INTO drafts (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data`,
    [key, JSON.stringify(data)],
  );
}

export async function findDraft<T>(sql: Sql, key: string): Promise<T | null> {
  const { rows } = await sql.query<{ data: T }>('SELECT data FROM drafts WHERE key = $1', [key]);
  return rows[0]?.data ?? null;
}
