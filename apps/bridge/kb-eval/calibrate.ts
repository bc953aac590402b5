/**
 * `npm run kb:calibrate -w @flexcord/bridge -- --kb <dir> --queries <file.jsonl>`: fits the
 * confidence model (kb-confidence.ts) on a questions file: a logistic regression of "the first
 * article is the expected one" on the first article's evidence, over every question (those with
 * no expected article count as wrong). Prints the coefficients, and how well calibrated they are.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ConfidenceFeatures,
  confidenceOf,
  DECISION,
  featuresOf,
} from '../src/domain/kb/kb-confidence.ts';
import { bridgeEngine, readQuestions } from './evaluate.ts';
import { type RankedQuestion, scoreDecisions } from './score-decisions.ts';

const { values } = parseArgs({
  options: { kb: { type: 'string' }, queries: { type: 'string' }, dump: { type: 'boolean', default: false } },
});
if (!values.kb || !values.queries) {
  console.error('usage: kb:calibrate -- --kb <dir> --queries <file.jsonl>');
  process.exit(2);
}
const from = process.env.INIT_CWD ?? process.cwd();
const engine = await bridgeEngine(resolve(from, values.kb));
const samples: { features: ConfidenceFeatures; correct: number; q: string }[] = [];
const asked: RankedQuestion[] = [];
let rankedFirst = 0;
let rankedTop3 = 0;
let answerable = 0;
for (const question of readQuestions(resolve(from, values.queries))) {
  const { ranked } = await engine.kb.inspect(question.q);
  const features = featuresOf(ranked);
  asked.push({ expect: question.expect, ranked });
  if (question.expect) {
    answerable++;
    if (ranked[0]?.slug === question.expect) rankedFirst++;
    if (ranked.slice(0, 3).some((hit) => hit.slug === question.expect)) rankedTop3++;
  }
  if (values.dump)
    console.log(
      JSON.stringify({
        q: question.q,
        expect: question.expect,
        top: ranked
          .slice(0, 3)
          .map(
            (hit) =>
              `${hit.slug} s${hit.score.toFixed(2)} c${hit.coverage.toFixed(2)} n${hit.naming.toFixed(2)}`,
          ),
        features,
      }),
    );
  if (!features) continue;
  samples.push({
    features,
    correct: question.expect !== null && ranked[0]?.slug === question.expect ? 1 : 0,
    q: question.q,
  });
}
await engine.close();
console.log(
  `ranking alone: first ${(rankedFirst / answerable).toFixed(3)}, top 3 ${(rankedTop3 / answerable).toFixed(3)} of ${answerable}`,
);

// Plain gradient descent on the log loss, with a little L2 so separable data stays finite.
const keys = ['coverage', 'naming', 'margin', 'unknown'] as const;
const weights = { intercept: 0, coverage: 0, naming: 0, margin: 0, unknown: 0 };
for (let step = 0; step < 20_000; step++) {
  const gradient = { intercept: 0, coverage: 0, naming: 0, margin: 0, unknown: 0 };
  for (const { features, correct } of samples) {
    const error = confidenceOf(features, weights) - correct;
    gradient.intercept += error;
    for (const key of keys) gradient[key] += error * features[key];
  }
  weights.intercept -= (0.5 * gradient.intercept) / samples.length;
  for (const key of keys) weights[key] -= 0.5 * (gradient[key] / samples.length + 0.001 * weights[key]);
}
console.log(
  'fitted',
  JSON.stringify(Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, Number(v.toFixed(2))]))),
);
const bins = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
for (let i = 0; i < bins.length - 1; i++) {
  const inBin = samples.filter((sample) => {
    const p = confidenceOf(sample.features, weights);
    return p >= bins[i]! && p < bins[i + 1]!;
  });
  const rate = inBin.length ? inBin.reduce((sum, sample) => sum + sample.correct, 0) / inBin.length : 0;
  console.log(
    `confidence ${bins[i]!.toFixed(1)}–${Math.min(1, bins[i + 1]!).toFixed(1)}: ${inBin.length} questions, ${rate.toFixed(2)} right`,
  );
}

// The thresholds: what each choice of them would score on this set, best first.
const choices: {
  score: string;
  answerAt: number;
  offerAt: number;
  minNaming: number;
  minCoverage: number;
  key: number;
}[] = [];
for (const answerAt of [0.4, 0.5, 0.6, 0.7, 0.8])
  for (const offerAt of [0.05, 0.1, 0.15, 0.2, 0.3])
    for (const minNaming of [0, 0.02, 0.05, 0.1, 0.15])
      for (const minCoverage of [0.3, 0.4, 0.5]) {
        if (offerAt >= answerAt) continue;
        const score = scoreDecisions(asked, { answerAt, offerAt, minNaming, minCoverage }, weights);
        choices.push({ score: score.text, answerAt, offerAt, minNaming, minCoverage, key: score.key });
      }
choices.sort((a, b) => b.key - a.key);
console.log('now', JSON.stringify(DECISION));
for (const choice of choices.slice(0, Number(process.env.TOP ?? 8))) console.log(JSON.stringify(choice));
