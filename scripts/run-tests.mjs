#!/usr/bin/env node
// The README's test command: type-check, lint, every workspace's tests (vitest, then Playwright
// where present), and one closing line `N passed, N failed` added up from the JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaceDirs = ['packages', 'apps', 'e2e', 'bench'].flatMap((top) => {
  const dir = join(root, top);
  if (!existsSync(dir)) return [];
  if (existsSync(join(dir, 'package.json'))) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => join(dir, entry.name));
});

for (const dir of workspaceDirs) rmSync(join(dir, '.reports'), { recursive: true, force: true });

/** Wall seconds of each step, printed before the totals (the test-time budget is a target of its own). */
const took = [];
function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  took.push(`${label} ${Math.round((Date.now() - started) / 1000)} s`);
  return result.status === 0;
}

const steps = [
  ['typecheck', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  ['lint', 'npx', ['turbo', 'run', 'lint', 'lint:root', 'lint:deps', '--output-logs=errors-only']],
  ['test', 'npx', ['turbo', 'run', 'test', '--concurrency=1', '--continue', '--output-logs=full']],
];
const failedSteps = steps
  .filter(([label, command, args]) => !run(label, command, args))
  .map(([label]) => label);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of workspaceDirs) {
  const reports = join(dir, '.reports');
  if (!existsSync(reports)) continue;
  for (const file of readdirSync(reports).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    const seconds = reportSeconds(report);
    if (seconds !== null) took.push(`${dir.slice(root.length)} ${file.replace('.json', '')} ${seconds} s`);
    if (typeof report.numPassedTests === 'number') {
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      // A suite that failed to load has no tests to count: count it as one failure.
      failed += (report.testResults ?? []).filter(
        (suite) => suite.status === 'failed' && suite.assertionResults?.length === 0,
      ).length;
    } else if (report.stats) {
      passed += report.stats.expected ?? 0;
      failed += (report.stats.unexpected ?? 0) + (report.stats.flaky ?? 0);
      // Errors outside any test (a global setup that failed, e.g. no Chromium): each is a failure.
      failed += report.errors?.length ?? 0;
      skipped += report.stats.skipped ?? 0;
    }
  }
}
// A check step (type-check, lint) that failed counts as a failure even though it has no report.
failed += failedSteps.filter((label) => label !== 'test').length;
if (failedSteps.includes('test') && failed === 0) failed = 1;

console.log(`\ntook: ${took.join(', ')}`);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);

/** A report's wall time in seconds: vitest's first start to last end, or Playwright's own duration. */
function reportSeconds(report) {
  if (report.stats && typeof report.stats.duration === 'number')
    return Math.round(report.stats.duration / 1000);
  const ends = (report.testResults ?? [])
    .map((suite) => suite.endTime)
    .filter((end) => typeof end === 'number');
  if (typeof report.startTime !== 'number' || !ends.length) return null;
  return Math.round((Math.max(...ends) - report.startTime) / 1000);
}
