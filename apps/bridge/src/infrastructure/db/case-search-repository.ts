import type { Case, CasePriority, CaseSort, CaseStatus, CaseType } from '@flexcord/contracts';
import { type CaseRow, SELECT_CASE, toCase } from './cases-repository.ts';
import type { Sql } from './database.ts';

/**
 * The case desk's queries: filters, full-text search and keyset pagination over `cases`, on the
 * indexes of migration 020. The folding below is the one the `search` column is built with.
 */
const FOLD_FROM = 'áàâäãåéèêëíìîïóòôöõúùûüñçýÿœæ';
const FOLD_TO = 'aaaaaaeeeeiiiiooooouuuuncyyoa';

export interface CaseFilter {
  /** What to find, as {@link caseQueryOf} wrote it. */
  tsquery?: string | undefined;
  types?: CaseType[] | undefined;
  statuses?: CaseStatus[] | undefined;
  priorities?: CasePriority[] | undefined;
  /** An agent identity, or null for unassigned cases. */
  assignee?: string | null | undefined;
  memberId?: string | undefined;
  createdBefore?: Date | undefined;
  createdAfter?: Date | undefined;
  /** Leave these cases out (e.g. the one being compared). */
  excludeNumbers?: number[] | undefined;
}

/** Where a page starts: the sort key of the last row seen (as Postgres printed it) and its number. */
export interface CaseKey {
  key: string;
  number: number;
}

/** Each sort: the key column, its direction, and how to compare a row against the cursor. */
const SORTS: Record<CaseSort, { key: string; cast: string; desc: boolean }> = {
  updated: { key: 'c.updated_at', cast: 'timestamptz', desc: true },
  newest: { key: 'c.created_at', cast: 'timestamptz', desc: true },
  oldest: { key: 'c.created_at', cast: 'timestamptz', desc: false },
  priority: { key: 'c.priority_rank', cast: 'smallint', desc: true },
  votes: { key: 'c.votes', cast: 'integer', desc: true },
};

/**
 * The tsquery of `words` as text: every word the `simple` parser finds in them, folded like the
 * documents, all required, those of 3+ letters as prefixes. Computed first and passed as a value, so
 * that the planner sees the words and picks the index that suits them (a common word: the sort's
 * index, stopping at the page; a rare one: the GIN index).
 */
export async function caseQueryOf(sql: Sql, words: string): Promise<string> {
  const { rows } = await sql.query<{ query: string | null }>(
    `SELECT string_agg(CASE WHEN length(word) >= 3 THEN quote_literal(word) || ':*' ELSE quote_literal(word) END, ' & ') AS query
     FROM unnest(tsvector_to_array(to_tsvector('simple', translate(lower($1), '${FOLD_FROM}', '${FOLD_TO}')))) AS word`,
    [words],
  );
  return rows[0]?.query ?? '';
}

function where(filter: CaseFilter, params: unknown[]): string[] {
  const clauses: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.tsquery) clauses.push(`c.search @@ to_tsquery('simple', ${param(filter.tsquery)})`);
  if (filter.types?.length) clauses.push(`c.type = ANY(${param(filter.types)}::text[])`);
  if (filter.statuses?.length) clauses.push(`c.status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.priorities?.length) clauses.push(`c.priority = ANY(${param(filter.priorities)}::text[])`);
  if (filter.assignee === null) clauses.push('c.assignee IS NULL');
  else if (filter.assignee !== undefined) clauses.push(`c.assignee = ${param(filter.assignee)}`);
  if (filter.memberId) clauses.push(`c.discord_user_id = ${param(filter.memberId)}`);
  if (filter.createdBefore) clauses.push(`c.created_at <= ${param(filter.createdBefore)}`);
  if (filter.createdAfter) clauses.push(`c.created_at >= ${param(filter.createdAfter)}`);
  if (filter.excludeNumbers?.length)
    clauses.push(`NOT (c.number = ANY(${param(filter.excludeNumbers)}::int[]))`);
  return clauses;
}

/** One page of cases matching `filter` in `sort` order, after `after`; with the key of its last row. */
export async function searchCases(
  sql: Sql,
  filter: CaseFilter,
  sort: CaseSort,
  limit: number,
  after?: CaseKey,
): Promise<{ cases: Case[]; lastKey: CaseKey | null; more: boolean }> {
  const params: unknown[] = [];
  const clauses = where(filter, params);
  const order = SORTS[sort];
  if (after) {
    params.push(after.key, after.number);
    const [k, n] = [`$${params.length - 1}::${order.cast}`, `$${params.length}::int`];
    clauses.push(
      order.desc ? `(${order.key}, c.number) < (${k}, ${n})` : `(${order.key}, c.number) > (${k}, ${n})`,
    );
  }
  params.push(limit + 1);
  const direction = order.desc ? 'DESC' : 'ASC';
  // The page's numbers and keys first (on the sort's index), then the full rows of those few.
  const { rows } = await sql.query<{ number: number; sort_key: string }>(
    `SELECT c.number, ${order.key}::text AS sort_key FROM cases c
     ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
     ORDER BY ${order.key} ${direction}, c.number ${direction}
     LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const full = page.length
    ? (
        await sql.query<CaseRow>(`${SELECT_CASE} WHERE c.number = ANY($1::int[])`, [
          page.map((row) => row.number),
        ])
      ).rows
    : [];
  const byNumber = new Map(full.map((row) => [row.number, row]));
  return {
    cases: page.flatMap((row) => {
      const found = byNumber.get(row.number);
      return found ? [toCase(found)] : [];
    }),
    lastKey: last ? { key: last.sort_key, number: last.number } : null,
    more,
  };
}

