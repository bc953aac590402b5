/**
 * `npm run kb:tune-semantic -w @flexcord/bridge`: chooses how the semantic stage combines with the
 * lexical one, on the DEV SET ONLY (the held-out sets are never read here): for each fusion weight,
 * fits the confidence model with the semantic standing as a feature (the same logistic regression as
 * kb:calibrate) and tries the decision thresholds, printing the best choice's dev figures.
 */
import { fileURLToPath } from 'node:url';
import {
  type ConfidenceFeatures,
  type ConfidenceModel,
  confidenceOf,
  type DecisionSettings,
  featuresOf,
} from '../src/domain/kb/kb-confidence.ts';
import { bridgeEngine, readQuestions } from './evaluate.ts';
import { type RankedQuestion, scoreDecisions } from './score-decisions.ts';
import { apertium, useLite } from './semantic-stages.ts';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const embedder = useLite();
if (!embedder) {
  console.error('the offline model (@energetic-ai/*) is not installed');
  process.exit(2);
}
const questions = readQuestions(at('kb-eval/sets/starfall-dev.jsonl'));
const keys = ['coverage', 'naming', 'margin', 'unknown', 'semantic'] as const;

function fit(samples: { features: ConfidenceFeatures; correct: number }[]): Required<ConfidenceModel> {
  const weights = { intercept: 0, coverage: 0, naming: 0, margin: 0, unknown: 0, semantic: 0 };
  for (let step = 0; step < 20_000; step++) {
    const gradient = { intercept: 0, coverage: 0, naming: 0, margin: 0, unknown: 0, semantic: 0 };
    for (const { features, correct } of samples) {
      const error = confidenceOf(features, weights) - correct;
      gradient.intercept += error;
      for (const key of keys) gradient[key] += error * (features[key] ?? 0);
    }
    weights.intercept -= (0.5 * gradient.intercept) / samples.length;
    for (const key of keys) weights[key] -= 0.5 * (gradient[key] / samples.length + 0.001 * weights[key]);
  }
  return Object.fromEntries(
    Object.entries(weights).map(([k, v]) => [k, Number(v.toFixed(2))]),
  ) as Required<ConfidenceModel>;
}

const translation = process.argv.includes('--no-translation') ? null : apertium();
for (const weight of [0.25, 0.5, 1, 2]) {
  const engine = await bridgeEngine(at('kb'), {
    translator: translation,
    semantic: { embedder, queryTimeoutMs: 60_000, weight },
  });
  await engine.kb.semanticReady();
  const asked: RankedQuestion[] = [];
  for (const question of questions)
    asked.push({ expect: question.expect, ranked: (await engine.kb.inspect(question.q)).ranked });
  await engine.close();
  const samples = asked.flatMap(({ expect, ranked }) => {
    const features = featuresOf(ranked);
    return features ? [{ features, correct: expect !== null && ranked[0]?.slug === expect ? 1 : 0 }] : [];
  });
  const model = fit(samples);
  const choices: { key: number; text: string }[] = [];
  for (const answerAt of [0.5, 0.6, 0.7, 0.8])
    for (const offerAt of [0.1, 0.2, 0.3])
      for (const minStanding of [2, 2.5, 3, 3.5, 99])
        for (const minNaming of [0.05]) {
          const settings: DecisionSettings = { answerAt, offerAt, minCoverage: 0.3, minNaming, minStanding };
          const score = scoreDecisions(asked, settings, model);
          choices.push({
            key: score.key,
            text: `answerAt ${answerAt} offerAt ${offerAt} minStanding ${minStanding}: ${score.text}`,
          });
        }
  choices.sort((a, b) => b.key - a.key);
  console.log(`weight ${weight} model ${JSON.stringify(model)}`);
  for (const choice of choices.slice(0, 3)) console.log(`  ${choice.text}`);
}
