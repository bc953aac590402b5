/**
 * `npm run kb:side-by-side [-- --json]`: the dev set and every held-out set, each with the KB's
 * stages off and on, through the bot's answer path; one Markdown table (docs/kb-quality.md).
 * Only the overall figures are printed: a held-out set's misses are not for reading.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UseLiteEmbedder } from '../src/adapters/embeddings/use-lite-embedder.ts';
import { ApertiumTranslator } from '../src/domain/kb/article-translator.ts';
import type { KbStages } from '../src/domain/kb/kb-service.ts';
import { type EvalReport, evaluateKb } from './evaluate.ts';
import { apertium, useLite } from './semantic-stages.ts';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const SETS = [
  { name: 'dev (demo KB)', kb: at('kb'), queries: at('kb-eval/sets/starfall-dev.jsonl') },
  {
    name: 'held-out banking',
    kb: at('kb-eval/sets/lumo-bank/kb'),
    queries: at('kb-eval/sets/lumo-bank/queries.jsonl'),
  },
  {
    name: 'held-out SaaS',
    kb: at('kb-eval/sets/heldout-tasklane/kb'),
    queries: at('kb-eval/sets/heldout-tasklane/queries.jsonl'),
  },
  {
    name: 'held-out telco',
    kb: at('kb-eval/sets/heldout-ondaline/kb'),
    queries: at('kb-eval/sets/heldout-ondaline/queries.jsonl'),
  },
] as const;

const semantic = () => ({ embedder: useLite()!, queryTimeoutMs: 60_000 });

export const ENGINES: { name: string; stages: () => KbStages; needs: ('apertium' | 'model')[] }[] = [
  { name: 'lexical', stages: () => ({ translator: null }), needs: [] },
  { name: 'lexical + translation', stages: () => ({ translator: apertium() }), needs: ['apertium'] },
  {
    name: 'semantic (USE lite; Spanish through translation)',
    stages: () => ({ translator: apertium(), semantic: semantic(), lexical: false }),
    needs: ['apertium', 'model'],
  },
  {
    name: 'lexical + semantic',
    stages: () => ({ translator: null, semantic: semantic() }),
    needs: ['model'],
  },
  {
    name: 'lexical + translation + semantic',
    stages: () => ({ translator: apertium(), semantic: semantic() }),
    needs: ['apertium', 'model'],
  },
];

export function row(set: string, engine: string, report: EvalReport): string {
  const o = report.overall;
  const x = report.byKind['cross-language'];
  const es = report.byLanguage.es;
  return `| ${set} | ${engine} | ${o.hitAt1.toFixed(3)} | ${o.hitAt3.toFixed(3)} | ${o.mrrAt3.toFixed(3)} | ${o.nullAnswered.toFixed(3)} (${Math.round(o.nullAnswered * o.unanswerable)}/${o.unanswerable}) | ${x ? x.hitAt1.toFixed(3) : '–'} | ${es ? es.hitAt1.toFixed(3) : '–'} | ${o.outcomes.unsure}/${o.questions} | ${report.latencyMs.p50} / ${report.latencyMs.p95} |`;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('side-by-side.ts')) {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      engines: { type: 'string' },
      sets: { type: 'string' },
    },
  });
  const has = { apertium: ApertiumTranslator.available(), model: UseLiteEmbedder.available() };
  const wanted = values.engines?.split(',').map(Number);
  const engines = ENGINES.filter(
    (engine, i) => engine.needs.every((need) => has[need]) && (!wanted || wanted.includes(i)),
  );
  if (!has.apertium) console.error('apertium-eng-spa is not installed: the translation rows are left out');
  if (!has.model)
    console.error('the offline model (@energetic-ai/*) is not installed: the semantic rows are left out');
  const sets = values.sets ? SETS.filter((_, i) => values.sets!.split(',').map(Number).includes(i)) : SETS;
  const results: { set: string; engine: string; report: EvalReport }[] = [];
  for (const set of sets)
    for (const engine of engines)
      results.push({
        set: set.name,
        engine: engine.name,
        report: await evaluateKb(set.kb, set.queries, engine.stages()),
      });
  if (values.json)
    console.log(
      JSON.stringify(
        results.map(({ set, engine, report }) => ({
          set,
          engine,
          overall: report.overall,
          byKind: report.byKind,
          byLanguage: report.byLanguage,
          latencyMs: report.latencyMs,
        })),
        null,
        2,
      ),
    );
  else {
    console.log(
      '| set | engine | hit@1 | hit@3 | MRR@3 | off-topic answered | cross-language hit@1 | Spanish hit@1 | not sure | p50 / p95 ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const { set, engine, report } of results) console.log(row(set, engine, report));
  }
}