/** How many cases match `filter`, counted up to `cap`. */
export async function countCases(sql: Sql, filter: CaseFilter, cap: number): Promise<number> {
  const params: unknown[] = [];
  const clauses = where(filter, params);
  params.push(cap);
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM cases c ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} LIMIT $${params.length}) AS capped`,
    params,
  );
  return rows[0]?.n ?? 0;
}

/** Keeps a new note's words on its case, for the search index (the latest notes win past ~20,000 chars). */
export async function appendNoteWords(sql: Sql, caseNumber: number, body: string): Promise<void> {
  await sql.query(`UPDATE cases SET notes_text = right(notes_text || ' ' || $2, 20000) WHERE number = $1`, [
    caseNumber,
    body,
  ]);
}

/** An open bug report a new one may repeat, as the similarity ranking reads it. */
export interface SimilarCandidate {
  number: number;
  subject: string;
  text: string;
  url: string | null;
}

/**
 * Open bug reports (not duplicates) a new report may repeat: the `matching` best (`ts_rank`) of
 * those holding any of `words` (folded like the documents, 3+ letters as prefixes), and the
 * `recent` newest (a report in the other language shares no word with it). The KB's ranking then
 * orders them.
 */
export async function similarCandidates(
  sql: Sql,
  words: readonly string[],
  limits: { matching: number; recent: number },
): Promise<SimilarCandidate[]> {
  const { rows } = await sql.query<{
    number: number;
    subject: string;
    details: Record<string, unknown>;
    public_post: { url?: string } | null;
  }>(
    `WITH q AS (
       SELECT to_tsquery('simple', string_agg(CASE WHEN length(word) >= 3 THEN quote_literal(word) || ':*' ELSE quote_literal(word) END, ' | ')) AS query
       FROM unnest(tsvector_to_array(to_tsvector('simple', translate(lower($1), '${FOLD_FROM}', '${FOLD_TO}')))) AS word
     ), matching AS (
       SELECT c.number FROM cases c, q
       WHERE c.type = 'bug' AND c.status = 'open' AND c.duplicate_of IS NULL AND c.search @@ q.query
       ORDER BY ts_rank(c.search, q.query) DESC, c.number DESC LIMIT $2
     ), recent AS (
       SELECT c.number FROM cases c
       WHERE c.type = 'bug' AND c.status = 'open' AND c.duplicate_of IS NULL
       ORDER BY c.created_at DESC, c.number DESC LIMIT $3
     )
     SELECT c.number, c.subject, c.details, c.public_post FROM cases c
     WHERE c.number IN (SELECT number FROM matching UNION SELECT number FROM recent)
     ORDER BY c.number`,
    [words.join(' '), limits.matching, limits.recent],
  );
  return rows.map((row) => ({
    number: row.number,
    subject: row.subject,
    text: ['whatHappened', 'steps', 'expectedVsActual']
      .map((field) => (typeof row.details[field] === 'string' ? row.details[field] : ''))
      .filter(Boolean)
      .join('\n'),
    url: row.public_post?.url ?? null,
  }));
}
