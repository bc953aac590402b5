import type { AuditEntry, AuditSource } from '@flexcord/contracts';
import type { Sql } from './database.ts';
import { iso } from './rows.ts';

interface AuditRow {
  id: number | string;
  case_number: number;
  action: string;
  actor_id: string;
  actor_name: string;
  source: AuditSource;
  changes: Record<string, unknown>;
  created_at: Date;
}

/** Records one staff action on a case. */
export async function insertAuditEntry(
  sql: Sql,
  entry: {
    caseNumber: number;
    action: string;
    actor: { id: string; name: string };
    source: AuditSource;
    changes: Record<string, unknown>;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO case_audit (case_number, action, actor_id, actor_name, source, changes)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [
      entry.caseNumber,
      entry.action,
      entry.actor.id,
      entry.actor.name,
      entry.source,
      JSON.stringify(entry.changes),
    ],
  );
}

/** The newest staff actions first: of one case, or of all cases since `since`. */
export async function listAuditEntries(
  sql: Sql,
  filter: { caseNumber?: number | undefined; since: Date; limit: number },
): Promise<AuditEntry[]> {
  const { rows } = await sql.query<AuditRow>(
    `SELECT * FROM case_audit
      WHERE created_at >= $1 AND ($2::integer IS NULL OR case_number = $2)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [filter.since, filter.caseNumber ?? null, filter.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    caseNumber: row.case_number,
    action: row.action,
    actor: { id: row.actor_id, name: row.actor_name },
    source: row.source,
    changes: row.changes,
    at: iso(row.created_at),
  }));
}
