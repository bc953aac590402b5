import pg from 'pg';

/**
 * A burst of serialization failures (SQLSTATE 40001, what Postgres answers a transaction that lost
 * a race under concurrent load): a trigger on the bridge's `processed_events`, where each inbound
 * event (a member's DM, an agent's webhook) is claimed, fails every `every`-th claim while it is
 * installed. Removing it ends the burst; `faults()` says how many it raised.
 */
export async function transientErrorBurst(
  databaseUrl: string,
  every: number,
): Promise<{ faults(): Promise<number>; remove(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DROP TRIGGER IF EXISTS chaos_serialization ON processed_events');
    await client.query('DROP SEQUENCE IF EXISTS chaos_claims');
    await client.query('DROP SEQUENCE IF EXISTS chaos_faults');
    await client.query('CREATE SEQUENCE chaos_claims');
    await client.query('CREATE SEQUENCE chaos_faults');
    await client.query(`
      CREATE OR REPLACE FUNCTION chaos_serialization() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('chaos_claims') % ${every} = 0 THEN
          PERFORM nextval('chaos_faults');
          RAISE EXCEPTION 'could not serialize access due to concurrent update (injected)'
            USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$`);
    await client.query(
      'CREATE TRIGGER chaos_serialization BEFORE INSERT ON processed_events FOR EACH ROW EXECUTE FUNCTION chaos_serialization()',
    );
  } finally {
    await client.end();
  }
  const once = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const session = new pg.Client({ connectionString: databaseUrl });
    await session.connect();
    try {
      return await work(session);
    } finally {
      await session.end();
    }
  };
  return {
    // A sequence that has never been called reads last_value 1 with is_called false.
    faults: () =>
      once(async (session) => {
        const { rows } = await session.query<{ n: string; called: boolean }>(
          'SELECT last_value AS n, is_called AS called FROM chaos_faults',
        );
        return rows[0]?.called ? Number(rows[0].n) : 0;
      }),
    remove: () =>
      once(async (session) => {
        await session.query('DROP TRIGGER IF EXISTS chaos_serialization ON processed_events');
      }),
  };
}
