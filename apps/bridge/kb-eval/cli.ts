/**
 * `npm run eval:kb -- --kb <dir> --queries <file.jsonl> [--json] [--misses]`: asks the bridge's
 * KB, exactly as the bot does, every question of a JSONL file and prints hit@1, hit@3, MRR@3, the
 * share of unanswerable questions that got a suggestion, per kind and per language, and the
 * search time. Lines: {"q": "...", "expect": "<article file name without .md>" | null,
 * "lang": "en" | "es", "kind": "<free label>"}.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateKb, formatReport } from './evaluate.ts';

const { values } = parseArgs({
  options: {
    kb: { type: 'string' },
    queries: { type: 'string' },
    json: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
  },
});
if (!values.kb || !values.queries) {
  console.error('usage: npm run eval:kb -- --kb <dir> --queries <file.jsonl> [--json] [--misses]');
  process.exit(2);
}
// npm runs workspace scripts in the workspace: paths are the caller's.
const from = process.env.INIT_CWD ?? process.cwd();
const report = await evaluateKb(resolve(from, values.kb), resolve(from, values.queries));
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(formatReport(report, `${values.kb} × ${values.queries}`));
  if (values.misses) for (const miss of report.misses) console.log(JSON.stringify(miss));
}
