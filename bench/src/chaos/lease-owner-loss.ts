import pg from 'pg';

/** The advisory-lock keys outbox lease owners take (apps/bridge/src/infrastructure/outbox/lease-owner.ts). */
const OWNER_KEY_BASE = 0x6f77_0000;
const OWNER_KEYS = 0x1_0000;

/**
 * Ends the lock session of every outbox lease owner on the run's database, as
 * `pg_terminate_backend` by an operator (or a pooler's idle kill) does: the bridge's leases are
 * then held under a key nobody holds, while the deliveries they cover may still be in flight.
 * Returns how many sessions were ended.
 */
export async function terminateLeaseOwnerSessions(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
        WHERE locktype = 'advisory' AND objsubid = 2 AND granted
          AND classid::bigint = (hashtext(current_schema())::bigint + 4294967296) % 4294967296
          AND objid::bigint BETWEEN $1 AND $2`,
      [OWNER_KEY_BASE, OWNER_KEY_BASE + OWNER_KEYS - 1],
    );
    return rows.filter((row) => row.ended).length;
  } finally {
    await client.end();
  }
}
