import type { CaseStatus, CaseType } from '@flexcord/contracts';
import type { Sql } from './database.ts';

/** Cases not resolved or closed, by type and status. */
export async function openCaseCounts(
  sql: Sql,
): Promise<{ type: CaseType; status: CaseStatus; count: number }[]> {
  const { rows } = await sql.query<{ type: CaseType; status: CaseStatus; count: number }>(
    `SELECT type, status, count(*)::int AS count FROM cases
     WHERE status IN ('open', 'pending') GROUP BY type, status ORDER BY type, status`,
  );
  return rows;
}

interface Median {
  medianSeconds: number | null;
  samples: number;
}

/** The median time from opening to the first event of an agent, over the cases opened since `since`. */
export async function firstResponseMedian(sql: Sql, since: Date): Promise<Median> {
  const { rows } = await sql.query<{ median: number | null; samples: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first.at - c.created_at)) AS median,
            count(*)::int AS samples
     FROM cases c
     CROSS JOIN LATERAL (SELECT min(e.created_at) AS at FROM case_events e
                         WHERE e.case_number = c.number AND e.actor->>'kind' = 'agent') first
     WHERE c.created_at >= $1 AND first.at IS NOT NULL`,
    [since],
  );
  return median(rows[0]);
}

/** The median time from opening to resolution, over the cases resolved since `since`. */
export async function resolutionMedian(sql: Sql, since: Date): Promise<Median> {
  const { rows } = await sql.query<{ median: number | null; samples: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) AS median,
            count(*)::int AS samples
     FROM cases WHERE resolved_at >= $1`,
    [since],
  );
  return median(rows[0]);
}

/**
 * The chats since `since` where the member asked the virtual agent something, and how many of
 * them never asked for an agent (no case linked to the chat).
 */
export async function botChats(sql: Sql, since: Date): Promise<{ chats: number; withoutAgent: number }> {
  const { rows } = await sql.query<{ chats: number; without_agent: number }>(
    `SELECT count(*)::int AS chats, count(*) FILTER (WHERE c.case_number IS NULL)::int AS without_agent
     FROM (SELECT DISTINCT conversation_sid FROM kb_answers WHERE created_at >= $1) asked
     JOIN conversations c ON c.sid = asked.conversation_sid`,
    [since],
  );
  return { chats: rows[0]?.chats ?? 0, withoutAgent: rows[0]?.without_agent ?? 0 };
}

function median(row: { median: number | null; samples: number } | undefined): Median {
  return {
    medianSeconds: row?.median === null || row?.median === undefined ? null : Math.round(Number(row.median)),
    samples: row?.samples ?? 0,
  };
}

/** How many survey answers since `since` gave each score, 1 to 5 (index 0 is score 1). */
export async function satisfactionScores(sql: Sql, since: Date): Promise<number[]> {
  const { rows } = await sql.query<{ score: number; count: number }>(
    `SELECT (data->>'rating')::int AS score, count(*)::int AS count FROM case_events
     WHERE type = 'survey_answered' AND created_at >= $1 GROUP BY 1`,
    [since],
  );
  const counts = [0, 0, 0, 0, 0];
  for (const row of rows) if (row.score >= 1 && row.score <= 5) counts[row.score - 1] = row.count;
  return counts;
}
