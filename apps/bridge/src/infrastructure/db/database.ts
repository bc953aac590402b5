import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { isConnectionError, isRolledBack, retryWhile } from './transient-errors.ts';

/** Something that runs SQL: the database itself, or a transaction on it. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: Row[] }>;
}

/** A transaction: SQL, and work to do once it has committed (never if it rolls back). */
export interface Tx extends Sql {
  afterCommit(work: () => void): void;
}

/** The hooks of one transaction, run in order after its commit; one failing hook never stops the others. */
class CommitHooks {
  private readonly hooks: (() => void)[] = [];
  bind(sql: Sql): Tx {
    return {
      query: sql.query.bind(sql),
      afterCommit: (work) => {
        this.hooks.push(work);
      },
    };
  }
  run(): void {
    for (const hook of this.hooks) {
      try {
        hook();
      } catch {
        // A hook only wakes something up (the outbox worker); what it wakes polls anyway.
      }
    }
  }
}

/**
 * The bridge's storage handle, Postgres dialect only: an embedded PGlite (default) or a Postgres
 * server (`DATABASE_URL`). Repositories take an {@link Sql}, so the same code runs inside or outside
 * a transaction.
 */
export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /**
   * The same database, with commits that return before they are flushed to disk. Only for writes
   * whose loss in a crash is harmless because they are redone idempotently: the outbox's leases
   * and delivery marks (a lost mark means one more delivery, which the idempotency key absorbs),
   * an echoed message's index. Never for what an inbound event decides.
   */
  readonly relaxed: Sql;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A dedicated session for long-held advisory locks (e.g. Discord shards): the locks live as long
   * as the session, and die with the process.
   */
  lockSession(): Promise<LockSession>;
  /** Runs `work` holding a session-level advisory lock; resolves `null` when another holder has it. */
  withAdvisoryLock<T>(key: number, work: (sql: Sql) => Promise<T>): Promise<T | null>;
  /**
   * Whether the database answers `SELECT 1` within `timeoutMs` (false when it is down or hangs),
   * for readiness probes, which must answer quickly whatever the database does.
   */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Advisory locks are shared by every schema of a database: their first key is the schema's, so two
 * deployments (or test runs) in different schemas of one database never hold each other's locks.
 */
export const LOCK_NAMESPACE = 'hashtext(current_schema())';

/** Session-level advisory locks on one connection. `onLost` fires if the connection dies (locks gone). */
export interface LockSession {
  tryLock(key: number): Promise<boolean>;
  unlock(key: number): Promise<void>;
  onLost(listener: (error: unknown) => void): void;
  close(): Promise<void>;
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  // An embedded database has one session: its commits are as durable as its directory is.
  readonly relaxed: Sql = this;
  constructor(private readonly db: PGlite) {}

  query<Row extends object>(text: string, params: unknown[] = []) {
    return retryRolledBack(async () => ({ rows: (await this.db.query<Row>(text, params)).rows }));
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return retryRolledBack(() => this.transactionOnce(work));
  }

