import type { KbGap, KbGapsReport } from '@flexcord/contracts';
import type { Sql } from '../../infrastructure/db/database.ts';
import {
  answerCounts,
  articleOutcomes,
  type GapRow,
  listGaps,
} from '../../infrastructure/db/kb-answers-repository.ts';
import { iso } from '../../infrastructure/db/rows.ts';
import type { KbLoadProblem } from './load-articles.ts';
import { detectLanguage, type KbLanguage, termsOf } from './text-analysis.ts';

/** Questions read per report at most: the newest, which say what the KB lacks now. */
const MAX_GAP_QUESTIONS = 5_000;
/** Two questions are alike when they share this share of their words (Jaccard of their stems). */
const SIMILAR = 0.5;

export interface GapsOptions {
  days: number;
  limit: number;
  /** Titles of the articles the KB has now, by slug. */
  titleOf(slug: string): string | null;
  problems: readonly KbLoadProblem[];
  now?: Date;
}

/**
 * The KB owner's gaps report: the questions members asked that the bot could not answer or whose
 * answer they turned down, grouped by similarity (questions sharing half their words, stemmed,
 * are one group) and most asked first; the articles members most often turned down; and the KB
 * files that did not load.
 */
export async function gapsReport(sql: Sql, options: GapsOptions): Promise<KbGapsReport> {
  const since = new Date((options.now ?? new Date()).getTime() - options.days * 86_400_000);
  const [rows, outcomes, questions] = await Promise.all([
    listGaps(sql, since, MAX_GAP_QUESTIONS),
    articleOutcomes(sql, since),
    answerCounts(sql, since),
  ]);
  const unhelpfulArticles = outcomes
    .filter((article) => article.agent > 0)
    .sort(
      (a, b) => b.agent / b.shown - a.agent / a.shown || b.agent - a.agent || a.slug.localeCompare(b.slug),
    )
    .slice(0, options.limit)
    .map((article) => ({ ...article, title: options.titleOf(article.slug) }));
  return {
    since: iso(since),
    questions,
    gaps: groupQuestions(rows).slice(0, options.limit),
    unhelpfulArticles,
    problems: options.problems.map((problem) => ({ ...problem })),
    // The KB service adds the learned phrasings waiting for a decision.
    learned: [],
  };
}

interface Group {
  terms: Set<string>;
  rows: GapRow[];
}

/** Groups similar questions, each joining the first group it is like; biggest groups first. */
export function groupQuestions(rows: readonly GapRow[]): KbGap[] {
  const groups: Group[] = [];
  for (const row of rows) {
    const language: KbLanguage = detectLanguage(row.question) ?? (row.language === 'es' ? 'es' : 'en');
    const terms = new Set(termsOf(row.question, language));
    const group = groups.find((candidate) => jaccard(candidate.terms, terms) >= SIMILAR);
    if (group) group.rows.push(row);
    else groups.push({ terms, rows: [row] });
  }
  return groups
    .map((group) => summary(group.rows))
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt));
}

function summary(rows: GapRow[]): KbGap {
  const wordings = new Map<string, number>();
  const nearest = new Map<string, number>();
  for (const row of rows) {
    const wording = row.question.trim().replace(/\s+/g, ' ');
    wordings.set(wording, (wordings.get(wording) ?? 0) + 1);
    for (const candidate of row.candidates.slice(0, 3))
      nearest.set(candidate.slug, (nearest.get(candidate.slug) ?? 0) + 1);
  }
  const byCount = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([key]) => key);
  const [question = '', ...examples] = byCount(wordings);
  return {
    question,
    count: rows.length,
    examples: examples.slice(0, 5),
    languages: [...new Set(rows.map((row) => row.language))].sort(),
    unanswered: rows.filter((row) => row.outcome === 'unsure').length,
    unhelped: rows.filter((row) => row.outcome !== 'unsure').length,
    nearest: byCount(nearest).slice(0, 3),
    lastAskedAt: iso(new Date(Math.max(...rows.map((row) => new Date(row.created_at).getTime())))),
  };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The report as text, for `npm run kb:report`. */
export function formatGapsReport(report: KbGapsReport): string {
  const lines = [`KB gaps since ${report.since.slice(0, 10)}`];
  const { answer, candidates, unsure } = report.questions;
  lines.push(
    `Questions: ${answer + candidates + unsure} (answered ${answer}, offered candidates ${candidates}, not answered ${unsure})`,
    '',
    'What members asked and did not get:',
  );
  if (!report.gaps.length) lines.push('  (nothing)');
  for (const gap of report.gaps) {
    lines.push(
      `  ${String(gap.count).padStart(4)} × "${gap.question}" [${gap.languages.join(', ')}] — ${gap.unanswered} not answered, ${gap.unhelped} answered but asked for an agent${gap.nearest.length ? `; nearest: ${gap.nearest.join(', ')}` : ''}`,
    );
    for (const example of gap.examples) lines.push(`         also: "${example}"`);
  }
  lines.push('', 'Articles members turned down (shown, then asked for an agent):');
  if (!report.unhelpfulArticles.length) lines.push('  (none)');
  for (const article of report.unhelpfulArticles) {
    lines.push(
      `  ${article.slug}${article.title ? ` (${article.title})` : ''}: shown ${article.shown}, helped ${article.helped}, agent ${article.agent}`,
    );
  }
  if (report.learned.length) {
    lines.push(
      '',
      'Learned phrasings waiting for a supervisor (POST /api/kb/gaps/phrasings/:id: approve, reject or reassign):',
    );
    for (const phrasing of report.learned)
      lines.push(
        `  #${phrasing.id} "${phrasing.question}" → ${phrasing.slug}${phrasing.title ? ` (${phrasing.title})` : ''}, proposed by ${phrasing.proposedBy}`,
      );
  }
  if (report.problems.length) {
    lines.push('', 'KB files not loaded:');
    for (const problem of report.problems)
      lines.push(`  ${problem.file}${problem.key ? ` [${problem.key}]` : ''}: ${problem.reason}`);
  }
  return lines.join('\n');
}
