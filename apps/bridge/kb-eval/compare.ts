/**
 * `npm run kb:compare -w @flexcord/bridge [-- --engines flexcord,minisearch,… --json]`: every engine
 * of engines.ts on the dev set (the demo KB) and on the held-out banking KB, side by side.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINES, type EngineName } from './engines.ts';
import { type EvalReport, readQuestions, reportOf, runQuestions } from './evaluate.ts';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const SETS = {
  'dev (demo KB)': { kb: at('kb'), questions: at('kb-eval/sets/starfall-dev.jsonl') },
  'held-out (banking KB)': {
    kb: at('kb-eval/sets/lumo-bank/kb'),
    questions: at('kb-eval/sets/lumo-bank/queries.jsonl'),
  },
};

const { values } = parseArgs({
  options: {
    engines: { type: 'string', default: Object.keys(ENGINES).join(',') },
    json: { type: 'boolean', default: false },
  },
});
const engines = String(values.engines).split(',') as EngineName[];
const results: { engine: string; set: string; report: EvalReport }[] = [];
for (const [set, { kb, questions }] of Object.entries(SETS)) {
  for (const name of engines) {
    const engine = await ENGINES[name](kb);
    try {
      results.push({
        engine: name,
        set,
        report: reportOf(await runQuestions(engine, readQuestions(questions))),
      });
    } finally {
      await engine.close();
    }
  }
}
if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  console.log(
    '| set | engine | hit@1 | hit@3 | MRR@3 | off-topic answered | cross-language hit@1 | Spanish hit@1 | p50 / p95 ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { engine, set, report } of results) {
    const o = report.overall;
    console.log(
      `| ${set} | ${engine} | ${o.hitAt1.toFixed(3)} | ${o.hitAt3.toFixed(3)} | ${o.mrrAt3.toFixed(3)} | ${o.nullAnswered.toFixed(3)} (${Math.round(o.nullAnswered * o.unanswerable)}/${o.unanswerable}) | ${report.byKind['cross-language']?.hitAt1.toFixed(3) ?? '–'} | ${report.byLanguage.es?.hitAt1.toFixed(3) ?? '–'} | ${report.latencyMs.p50} / ${report.latencyMs.p95} |`,
    );
  }
}