  private async transactionOnce<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const hooks = new CommitHooks();
    const result = await this.db.transaction((tx) =>
      work(
        hooks.bind({
          query: async <Row extends object>(text: string, params: unknown[] = []) => ({
            rows: (await tx.query<Row>(text, params)).rows,
          }),
        }),
      ),
    );
    hooks.run();
    return result;
  }

  // One process owns an embedded database: every lock is always ours.
  async lockSession(): Promise<LockSession> {
    return {
      tryLock: async () => true,
      unlock: async () => undefined,
      onLost: () => undefined,
      close: async () => undefined,
    };
  }

  withAdvisoryLock<T>(_key: number, work: (sql: Sql) => Promise<T>): Promise<T | null> {
    return work(this);
  }

  private readonly pinger = new Pinger(() => this.db.query('SELECT 1'));
  ping(timeoutMs: number): Promise<boolean> {
    return this.pinger.ping(timeoutMs);
  }

  close() {
    return this.db.close();
  }
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  readonly relaxed: Sql;
  constructor(
    private readonly pool: pg.Pool,
    private readonly relaxedPool: pg.Pool,
    private readonly connectionString: string,
  ) {
    this.relaxed = {
      query: <Row extends object>(text: string, params: unknown[] = []) =>
        statement<Row>(relaxedPool, text, params),
    };
  }

  async lockSession(): Promise<LockSession> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    await client.connect();
    const listeners: ((error: unknown) => void)[] = [];
    let closed = false;
    const lost = (error: unknown) => {
      if (closed) return;
      closed = true;
      for (const listener of listeners) listener(error);
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('lock session ended')));
    return {
      tryLock: async (key) =>
        (
          await client.query<{ locked: boolean }>(
            `SELECT pg_try_advisory_lock(${LOCK_NAMESPACE}, $1) AS locked`,
            [key],
          )
        ).rows[0]?.locked === true,
      unlock: async (key) => {
        await client.query(`SELECT pg_advisory_unlock(${LOCK_NAMESPACE}, $1)`, [key]);
      },
      onLost: (listener) => listeners.push(listener),
      close: async () => {
        closed = true;
        await client.end().catch(() => undefined);
      },
    };
  }

  query<Row extends object>(text: string, params: unknown[] = []) {
    return statement<Row>(this.pool, text, params);
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return retryRolledBack(() => this.transactionOnce(work));
  }

  private async transactionOnce<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await checkout(this.pool);
    const hooks = new CommitHooks();
    let failed: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(hooks.bind(clientSql(client)));
      await client.query('COMMIT');
      hooks.run();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      failed = error;
      throw error;
    } finally {
      // A connection that failed is dropped, not handed to the next caller.
      client.done(isConnectionError(failed) ? failed : undefined);
    }
  }

  async withAdvisoryLock<T>(key: number, work: (sql: Sql) => Promise<T>): Promise<T | null> {
    const client = await checkout(this.pool);
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        key,
      ]);
      if (!rows[0]?.locked) return null;
      try {
        return await work(clientSql(client));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.done();
    }
  }

  private readonly pinger = new Pinger(() => this.pool.query('SELECT 1'));
  ping(timeoutMs: number): Promise<boolean> {
    return this.pinger.ping(timeoutMs);
  }

  async close() {
    await Promise.all([this.pool.end(), this.relaxedPool.end()]);
  }
}

/**
 * `SELECT 1` against a deadline. At most one probe query is in flight: while the database hangs,
 * later pings answer false at their deadline without piling more queries onto the pool.
 */
class Pinger {
  private pending: Promise<boolean> | null = null;
  constructor(private readonly probe: () => Promise<unknown>) {}

