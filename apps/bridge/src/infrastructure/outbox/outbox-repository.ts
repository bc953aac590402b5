import { LOCK_NAMESPACE, type Sql, type Tx } from '../db/database.ts';

export interface OutboxRow<Payload = unknown> {
  id: string;
  key: string;
  stream: string;
  kind: string;
  payload: Payload;
  attempts: number;
  created_at: Date;
}

export interface NewOutboxItem {
  /** Idempotency key: the same key enqueued twice is one delivery. */
  key: string;
  /** Items of one stream are delivered one after the other, in insertion order. */
  stream: string;
  kind: string;
  payload: unknown;
}

/**
 * The outbox insert of the items passed as a JSON array in parameter `param`, in their order, for
 * a data-modifying CTE: one statement can then claim an inbound event and enqueue its side
 * effects. With `gate` (the name of an earlier CTE), nothing is inserted unless it returned a row.
 * Duplicate keys are ignored. Only the named statements of `db/` use it (`relayIntoConversation`,
 * `applyConversationMessage`), with the rows `Outbox.items` built: no service passes SQL.
 */
export function insertItemsCte(param: string, gate?: string): string {
  return `INSERT INTO outbox (key, stream, kind, payload)
    SELECT item->>'key', item->>'stream', item->>'kind', item->'payload'
    FROM ${gate ? `${gate}, ` : ''}jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS items(item, position)
    ORDER BY position
    ON CONFLICT (key) DO NOTHING RETURNING id`;
}

/** Writes side effects into the outbox (one statement), inside the caller's transaction. Duplicate keys are ignored. */
export async function enqueue(sql: Sql, items: NewOutboxItem | NewOutboxItem[]): Promise<number> {
  const list = Array.isArray(items) ? items : [items];
  if (!list.length) return 0;
  const { rows } = await sql.query(insertItemsCte('$1'), [JSON.stringify(list)]);
  return rows.length;
}

const RETURNING_ROW = 'RETURNING id::text, key, stream, kind, payload, attempts, created_at';

/**
 * The done mark also settles the post intent of the attempt that delivered (the parameter `attempt`, see
 * `post-intent.ts`), so a delivery that posted needs no statement of its own to say its request is
 * over. Another attempt's intent (one that outlived this attempt's stale intent) stays as it is.
 */
function settlePostIntentOf(attempt: string): string {
  return `post_attempt = CASE WHEN post_attempt = ${attempt}::int THEN NULL ELSE post_attempt END,
       post_heartbeat_at = CASE WHEN post_attempt = ${attempt}::int THEN NULL ELSE post_heartbeat_at END`;
}

/**
 * Claims due items: at most one per stream (the oldest undelivered one, so a stream never
 * overtakes itself), leased for `leaseMs`. Other instances skip what is claimed; an expired lease
 * (a crashed instance) makes the item claimable again.
 */
export async function claimDue(
  sql: Sql,
  limit: number,
  leaseMs: number,
  owner: number | null = null,
): Promise<OutboxRow[]> {
  const { rows } = await sql.query<OutboxRow>(
    `UPDATE outbox SET status = 'inflight', attempts = attempts + 1, lease_owner = $3,
       lease_until = now() + make_interval(secs => $2::double precision / 1000)
     WHERE id IN (
       SELECT o.id FROM outbox o
       WHERE (o.status = 'pending' OR (o.status = 'inflight' AND o.lease_until < now()))
         AND o.next_attempt_at <= now()
         AND NOT EXISTS (
           SELECT 1 FROM outbox p
           WHERE p.stream = o.stream AND p.id < o.id AND p.status IN ('pending', 'inflight'))
       ORDER BY o.id
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     ${RETURNING_ROW}`,
    [limit, leaseMs, owner],
  );
  return rows;
}

export async function markDelivered(sql: Sql, id: string, result: unknown, attempt?: number): Promise<void> {
  await sql.query(
    `UPDATE outbox SET status = 'done', delivered_at = now(), lease_until = NULL, last_error = NULL, result = $2,
       ${settlePostIntentOf('$3')}
     WHERE id = $1`,
    [id, JSON.stringify(result ?? null), attempt ?? null],
  );
}

