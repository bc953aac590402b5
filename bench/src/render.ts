/**
 * `npm run render -w @flexcord/bench [-- <name>]`: prints the table of `results/<name>.json`
 * (default `latest`) again and rewrites `results/<name>.md`, e.g. after the report's rows changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { markdownTable, RESULTS_DIR, type Results, rows } from './report.ts';

const name = process.argv[2] ?? 'latest';
const results = JSON.parse(readFileSync(`${RESULTS_DIR}${name}.json`, 'utf8')) as Results;
writeFileSync(`${RESULTS_DIR}${name}.md`, `${markdownTable(results)}\n`);
console.table(rows(results));
