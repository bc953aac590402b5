import type { Logger } from '../logger.ts';
import type { Sql } from './database.ts';

/**
 * Autovacuum's default thresholds: a table is analyzed once 50 rows + 10% of it changed since its
 * last analyze, vacuumed once 50 rows + 20% of it are dead or 1,000 rows + 20% were inserted.
 * @see https://www.postgresql.org/docs/current/routine-vacuuming.html#AUTOVACUUM
 */
const ANALYZE = { base: 50, share: 0.1 };
const VACUUM_DEAD = { base: 50, share: 0.2 };
const VACUUM_INSERTED = { base: 1000, share: 0.2 };

interface TableStats {
  name: string;
  /** Rows at the last analyze or vacuum; -1 if never. */
  reltuples: number;
  /** Pages at the last analyze or vacuum, and now. */
  relpages: number;
  pages: number;
  n_mod_since_analyze: number;
  n_dead_tup: number;
  n_ins_since_vacuum: number;
}

/** What one pass did: the tables (schema-qualified) it analyzed and vacuumed. */
export interface MaintenancePass {
  analyzed: string[];
  vacuumed: string[];
}

/**
 * The upkeep autovacuum does on a Postgres server, for the embedded PGlite, which runs none: it is
 * a single backend, so its tables would otherwise never get planner statistics (every plan then
 * rests on default guesses: at 100,000 cases, the case desk walked 51,000 rows for a member's
 * newest cases and sorted 8,000 matches of two common words), nor have their dead rows reclaimed
 * or the GIN index's pending entries merged.
 *
 * Every `intervalMs` (and once at start) it analyzes and vacuums the bridge's tables past
 * autovacuum's thresholds. PGlite forgets its change counters on restart, so a table also counts
 * as changed when it never was analyzed or has grown by a tenth since. Analyzing 100,000 new
 * cases takes about a second, during which other queries wait.
 */
export class TableMaintenance {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;

  constructor(private readonly deps: { db: Sql; logger: Logger; intervalMs: number }) {}

  start(): void {
    if (this.#timer) return;
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.deps.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #tick(): void {
    if (this.#running) return;
    this.#running = this.run()
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'table maintenance failed'))
      .finally(() => {
        this.#running = null;
      });
  }

  /** One pass: the tables past a threshold analyzed, then those past a vacuum threshold vacuumed. */
  async run(): Promise<MaintenancePass> {
    const { db, logger } = this.deps;
    // The backend hands its counters over at its next idle moment, at most once a second; this
    // makes the next one hand them over now.
    await db.query('SELECT pg_stat_force_next_flush()');
    const { rows } = await db.query<TableStats>(
      `SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname) AS name,
         c.reltuples::float8 AS reltuples, c.relpages,
         (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages,
         s.n_mod_since_analyze::int AS n_mod_since_analyze, s.n_dead_tup::int AS n_dead_tup,
         s.n_ins_since_vacuum::int AS n_ins_since_vacuum
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
       WHERE s.schemaname = current_schema()
       ORDER BY s.relname`,
    );
    const pass: MaintenancePass = { analyzed: [], vacuumed: [] };
    for (const table of rows) {
      const tuples = Math.max(table.reltuples, 0);
      const past = (limit: { base: number; share: number }, count: number) =>
        count > limit.base + limit.share * tuples;
      const grown = table.pages > table.relpages * 1.1 + 1;
      const analyze = table.reltuples < 0 || grown || past(ANALYZE, table.n_mod_since_analyze);
      const vacuum = past(VACUUM_DEAD, table.n_dead_tup) || past(VACUUM_INSERTED, table.n_ins_since_vacuum);
      if (!analyze && !vacuum) continue;
      await db.query(vacuum ? `VACUUM ${analyze ? '(ANALYZE) ' : ''}${table.name}` : `ANALYZE ${table.name}`);
      if (analyze) pass.analyzed.push(table.name);
      if (vacuum) pass.vacuumed.push(table.name);
    }
    if (pass.analyzed.length || pass.vacuumed.length) logger.debug(pass, 'tables maintained');
    return pass;
  }
}
