import type { Sql } from './database.ts';

/** A feed source's polling state (`announcement_sources`). */
export interface SourceStateRow {
  source_id: string;
  url: string;
  subscribed_at: Date;
  primed_at: Date | null;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  failures: number;
  next_poll_at: Date;
}

/**
 * Creates the source's state the first time it is configured (subscribed now, due now). A new URL
 * for a known id is a new subscription: the state starts over, so the new feed's backlog is skipped.
 */
export async function ensureSource(sql: Sql, sourceId: string, url: string, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO announcement_sources (source_id, url, subscribed_at, next_poll_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (source_id) DO UPDATE SET url = EXCLUDED.url, subscribed_at = EXCLUDED.subscribed_at,
       primed_at = NULL, etag = NULL, last_modified = NULL, last_error = NULL, failures = 0,
       next_poll_at = EXCLUDED.next_poll_at
     WHERE announcement_sources.url <> EXCLUDED.url`,
    [sourceId, url, now],
  );
}

export async function findSource(
  sql: Sql,
  sourceId: string,
  forUpdate = false,
): Promise<SourceStateRow | undefined> {
  const { rows } = await sql.query<SourceStateRow>(
    `SELECT * FROM announcement_sources WHERE source_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [sourceId],
  );
  return rows[0];
}

/**
 * Claims the sources among `sourceIds` that are due, pushing their next poll to `leaseUntil` so no
 * other instance polls them meanwhile; a crashed poller's lease simply runs out.
 */
export async function claimDueSources(
  sql: Sql,
  sourceIds: string[],
  now: Date,
  leaseUntil: Date,
): Promise<string[]> {
  const { rows } = await sql.query<{ source_id: string }>(
    `UPDATE announcement_sources SET next_poll_at = $3
     WHERE source_id = ANY($1::text[]) AND next_poll_at <= $2 RETURNING source_id`,
    [sourceIds, now, leaseUntil],
  );
  return rows.map((row) => row.source_id);
}

/**
 * Records a successful poll. `validators` are the 200's `ETag`/`Last-Modified` (absent ones are
 * cleared); a 304 passes none and keeps the stored ones.
 */
export async function recordPollSuccess(
  sql: Sql,
  sourceId: string,
  poll: {
    now: Date;
    nextPollAt: Date;
    validators?: { etag: string | null; lastModified: string | null };
    primed?: boolean;
  },
): Promise<void> {
  await sql.query(
    `UPDATE announcement_sources SET last_polled_at = $2, last_success_at = $2, last_error = NULL,
       failures = 0, next_poll_at = $3,
       etag = CASE WHEN $4 THEN $5 ELSE etag END,
       last_modified = CASE WHEN $4 THEN $6 ELSE last_modified END,
       primed_at = CASE WHEN $7 THEN coalesce(primed_at, $2) ELSE primed_at END
     WHERE source_id = $1`,
    [
      sourceId,
      poll.now,
      poll.nextPollAt,
      poll.validators !== undefined,
      poll.validators?.etag ?? null,
      poll.validators?.lastModified ?? null,
      poll.primed ?? false,
    ],
  );
}

export async function recordPollFailure(
  sql: Sql,
  sourceId: string,
  poll: { now: Date; nextPollAt: Date; error: string },
): Promise<void> {
  await sql.query(
    `UPDATE announcement_sources SET last_polled_at = $2, last_error = $3, failures = failures + 1,
       next_poll_at = $4
     WHERE source_id = $1`,
    [sourceId, poll.now, poll.error, poll.nextPollAt],
  );
}

/** Which of `hashes` the source has seen already (posted or skipped). */
export async function seenItems(sql: Sql, sourceId: string, hashes: string[]): Promise<Set<string>> {
  if (!hashes.length) return new Set();
  const { rows } = await sql.query<{ item_hash: string }>(
    'SELECT item_hash FROM announcement_items WHERE source_id = $1 AND item_hash = ANY($2::text[])',
    [sourceId, hashes],
  );
  return new Set(rows.map((row) => row.item_hash));
}

export interface SeenItem {
  sourceId: string;
  hash: string;
  status: 'posted' | 'skipped';
  title: string;
  url?: string | undefined;
  publishedAt?: Date | undefined;
  outboxKey?: string | undefined;
}

/**
 * Records an item as seen, inside the caller's transaction. Returns false when it was seen already
 * (by this or another instance), so the caller posts nothing.
 */
export async function claimItem(sql: Sql, item: SeenItem): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO announcement_items (source_id, item_hash, status, title, url, published_at, outbox_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_id, item_hash) DO NOTHING RETURNING item_hash`,
    [
      item.sourceId,
      item.hash,
      item.status,
      item.title,
      item.url ?? null,
      item.publishedAt ?? null,
      item.outboxKey ?? null,
    ],
  );
  return rows.length === 1;
}
