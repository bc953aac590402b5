/**
 * `npm run bench:cases -w @flexcord/bench`: the case desk alone (list and search through the plugin
 * API with 100,000 generated cases), on loopback. Flags (defaults):
 *
 *   --cases 100000 --rounds 60   cases generated; rounds of the 11 requests of an agent's session
 *   --storages postgres,pglite
 *   --out case-desk              results/<out>.json and results/<out>.md
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CaseDeskRun, measureCaseDesk } from './case-desk.ts';
import { caseDeskRows, machine, RESULTS_DIR } from './report.ts';
import { startBenchStack } from './stack.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '60' },
    storages: { type: 'string', default: 'postgres,pglite' },
    out: { type: 'string', default: 'case-desk' },
  },
});
const storages = String(values.storages)
  .split(',')
  .filter((s): s is 'postgres' | 'pglite' => s === 'postgres' || s === 'pglite');
const stack = await startBenchStack(1, ['c']);
const runs: CaseDeskRun[] = [];
try {
  for (const storage of storages) {
    console.log(`[bench] case desk on ${storage}: ${values.cases} cases`);
    runs.push(
      await measureCaseDesk(stack, storage, { cases: Number(values.cases), rounds: Number(values.rounds) }),
    );
  }
} finally {
  await stack.stop();
}
const table = [
  '| measure | value | target | met |',
  '| --- | --- | --- | --- |',
  ...caseDeskRows(runs).map((row) => `| ${row.measure} | ${row.value} | ${row.target} | ${row.met} |`),
].join('\n');
writeFileSync(
  join(RESULTS_DIR, `${values.out}.json`),
  `${JSON.stringify({ finishedAt: new Date().toISOString(), flags: values, machine: machine(), runs }, null, 2)}\n`,
);
writeFileSync(join(RESULTS_DIR, `${values.out}.md`), `# Case desk benchmark\n\n${table}\n`);
console.log(table);
process.exit(0);
