import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateKb } from '../kb-eval/evaluate.ts';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * The figures the KB search reached, through the bot's own answer path (the evaluation harness's
 * code, `npm run eval:kb`): a change that makes members' questions find their article less often,
 * or makes the bot answer small talk, fails here. docs/kb-quality.md has the figures and how
 * they were measured.
 */
describe('KB answer quality, measured as the bot answers', () => {
  it('on the dev set (201 member questions over the demo KB): hit@1 ≥ 0.93, hit@3 ≥ 0.95, off-topic answered ≤ 5%', async () => {
    const report = await evaluateKb(at('kb'), at('kb-eval/sets/starfall-dev.jsonl'));
    expect(report.overall.questions).toBe(201);
    expect(report.overall.hitAt1).toBeGreaterThanOrEqual(0.93);
    expect(report.overall.hitAt3).toBeGreaterThanOrEqual(0.95);
    expect(report.overall.nullAnswered).toBeLessThanOrEqual(0.05);
    expect(report.byLanguage.es?.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(report.byKind['cross-language']?.hitAt1).toBeGreaterThanOrEqual(0.86);
  });

  it('on the held-out banking KB (never tuned on): hit@1 ≥ 0.76, off-topic answered 0', async () => {
    const report = await evaluateKb(
      at('kb-eval/sets/lumo-bank/kb'),
      at('kb-eval/sets/lumo-bank/queries.jsonl'),
    );
    expect(report.overall.questions).toBe(77);
    expect(report.overall.hitAt1).toBeGreaterThanOrEqual(0.76);
    expect(report.overall.hitAt3).toBeGreaterThanOrEqual(0.76);
    expect(report.overall.nullAnswered).toBe(0);
  });
});
