import { type ConfidenceModel, type DecisionSettings, decide } from '../src/domain/kb/kb-confidence.ts';
import type { RankedArticle } from '../src/domain/kb/kb-index.ts';

/** A question of a set with the engine's ranking for it; `expect` null for an off-topic question. */
export interface RankedQuestion {
  expect: string | null;
  ranked: RankedArticle[];
}

export interface DecisionScore {
  /** The expected article shown first, and among those shown, over the answerable questions. */
  hit1: number;
  hit3: number;
  /** Off-topic questions that were shown anything. */
  nullShare: number;
  /** What a search over settings sorts by: hit@1 + hit@3 while ≤ 5 % of off-topic questions get an answer. */
  key: number;
  text: string;
}

/** How the bot's decision with `settings` (and `model`) does on already ranked questions. */
export function scoreDecisions(
  asked: readonly RankedQuestion[],
  settings: DecisionSettings,
  model?: ConfidenceModel,
): DecisionScore {
  let first = 0;
  let top3 = 0;
  let answerable = 0;
  let shownNull = 0;
  let nulls = 0;
  for (const { expect, ranked } of asked) {
    const { shown } = decide(ranked, settings, model);
    if (expect === null) {
      nulls++;
      if (shown.length) shownNull++;
      continue;
    }
    answerable++;
    if (shown[0]?.slug === expect) first++;
    if (shown.some((hit) => hit.slug === expect)) top3++;
  }
  const hit1 = first / answerable;
  const hit3 = top3 / answerable;
  const nullShare = shownNull / nulls;
  return {
    hit1,
    hit3,
    nullShare,
    key: nullShare <= 0.05 ? hit1 + hit3 : -1 + hit1 + hit3 - nullShare,
    text: `hit@1 ${hit1.toFixed(3)} hit@3 ${hit3.toFixed(3)} null ${nullShare.toFixed(3)}`,
  };
}
