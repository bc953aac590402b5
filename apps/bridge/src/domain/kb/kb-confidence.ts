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

/**
 * The confidence model with the semantic stage on: the same features and the first article's
 * semantic standing (`RankedArticle.standing`), fitted with `kb:tune-semantic` on the dev set
 * with the stage on (USE lite, translation on, fusion weight 0.25; docs/kb-quality.md). Used
 * whenever the first article has a standing.
 */
export const SEMANTIC_CONFIDENCE_MODEL = {
  intercept: -4.53,
  coverage: 2.36,
  naming: 7.08,
  margin: 1.07,
  unknown: -1.37,
  semantic: 0.89,
};

export type ConfidenceModel = typeof CONFIDENCE_MODEL & { semantic?: number };

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
  /**
   * With the semantic stage on, an article standing this many standard deviations above the KB's
   * typical article is shown even when its words are not the question's.
   */
  minStanding?: number;
}

export const DECISION: DecisionSettings = {
  answerAt: 0.8,
  offerAt: 0.2,
  minCoverage: 0.3,
  minNaming: 0.05,
};

/**
 * The thresholds with the semantic stage on, chosen on the dev set with the model above: an article
 * standing 3 standard deviations above the KB's typical one is shown even without a shared word.
 */
export const SEMANTIC_DECISION: DecisionSettings = {
  answerAt: 0.8,
  offerAt: 0.3,
  minCoverage: 0.3,
  minNaming: 0.05,
  minStanding: 3,
};

/** A candidate scoring below this share of the first one is not worth offering. */
export const CANDIDATE_SCORE_SHARE = 0.3;
const MAX_CANDIDATES = 3;

export interface ConfidenceFeatures {
  coverage: number;
  naming: number;
  margin: number;
  unknown: number;
  /** The first article's semantic standing; absent without the semantic stage. */
  semantic?: number;
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
    ...(first.standing !== undefined ? { semantic: first.standing } : {}),
  };
}

export function confidenceOf(
  features: ConfidenceFeatures,
  model: ConfidenceModel = CONFIDENCE_MODEL,
): number {
  const z =
    model.intercept +
    model.coverage * features.coverage +
    model.naming * features.naming +
    model.margin * features.margin +
    model.unknown * features.unknown +
    (model.semantic ?? 0) * (features.semantic ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** The outcome for a question's ranked articles (best first). */
export function decide(
  ranked: readonly RankedArticle[],
  chosen?: DecisionSettings,
  model?: ConfidenceModel,
): KbDecision {
  const features = featuresOf(ranked);
  const semantic = features?.semantic !== undefined;
  const settings = chosen ?? (semantic ? SEMANTIC_DECISION : DECISION);
  const showable = (hit: RankedArticle) =>
    (hit.coverage >= settings.minCoverage && hit.naming >= settings.minNaming) ||
    (hit.standing ?? Number.NEGATIVE_INFINITY) >= (settings.minStanding ?? Number.POSITIVE_INFINITY);
  if (!features || !showable(ranked[0]!)) return { outcome: 'unsure', confidence: 0, shown: [] };
  const confidence = confidenceOf(
    features,
    model ?? (semantic ? SEMANTIC_CONFIDENCE_MODEL : CONFIDENCE_MODEL),
  );
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