/**
 * Marks a delivered item done and, in the same statement, claims the next item of its stream if
 * it is due (the worker goes on with the stream without another round trip). Resolves `null` when
 * the stream has nothing due, or another instance holds its next item.
 */
export async function markDeliveredAndClaimNext(
  sql: Sql,
  id: string,
  result: unknown,
  leaseMs: number,
  owner: number | null = null,
  attempt?: number,
): Promise<OutboxRow | null> {
  const { rows } = await sql.query<OutboxRow>(
    `WITH done AS (
       UPDATE outbox SET status = 'done', delivered_at = now(), lease_until = NULL, last_error = NULL, result = $2,
         ${settlePostIntentOf('$5')}
       WHERE id = $1 RETURNING stream)
     UPDATE outbox SET status = 'inflight', attempts = attempts + 1, lease_owner = $4,
       lease_until = now() + make_interval(secs => $3::double precision / 1000)
     WHERE id = (
         SELECT n.id FROM outbox n, done
         WHERE n.stream = done.stream AND n.id > $1 AND n.status IN ('pending', 'inflight')
         ORDER BY n.id LIMIT 1)
       AND status = 'pending' AND next_attempt_at <= now()
     ${RETURNING_ROW}`,
    [id, JSON.stringify(result ?? null), leaseMs, owner, attempt ?? null],
  );
  return rows[0] ?? null;
}

/** Schedules another attempt of an item still in flight (one delivered meanwhile stays delivered). */
export async function markRetry(sql: Sql, id: string, error: string, delayMs: number): Promise<void> {
  await sql.query(
    `UPDATE outbox SET status = 'pending', lease_until = NULL, last_error = $2,
       next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
     WHERE id = $1 AND status = 'inflight'`,
    [id, error, delayMs],
  );
}

/**
 * Gives up on an item that can never succeed (e.g. the member closed their DMs); its stream moves
 * on. Only an item still in flight: one another attempt delivered meanwhile (its lease was
 * released under it) stays delivered. Returns whether the item was marked.
 */
