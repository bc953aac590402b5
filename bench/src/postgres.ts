import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The Postgres server's `test` database (trust auth), overridable with BENCH_DATABASE_URL. */
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/**
 * The benchmarks use a database of their own on that server: the bridge's Discord shard locks are
 * Postgres advisory locks, which are per database, not per schema — a bridge of a test running in
 * another schema of `test` would hold shard 0 and leave the benchmark's bridge without a gateway.
 */
export const BENCH_DATABASE = 'flexcord_bench';

async function ensureBenchDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE]);
    if (!rows.length) await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

/** A fresh schema for one run: a connection string whose `search_path` is it, and its drop. */
export async function freshSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const database = await ensureBenchDatabase();
  const schema = `flexcord_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: database });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(database);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * Process ids of the Postgres backends connected to the benchmark's database right now: the
 * subject's own connections, not the other work on a shared server (tests in `test`, say).
 */
export async function benchBackendPids(): Promise<number[]> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [BENCH_DATABASE],
    );
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}
