import type { RankedArticle } from './kb-index.ts';

/** What the bot does with a question: answer with one article, offer a few, or say it isn't sure. */
export type KbOutcome = 'answer' | 'candidates' | 'unsure';

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
  intercept: -6,
  coverage: 6,
  naming: 2,
  margin: 3,
};

/** Answer at or above this confidence; offer candidates from `OFFER` up; below, not sure. */
export const ANSWER_AT = 0.6;
export const OFFER_AT = 0.2;
/** An article covering less of the question than this is never shown. */
export const MIN_COVERAGE = 0.4;
/** A candidate scoring below this share of the first one is not worth offering. */
const CANDIDATE_SCORE_SHARE = 0.3;
const MAX_CANDIDATES = 3;

export interface ConfidenceFeatures {
  coverage: number;
  naming: number;
  margin: number;
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
  };
}

export function confidenceOf(features: ConfidenceFeatures, model = CONFIDENCE_MODEL): number {
  const z =
    model.intercept +
    model.coverage * features.coverage +
    model.naming * features.naming +
    model.margin * features.margin;
  return 1 / (1 + Math.exp(-z));
}

/** The outcome for a question's ranked articles (best first). */
export function decide(ranked: readonly RankedArticle[]): KbDecision {
  const features = featuresOf(ranked);
  if (!features || features.coverage < MIN_COVERAGE) return { outcome: 'unsure', confidence: 0, shown: [] };
  const confidence = confidenceOf(features);
  const first = ranked[0]!;
  if (confidence >= ANSWER_AT) return { outcome: 'answer', confidence, shown: [first] };
  if (confidence < OFFER_AT) return { outcome: 'unsure', confidence, shown: [] };
  const shown = ranked
    .filter((hit) => hit.coverage >= MIN_COVERAGE && hit.score >= first.score * CANDIDATE_SCORE_SHARE)
    .slice(0, MAX_CANDIDATES);
  return shown.length > 1
    ? { outcome: 'candidates', confidence, shown }
    : { outcome: 'answer', confidence, shown };
}
