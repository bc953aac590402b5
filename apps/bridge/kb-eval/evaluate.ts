import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ApertiumTranslator } from '../src/domain/kb/article-translator.ts';
import { type KbAnswer, KbService, type KbStages } from '../src/domain/kb/kb-service.ts';
import type { KbLoadProblem } from '../src/domain/kb/load-articles.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { createLogger } from '../src/infrastructure/logger.ts';

/** One line of a questions file: the question, the article it should get (file name without `.md`) or null. */
export const EvalQuestionSchema = z.strictObject({
  q: z.string(),
  expect: z.string().min(1).nullable(),
  lang: z.enum(['en', 'es']),
  kind: z.string().min(1),
});
export type EvalQuestion = z.infer<typeof EvalQuestionSchema>;

/** What one engine did with one question. */
export interface EvalResult extends EvalQuestion {
  outcome: KbAnswer['outcome'];
  /** The articles shown, best first. */
  shown: string[];
  ms: number;
}

export interface EvalFigures {
  questions: number;
  /** Questions with an `expect`. */
  answerable: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt3: number;
  /** Questions whose `expect` is null. */
  unanswerable: number;
  /** Share of those that got any suggestion (lower is better). */
  nullAnswered: number;
  outcomes: Record<KbAnswer['outcome'], number>;
}

export interface EvalReport {
  overall: EvalFigures;
  byKind: Record<string, EvalFigures>;
  byLanguage: Record<string, EvalFigures>;
  latencyMs: { p50: number; p95: number; max: number };
  misses: { q: string; expect: string | null; kind: string; outcome: string; shown: string[] }[];
  /** The KB's files that did not load (the figures are of the rest). */
  problems: KbLoadProblem[];
}

/** Something that answers questions as the bot would: the bridge's KB, or another engine to compare. */
export interface AnswerEngine {
  answer(question: string): Promise<Pick<KbAnswer, 'outcome'> & { shown: string[] }>;
  close(): Promise<void>;
}

/** Reads a JSONL questions file; a bad line is an error naming its number. */
export function readQuestions(file: string): EvalQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter((entry) => entry.line)
    .map(({ line, number }) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${number}: not JSON`);
      }
      const parsed = EvalQuestionSchema.safeParse(json);
      if (!parsed.success)
        throw new Error(
          `${file}:${number}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
        );
      return parsed.data;
    });
}

/**
 * The bridge's own KB, exactly as the bot uses it: a `KbService` over an embedded database with
 * the folder loaded, answering with `answer()` (the same ranking, confidence and thresholds).
 */
export async function bridgeEngine(
  kbDir: string,
  stages: KbStages = defaultStages(),
): Promise<AnswerEngine & { kb: KbService; db: Database }> {
  const db = await openDatabase({ pgliteDir: 'memory://' });
  await migrate(db);
  const kb = new KbService(db, kbDir, createLogger('silent'), stages);
  await kb.reload();
  // The bot translates and embeds in the background; the evaluation measures the KB once it has.
  await kb.semanticReady();
  return {
    kb,
    db,
    async answer(question) {
      const answer = await kb.answer(question);
      return { outcome: answer.outcome, shown: answer.hits.map((hit) => hit.slug) };
    },
    close: () => db.close(),
  };
}

/** Asks every question, one after the other, timing each. */
export async function runQuestions(
  engine: AnswerEngine,
  questions: readonly EvalQuestion[],
): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const question of questions) {
    const started = performance.now();
    const { outcome, shown } = await engine.answer(question.q);
    results.push({ ...question, outcome, shown: shown.slice(0, 3), ms: performance.now() - started });
  }
  return results;
}

