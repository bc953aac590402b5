import type { Sql } from '../db/database.ts';

/**
 * How long a post's intent stays fresh without a heartbeat: longer than one request to Twilio can
 * take (the bridge's Twilio client gives up on a request after 15 s), so an intent older than this
 * belongs to an attempt that is no longer waiting for Twilio (its process died, or it finished).
 */
export const POST_INTENT_TTL_MS = 30_000;
/** How often an attempt waiting for Twilio's answer says so. */
export const POST_HEARTBEAT_MS = 3_000;

export type PostIntent =
  /** This attempt may post; `earlier` when an earlier attempt had started a post (look it up first). */
  | { claimed: true; earlier: boolean }
  /** Another attempt's post may still be in flight: try again after `retryAfterMs`. */
  | { claimed: false; retryAfterMs: number };

/**
 * Records, durably and before the request goes out, that attempt `attempt` of outbox item `id` is
 * about to post. Refused while another attempt's intent is fresh: that attempt (in this process,
 * whose lease was released under it, or in another instance) may still be waiting for Twilio.
 */
export async function claimPostIntent(sql: Sql, id: string, attempt: number): Promise<PostIntent> {
  const ttl = POST_INTENT_TTL_MS / 1000;
  const { rows } = await sql.query<{ known: boolean; claimed: boolean; earlier: boolean; wait_ms: number }>(
    `WITH current AS (SELECT post_attempt, post_heartbeat_at FROM outbox WHERE id = $1),
     claimed AS (
       UPDATE outbox SET post_attempt = $2, post_heartbeat_at = now()
       WHERE id = $1 AND (post_attempt IS NULL OR post_attempt = $2
         OR post_heartbeat_at < now() - make_interval(secs => $3::double precision))
       RETURNING id)
     SELECT EXISTS (SELECT 1 FROM current) AS known, EXISTS (SELECT 1 FROM claimed) AS claimed,
       coalesce((SELECT post_attempt IS NOT NULL AND post_attempt <> $2 FROM current), false) AS earlier,
       coalesce((SELECT greatest(0, extract(epoch FROM post_heartbeat_at
         + make_interval(secs => $3::double precision) - now()) * 1000)::int FROM current), 0) AS wait_ms`,
    [id, attempt, ttl],
  );
  const row = rows[0];
  // An item that is not (or no longer) in the outbox has no other attempt to wait for.
  if (!row?.known || row.claimed) return { claimed: true, earlier: Boolean(row?.earlier) };
  return { claimed: false, retryAfterMs: Math.max(500, row.wait_ms) };
}

/** The attempt's post is still waiting for Twilio: keeps its intent fresh. */
export async function touchPostIntent(sql: Sql, id: string, attempt: number): Promise<void> {
  await sql.query('UPDATE outbox SET post_heartbeat_at = now() WHERE id = $1 AND post_attempt = $2', [
    id,
    attempt,
  ]);
}

/**
 * The attempt's request is over (answered, failed or timed out): nothing of it is in flight any
 * more, and what it did is visible in the Conversation for a later attempt's look-up.
 */
export async function settlePostIntent(sql: Sql, id: string, attempt: number): Promise<void> {
  await sql.query(
    'UPDATE outbox SET post_attempt = NULL, post_heartbeat_at = NULL WHERE id = $1 AND post_attempt = $2',
    [id, attempt],
  );
}