  ping(timeoutMs: number): Promise<boolean> {
    this.pending ??= this.probe().then(
      () => true,
      () => false,
    );
    const pending = this.pending;
    void pending.finally(() => {
      if (this.pending === pending) this.pending = null;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
  }
}

/**
 * How long the database layer itself retries work the server did not apply (see
 * `isRolledBack`) or could not be given (no connection): a restart or a short stall passes
 * unnoticed by callers. What may have been applied (a connection lost mid-statement) is for the
 * caller to retry, if its work is idempotent.
 */
const RETRY_UNAPPLIED_MS = 15_000;

function retryRolledBack<T>(work: () => Promise<T>): Promise<T> {
  return retryWhile(isRolledBack, work, { deadlineMs: RETRY_UNAPPLIED_MS });
}

/** One statement on a connection of `pool`, retried while it cannot be sent or was rolled back. */
function statement<Row extends object>(pool: pg.Pool, text: string, params: unknown[]) {
  return retryRolledBack(async () => {
    const client = await checkout(pool);
    let failed: unknown;
    try {
      return { rows: (await client.query(prepared(text, params))).rows as Row[] };
    } catch (error) {
      failed = error;
      throw error;
    } finally {
      client.done(isConnectionError(failed) ? failed : undefined);
    }
  });
}

/**
 * A pool connection for several statements. The pool listens for a connection's errors only while
 * it is idle: one that breaks while checked out (the server restarting mid-transaction) would
 * otherwise raise an unhandled 'error' and end the process. The failing statement rejects anyway.
 */
async function checkout(pool: pg.Pool): Promise<pg.PoolClient & { done(error?: unknown): void }> {
  // Nothing was sent yet: waiting out a restart here is always safe.
  const client = await retryWhile(isConnectionError, () => pool.connect(), {
    deadlineMs: RETRY_UNAPPLIED_MS,
  });
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  return Object.assign(client, {
    done(error?: unknown) {
      client.off('error', onError);
      // A broken connection is dropped, not handed to the next caller.
      client.release(broken ?? (error instanceof Error ? error : undefined));
    },
  });
}

function clientSql(client: pg.PoolClient): Sql {
  return {
    query: async <Row extends object>(text: string, params: unknown[] = []) => ({
      rows: (await client.query(prepared(text, params))).rows as Row[],
    }),
  };
}

/** How long opening one connection may take before it counts as failed (a hung server). */
const CONNECT_TIMEOUT_MS = 5_000;

const statementNames = new Map<string, string>();
/** Distinct statements prepared per connection at most: the code's are far fewer, dynamic SQL must not fill the server. */
const MAX_PREPARED = 500;

/**
 * A parameterised statement as a named prepared statement: each connection parses and plans it
 * once, then only binds and executes (a relay's statements run thousands of times a second).
 * Statements without parameters (migrations, several statements at once) stay simple queries.
 */
function prepared(text: string, values: unknown[]): pg.QueryConfig {
  if (!values.length) return { text };
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `flexcord_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name ? { name, text, values } : { text, values };
}

/** The connection string with one more server setting in its `options` (where the URL's own win over pg's config). */
function withSessionOption(databaseUrl: string, option: string): string {
  const url = new URL(databaseUrl);
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing ? `${existing} ${option}` : option);
  return url.toString();
}

/** Opens the database: Postgres when `databaseUrl` is set, else PGlite in `pgliteDir` (`memory://` for tests). */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  pgliteDir?: string;
  /**
   * Told of connection faults the database survives: an idle connection that died (a server
   * restart), a first connection that had to be retried. The pools open new connections on demand.
   */
  onConnectionError?: (error: unknown, context: string) => void;
}): Promise<Database> {
  if (options.databaseUrl) {
    const report = options.onConnectionError ?? (() => undefined);
    const settings = { max: 10, keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
    const pool = new pg.Pool({ connectionString: options.databaseUrl, ...settings });
    const relaxedPool = new pg.Pool({
      connectionString: withSessionOption(options.databaseUrl, '-c synchronous_commit=off'),
      ...settings,
    });
    // Without a listener, an idle connection's error (the server restarting) would end the process.
    pool.on('error', (error) => report(error, 'idle database connection lost'));
    relaxedPool.on('error', (error) => report(error, 'idle database connection lost'));
    // A server that is down at start (restarting with us) is waited for, not a reason to exit.
    for (let attempt = 1; ; attempt++) {
      try {
        await Promise.all([pool.query('SELECT 1'), relaxedPool.query('SELECT 1')]);
        break;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        report(error, `database unreachable at start (attempt ${attempt}), retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** (attempt - 1))));
      }
    }
    return new PostgresDatabase(pool, relaxedPool, options.databaseUrl);
  }
  const dir = options.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  // Imported only here, so that a bridge on a Postgres server never loads the embedded database
  // (its module alone is ~4 MiB of RSS, before any WASM is instantiated).
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  return new PgliteDatabase(db);
}