export function figuresOf(results: readonly EvalResult[]): EvalFigures {
  const answerable = results.filter((result) => result.expect !== null);
  const unanswerable = results.filter((result) => result.expect === null);
  const rank = (result: EvalResult) => result.shown.indexOf(result.expect!) + 1;
  const share = (count: number, of: number) => (of ? round(count / of) : 0);
  const outcomes = { answer: 0, candidates: 0, unsure: 0 };
  for (const result of results) outcomes[result.outcome] += 1;
  return {
    questions: results.length,
    answerable: answerable.length,
    hitAt1: share(answerable.filter((r) => rank(r) === 1).length, answerable.length),
    hitAt3: share(answerable.filter((r) => rank(r) >= 1 && rank(r) <= 3).length, answerable.length),
    mrrAt3: share(
      answerable.reduce((sum, r) => sum + (rank(r) >= 1 && rank(r) <= 3 ? 1 / rank(r) : 0), 0),
      answerable.length,
    ),
    unanswerable: unanswerable.length,
    nullAnswered: share(unanswerable.filter((r) => r.shown.length > 0).length, unanswerable.length),
    outcomes,
  };
}

export function reportOf(
  results: readonly EvalResult[],
  problems: readonly KbLoadProblem[] = [],
): EvalReport {
  const groups = (key: (result: EvalResult) => string) => {
    const by = new Map<string, EvalResult[]>();
    for (const result of results) by.set(key(result), [...(by.get(key(result)) ?? []), result]);
    return Object.fromEntries(
      [...by].sort(([a], [b]) => a.localeCompare(b)).map(([name, group]) => [name, figuresOf(group)]),
    );
  };
  const times = results.map((result) => result.ms).sort((a, b) => a - b);
  const at = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0, 3);
  return {
    overall: figuresOf(results),
    byKind: groups((result) => result.kind),
    byLanguage: groups((result) => result.lang),
    latencyMs: { p50: at(0.5), p95: at(0.95), max: round(times.at(-1) ?? 0, 3) },
    misses: results
      .filter((result) =>
        result.expect === null ? result.shown.length > 0 : result.shown[0] !== result.expect,
      )
      .map(({ q, expect, kind, outcome, shown }) => ({ q, expect, kind, outcome, shown })),
    problems: [...problems],
  };
}

/** The stages the bot runs with by default (`KB_TRANSLATION=auto`): translation when apertium is installed. */
export function defaultStages(translation: 'auto' | 'off' = 'auto'): KbStages {
  return {
    translator: translation === 'auto' && ApertiumTranslator.available() ? new ApertiumTranslator() : null,
  };
}

/** Loads `kbDir` into the bridge's KB and asks it every question of `questionsFile`. */
export async function evaluateKb(
  kbDir: string,
  questionsFile: string,
  stages: KbStages = defaultStages(),
): Promise<EvalReport> {
  const questions = readQuestions(questionsFile);
  const engine = await bridgeEngine(kbDir, stages);
  try {
    return reportOf(await runQuestions(engine, questions), engine.kb.problems);
  } finally {
    await engine.close();
  }
}

/** The KB files that did not load, one a line, for before the figures. */
export function formatProblems(problems: readonly KbLoadProblem[]): string {
  return [
    `${problems.length} KB file problem${problems.length === 1 ? '' : 's'} (those files are not in the figures):`,
    ...problems.map(
      (problem) => `  ${problem.file}${problem.key ? ` [${problem.key}]` : ''}: ${problem.reason}`,
    ),
  ].join('\n');
}

/** A report as a table for people. */
export function formatReport(report: EvalReport, title: string): string {
  const row = (name: string, f: EvalFigures) =>
    `| ${name} | ${f.questions} | ${f.answerable ? f.hitAt1.toFixed(3) : '–'} | ${f.answerable ? f.hitAt3.toFixed(3) : '–'} | ${f.answerable ? f.mrrAt3.toFixed(3) : '–'} | ${f.unanswerable ? `${f.nullAnswered.toFixed(3)} (${Math.round(f.nullAnswered * f.unanswerable)}/${f.unanswerable})` : '–'} | ${f.outcomes.answer}/${f.outcomes.candidates}/${f.outcomes.unsure} |`;
  const header =
    '| | questions | hit@1 | hit@3 | MRR@3 | null answered | answer/candidates/unsure |\n| --- | --- | --- | --- | --- | --- | --- |';
  return [
    `## ${title}`,
    '',
    header,
    row('**all**', report.overall),
    ...Object.entries(report.byLanguage).map(([name, f]) => row(`lang ${name}`, f)),
    ...Object.entries(report.byKind).map(([name, f]) => row(name, f)),
    '',
    `search p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
  ].join('\n');
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
