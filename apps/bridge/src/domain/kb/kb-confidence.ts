import type { KbOutcome } from '../../infrastructure/db/kb-answers-repository.ts';
import type { RankedArticle } from './kb-index.ts';

/** What the bot does with a question: answer with one article, offer a few, or say it isn't sure. */
export type { KbOutcome };

export interface KbDecision {
  outcome: KbOutcome;
  /** How likely the first article is the one the member needs (0–1). */
  confidence: number;
  /** The articles the member is shown: one for an answer, 2–3 candidates, none when unsure. */
  shown: RankedArticle[];
}

/**
 * The confidence model: a logistic function of the first article's evidence, fitted on the dev
 * set's questions (`npm run eval:kb -- … --calibrate` prints the fit) so that it reads as the
 * chance the first article is right. Features: the share of the question's informative words the
 * article holds (coverage), the share held in its title, aliases or tags (naming), and its margin
 * over the next article in the same language (a translation of the same article is not a rival).
 */
export const CONFIDENCE_MODEL = {
  intercept: -0.9,
  coverage: -0.04,
  naming: 6.91,
  margin: 0.65,
  unknown: -3.63,
};

/** The thresholds between the outcomes. */
export interface DecisionSettings {
  /** Answer with the first article at or above this confidence. */
  answerAt: number;
  /** Offer candidates from this confidence up; below, say it isn't sure. */
  offerAt: number;
  /** An article covering less of the question than this is never shown. */
  minCoverage: number;
  /** Nor one whose title, aliases, tags or headings name less of it than this. */
  minNaming: number;
}

export const DECISION: DecisionSettings = {
  answerAt: 0.8,
  offerAt: 0.2,
  minCoverage: 0.3,
  minNaming: 0.05,
};

/** A candidate scoring below this share of the first one is not worth offering. */
const CANDIDATE_SCORE_SHARE = 0.3;
const MAX_CANDIDATES = 3;

export interface ConfidenceFeatures {
  coverage: number;
  naming: number;
  margin: number;
  unknown: number;
}

/** The evidence about the first of `ranked` the confidence is computed from. */
export function featuresOf(ranked: readonly RankedArticle[]): ConfidenceFeatures | null {
  const [first, ...rest] = ranked;
  if (!first) return null;
  const rival = rest.find((hit) => hit.language === first.language);
  return {
    coverage: first.coverage,
    naming: first.naming,
    margin: rival ? 1 - rival.score / first.score : 1,
    unknown: first.unknown,
  };
}

export function confidenceOf(features: ConfidenceFeatures, model = CONFIDENCE_MODEL): number {
  const z =
    model.intercept +
    model.coverage * features.coverage +
    model.naming * features.naming +
    model.margin * features.margin +
    model.unknown * features.unknown;
  return 1 / (1 + Math.exp(-z));
}

/** The outcome for a question's ranked articles (best first). */
export function decide(
  ranked: readonly RankedArticle[],
  settings: DecisionSettings = DECISION,
  model = CONFIDENCE_MODEL,
): KbDecision {
  const features = featuresOf(ranked);
  const showable = (hit: RankedArticle) =>
    hit.coverage >= settings.minCoverage && hit.naming >= settings.minNaming;
  if (!features || !showable(ranked[0]!)) return { outcome: 'unsure', confidence: 0, shown: [] };
  const confidence = confidenceOf(features, model);
  const first = ranked[0]!;
  if (confidence >= settings.answerAt) return { outcome: 'answer', confidence, shown: [first] };
  if (confidence < settings.offerAt) return { outcome: 'unsure', confidence, shown: [] };
  const shown = ranked
    .filter((hit) => showable(hit) && hit.score >= first.score * CANDIDATE_SCORE_SHARE)
    .slice(0, MAX_CANDIDATES);
  return shown.length > 1
    ? { outcome: 'candidates', confidence, shown }
    : { outcome: 'answer', confidence, shown };
}