export async function markDead(sql: Sql, id: string, error: string): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE outbox SET status = 'dead', lease_until = NULL, last_error = $2
     WHERE id = $1 AND status = 'inflight' RETURNING id`,
    [id, error],
  );
  return rows.length > 0;
}

/** An item the worker gave up on, as an operator lists it. */
export interface DeadLetter {
  id: string;
  key: string;
  stream: string;
  kind: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** Every item given up on, oldest first. */
export async function listDeadLetters(sql: Sql): Promise<DeadLetter[]> {
  const { rows } = await sql.query<DeadLetter>(
    `SELECT id::text AS id, key, stream, kind, payload, attempts, last_error AS "lastError", created_at AS "createdAt"
     FROM outbox WHERE status = 'dead' ORDER BY id`,
  );
  return rows;
}

/**
 * Makes a dead item deliverable again, now, with a fresh attempt count: the worker picks it up at
 * its next pass, in its stream's order (before the stream's later pending items). Returns the
 * item, or null when `id` is not a dead item (unknown, or delivered, or already replayed).
 */
export async function reviveDeadLetter(sql: Sql, id: string): Promise<DeadLetter | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await sql.query<DeadLetter>(
    `UPDATE outbox SET status = 'pending', attempts = 0, lease_until = NULL, next_attempt_at = now()
     WHERE id = $1 AND status = 'dead'
     RETURNING id::text AS id, key, stream, kind, payload, attempts, last_error AS "lastError", created_at AS "createdAt"`,
    [id],
  );
  return rows[0] ?? null;
}

export async function countDeadLetters(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox WHERE status = 'dead'",
  );
  return rows[0]?.n ?? 0;
}

export interface OutboxCounts {
  pending: number;
  inflight: number;
  done: number;
  dead: number;
}

export async function countByStatus(sql: Sql): Promise<OutboxCounts> {
  const { rows } = await sql.query<{ status: keyof OutboxCounts; n: number }>(
    'SELECT status, count(*)::int AS n FROM outbox GROUP BY status',
  );
  const counts: OutboxCounts = { pending: 0, inflight: 0, done: 0, dead: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Waits (polling) until the item with `key` is delivered, for callers that can show its result
 * (e.g. the link to a post) if it comes quickly. Resolves `null` on timeout or when it was dropped.
 */
export async function waitForDelivery<Result>(
  sql: Sql,
  key: string,
  timeoutMs: number,
): Promise<Result | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ status: string; result: Result | null }>(
      'SELECT status, result FROM outbox WHERE key = $1',
      [key],
    );
    const row = rows[0];
    if (row?.status === 'done') return row.result;
    if (!row || row.status === 'dead' || Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Makes items left in flight by a previous run deliverable at once, their posts no longer in
 * flight (their process is gone; a retry looks them up). Only for an embedded database, which one
 * process owns: with a shared Postgres another instance may still be delivering them,
 * so there the lease decides.
 */
export async function releaseOrphanedLeases(sql: Sql): Promise<number> {
  const { rows } = await sql.query(
    `UPDATE outbox SET status = 'pending', lease_until = NULL, post_attempt = NULL, post_heartbeat_at = NULL
      WHERE status = 'inflight' RETURNING id`,
  );
  return rows.length;
}

/** An item as its follow-ups need it: what it carried and what its delivery returned. */
export interface DeliveredPart {
  key: string;
  stream: string;
  payload: unknown;
  status: 'pending' | 'inflight' | 'done' | 'dead';
  result: unknown;
}

/**
 * The item with `key` and the parts it was split into (`key:part:N`, `key:media:N`), in the
 * order they were enqueued: where a relayed message went, for its edit or deletion.
 */
export async function findItemParts(sql: Sql, key: string): Promise<DeliveredPart[]> {
  const { rows } = await sql.query<DeliveredPart>(
    `SELECT key, stream, payload, status, result FROM outbox
     WHERE key = $1 OR key LIKE $2 ESCAPE '\\' ORDER BY id`,
    [key, `${key.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`],
  );
  return rows;
}

/**
 * Moves the undelivered items of `kind` in stream `from` (the one being delivered included) to
 * stream `to`, their payloads' `drop` fields removed and `set`'s merged in: they keep their order
 * (their ids), and the item in flight, oldest of them, still holds the new stream back until it is
 * delivered. Returns how many moved.
 */
export async function retargetUndelivered(
  sql: Sql,
  input: { kind: string; from: string; to: string; drop: readonly string[]; set: object },
): Promise<number> {
  const { rows } = await sql.query(
    `UPDATE outbox SET stream = $3, payload = (payload - $4::text[]) || $5::jsonb
     WHERE stream = $2 AND kind = $1 AND status IN ('pending', 'inflight') RETURNING id`,
    [input.kind, input.from, input.to, input.drop, JSON.stringify(input.set)],
  );
  return rows.length;
}

/** The item enqueued with exactly `key` (not its parts), whatever its status. */
export async function findItem(sql: Sql, key: string): Promise<Pick<OutboxRow, 'kind' | 'payload'> | null> {
  const { rows } = await sql.query<Pick<OutboxRow, 'kind' | 'payload'>>(
    'SELECT kind, payload FROM outbox WHERE key = $1',
    [key],
  );
  return rows[0] ?? null;
}

/** The owners of in-flight leases other than `own` (candidates for {@link releaseLeasesOfGoneOwner}). */
export async function otherLeaseOwners(sql: Sql, own: number[]): Promise<number[]> {
  const { rows } = await sql.query<{ owner: number }>(
    `SELECT DISTINCT lease_owner AS owner FROM outbox
      WHERE status = 'inflight' AND lease_owner IS NOT NULL AND lease_owner <> ALL($1::int[])`,
    [own],
  );
  return rows.map((row) => Number(row.owner));
}

/**
 * Releases the in-flight items of `owner` if no running bridge holds its advisory lock any more
 * (it died): taking the lock for this transaction proves it, and keeps a bridge that starts with
 * the same key meanwhile from being robbed. Returns how many items were released.
 */
export async function releaseLeasesOfGoneOwner(tx: Tx, owner: number): Promise<number> {
  const { rows } = await tx.query<{ free: boolean }>(
    `SELECT pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, $1) AS free`,
    [owner],
  );
  if (!rows[0]?.free) return 0;
  const released = await tx.query(
    `UPDATE outbox SET status = 'pending', lease_until = NULL, lease_owner = NULL
      WHERE status = 'inflight' AND lease_owner = $1 RETURNING id`,
    [owner],
  );
  return released.rows.length;
}
