import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Advisory lock key that serialises migrations across bridge instances. */
const MIGRATION_LOCK = 0x666c_7831;

/**
 * Applies the plain SQL files in `migrations/` that have not run yet, in name order, each in its
 * own transaction, recording them in `schema_migrations`. Safe to call from several instances.
 */
export async function migrate(db: Database): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const run = async (): Promise<string[]> => {
    await db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
    const done = new Set(rows.map((row) => row.name));
    const applied: string[] = [];
    for (const file of files.filter((name) => !done.has(name))) {
      const sql = readFileSync(`${MIGRATIONS_DIR}${file}`, 'utf8');
      await db.transaction(async (tx) => {
        for (const statement of splitStatements(sql)) await tx.query(statement);
        await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      });
      applied.push(file);
    }
    return applied;
  };
  if (db.kind === 'pglite') return run();
  for (;;) {
    const result = await db.withAdvisoryLock(MIGRATION_LOCK, run);
    if (result) return result;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Splits a migration into statements (extended-protocol queries take one statement each); a
 * dollar-quoted body (a function's) is never split.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  sql.split(/(\$\$)/).reduce((quoted, part) => {
    if (part === '$$') {
      current += part;
      return !quoted;
    }
    if (quoted) {
      current += part;
      return quoted;
    }
    const pieces = part.split(/;\s*(?:\n|$)/);
    current += pieces[0];
    for (const piece of pieces.slice(1)) {
      statements.push(current);
      current = piece;
    }
    return quoted;
  }, false);
  statements.push(current);
  return statements.map((statement) => statement.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
}
