import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, startStack } from './helpers/stack.ts';

/** What the planner and autovacuum know of `cases`: rows counted at the last analyze, rows dead now. */
async function casesStats(stack: Stack) {
  await stack.db.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await stack.db.query<{
    reltuples: number;
    n_dead_tup: number;
    analyzed: boolean;
    vacuumed: boolean;
  }>(
    `SELECT c.reltuples::float8 AS reltuples, s.n_dead_tup::int AS n_dead_tup,
       s.last_analyze IS NOT NULL AS analyzed, s.last_vacuum IS NOT NULL AS vacuumed
     FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.relname = 'cases' AND s.schemaname = current_schema()`,
  );
  return rows[0]!;
}

/** 600 cases of 60 members, as an import would file them. */
async function fileCases(stack: Stack): Promise<void> {
  await stack.db.query(
    `INSERT INTO members (discord_user_id, username, display_name)
     SELECT (200000000000000000::bigint + n)::text, 'member' || n, 'Member ' || n FROM generate_series(1, 60) AS n`,
  );
  await stack.db.query(
    `INSERT INTO cases (type, status, subject, discord_user_id, details)
     SELECT 'bug', 'open', 'Crash number ' || n, (200000000000000000::bigint + 1 + n % 60)::text,
       jsonb_build_object('kind', 'bug', 'whatHappened', 'It crashed', 'steps', '', 'expectedVsActual', '',
         'severity', 'medium')
     FROM generate_series(1, 600) AS n`,
  );
}

describe('the embedded database keeps its statistics, as autovacuum does on a server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ maintenance: { intervalMs: 100 } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('analyzes the cases once many are filed, and vacuums them once many changed', async () => {
    await fileCases(stack);
    // PGlite is a single backend: no autovacuum worker would ever count these rows for the planner.
    const analyzed = await eventually(async () => {
      const stats = await casesStats(stack);
      return stats.reltuples === 600 && stats;
    }, 'the cases analyzed');
    expect(analyzed.analyzed).toBe(true);

    // Closing half of them leaves 300 dead row versions: past 50 + 20% of 600.
    await stack.db.query(`UPDATE cases SET status = 'closed' WHERE number % 2 = 0`);
    const vacuumed = await eventually(async () => {
      const stats = await casesStats(stack);
      return stats.vacuumed && stats;
    }, 'the cases vacuumed');
    expect(vacuumed.n_dead_tup).toBe(0);
  });
});

describe.runIf(await postgresAvailable())('on a Postgres server', () => {
  it("leaves the upkeep to the server's autovacuum", async () => {
    const stack = await startStack({ storage: 'postgres', maintenance: { intervalMs: 100 } });
    try {
      expect(stack.bridge.maintenance).toBeNull();
    } finally {
      await stack.stop();
    }
  });
});
