import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateKb } from '../kb-eval/evaluate.ts';
import { ApertiumTranslator } from '../src/domain/kb/article-translator.ts';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * The figures the KB search reached, through the bot's own answer path (the evaluation harness's
 * code, `npm run eval:kb`): a change that makes members' questions find their article less often,
 * or makes the bot answer small talk, fails here. docs/kb-quality.md has the figures and how
 * they were measured.
 */
describe('KB answer quality, measured as the bot answers', () => {
  // With Debian's apertium-eng-spa (as CI and the Dockerfile install it) the bot also searches
  // every article's translation; the floors below are what each set scored, never tuned on.
  const translated = ApertiumTranslator.available();

  it('on the dev set (201 member questions over the demo KB): hit@1 ≥ 0.93, hit@3 ≥ 0.94 (0.95 without translation), off-topic answered ≤ 5%', async () => {
    const report = await evaluateKb(at('kb'), at('kb-eval/sets/starfall-dev.jsonl'));
    expect(report.overall.questions).toBe(201);
    expect(report.overall.hitAt1).toBeGreaterThanOrEqual(0.93);
    // 0.956 before the translation stage; with it 0.944 (a translated reading of another article
    // now ranks among 2–3 candidates for a few questions). hit@1 holds at 0.931 (#27).
    expect(report.overall.hitAt3).toBeGreaterThanOrEqual(translated ? 0.94 : 0.95);
    expect(report.overall.nullAnswered).toBeLessThanOrEqual(0.05);
    expect(report.byLanguage.es?.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(report.byKind['cross-language']?.hitAt1).toBeGreaterThanOrEqual(0.86);
  }, 300_000);

  it.each([
    { set: 'heldout-tasklane', questions: 96, hitAt1: 0.72, nullAnswered: translated ? 0.07 : 0.14 },
    { set: 'heldout-ondaline', questions: 97, hitAt1: translated ? 0.72 : 0.65, nullAnswered: 0.22 },
  ])(
    'on the held-out $set KB (written before #27 and frozen): hit@1 ≥ $hitAt1',
    async (expected) => {
      const report = await evaluateKb(
        at(`kb-eval/sets/${expected.set}/kb`),
        at(`kb-eval/sets/${expected.set}/queries.jsonl`),
      );
      expect(report.problems).toEqual([]);
      expect(report.overall.questions).toBe(expected.questions);
      expect(report.overall.hitAt1).toBeGreaterThanOrEqual(expected.hitAt1);
      expect(report.overall.nullAnswered).toBeLessThanOrEqual(expected.nullAnswered);
    },
    300_000,
  );

  it('on the held-out banking KB (never tuned on): hit@1 ≥ 0.76, off-topic answered 0', async () => {
    const report = await evaluateKb(
      at('kb-eval/sets/lumo-bank/kb'),
      at('kb-eval/sets/lumo-bank/queries.jsonl'),
    );
    expect(report.overall.questions).toBe(77);
    expect(report.overall.hitAt1).toBeGreaterThanOrEqual(translated ? 0.81 : 0.76);
    expect(report.overall.hitAt3).toBeGreaterThanOrEqual(translated ? 0.81 : 0.76);
    expect(report.overall.nullAnswered).toBe(0);
  }, 300_000);
});
