/**
 * `npm run eval:kb -- --kb <dir> --queries <file.jsonl> [--semantic off|use|env] [--json] [--misses]`: asks the bridge's
 * KB, exactly as the bot does, every question of a JSONL file and prints hit@1, hit@3, MRR@3, the
 * share of unanswerable questions that got a suggestion, per kind and per language, and the
 * search time. Lines: {"q": "...", "expect": "<article file name without .md>" | null,
 * "lang": "en" | "es", "kind": "<free label>"}. Files that did not load are listed before the figures.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OpenAiEmbeddings } from '../src/adapters/embeddings/openai-embeddings.ts';
import type { SemanticStage } from '../src/domain/kb/semantic-stage.ts';
import { defaultStages, evaluateKb, formatProblems, formatReport } from './evaluate.ts';
import { useLite } from './semantic-stages.ts';

export const USAGE = `usage: npm run eval:kb -- --kb <dir> --queries <file.jsonl> [--json] [--misses]

  --kb <dir>          a KB folder: one Markdown file per article (front matter: title, url (optional),
                      tags, language, aliases, questions), and the brand's synonyms and glossary files
  --queries <file>    a JSONL file, one question a line:
                      {"q": "...", "expect": "<article file name without .md>" | null,
                       "lang": "en" | "es", "kind": "<free label>"}
  --translation <m>   auto (default, as the bot: articles also indexed in the other language when
                      apertium-eng-spa is installed) or off (the lexical engine alone)
  --semantic <m>      off (default, as the bot without KB_EMBEDDINGS_URL), use (the offline model,
                      USE lite, when its optional packages are installed) or env (the embeddings
                      service of KB_EMBEDDINGS_URL, _MODEL, _API_KEY, _LANGUAGES)
  --json              print the report as JSON
  --misses            also print every question the KB missed
  -h, --help          print this`;

let values: {
  kb?: string;
  queries?: string;
  translation?: string;
  semantic?: string;
  json?: boolean;
  misses?: boolean;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      kb: { type: 'string' },
      queries: { type: 'string' },
      translation: { type: 'string', default: 'auto' },
      semantic: { type: 'string', default: 'off' },
      json: { type: 'boolean', default: false },
      misses: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`eval:kb: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.kb || !values.queries) {
  console.error(USAGE);
  process.exit(2);
}
// npm runs workspace scripts in the workspace: paths are the caller's.
const from = process.env.INIT_CWD ?? process.cwd();
if (values.translation !== 'auto' && values.translation !== 'off')
  fail(`--translation ${values.translation}: must be auto or off`);
if (!['off', 'use', 'env'].includes(values.semantic ?? 'off'))
  fail(`--semantic ${values.semantic}: must be off, use or env`);
const semantic = semanticStage(values.semantic as 'off' | 'use' | 'env');
const kbDir = resolve(from, values.kb);
const queries = resolve(from, values.queries);
if (!existsSync(kbDir) || !statSync(kbDir).isDirectory())
  fail(`--kb ${values.kb}: no such folder (${kbDir})`);
if (!existsSync(queries) || !statSync(queries).isFile())
  fail(`--queries ${values.queries}: no such file (${queries})`);
try {
  const report = await evaluateKb(kbDir, queries, {
    ...defaultStages(values.translation),
    semantic,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    if (report.problems.length) console.log(`${formatProblems(report.problems)}\n`);
    console.log(formatReport(report, `${values.kb} × ${values.queries}`));
    if (values.misses) for (const miss of report.misses) console.log(JSON.stringify(miss));
  }
} catch (error) {
  fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
}

function semanticStage(choice: 'off' | 'use' | 'env'): SemanticStage | null {
  if (choice === 'off') return null;
  if (choice === 'use') {
    const embedder = useLite();
    if (!embedder) fail('--semantic use: the offline model (@energetic-ai/*) is not installed');
    return { embedder, queryTimeoutMs: 60_000 };
  }
  const url = process.env.KB_EMBEDDINGS_URL;
  const model = process.env.KB_EMBEDDINGS_MODEL;
  if (!url || !model) fail('--semantic env: KB_EMBEDDINGS_URL and KB_EMBEDDINGS_MODEL are required');
  return {
    embedder: new OpenAiEmbeddings({
      url,
      model,
      apiKey: process.env.KB_EMBEDDINGS_API_KEY,
      languages: process.env.KB_EMBEDDINGS_LANGUAGES === 'en' ? ['en'] : 'any',
    }),
    queryTimeoutMs: 60_000,
  };
}

function fail(message: string): never {
  console.error(`eval:kb: ${message}`);
  process.exit(2);
}
