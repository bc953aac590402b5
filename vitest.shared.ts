import { defineConfig } from 'vitest/config';

/**
 * The one vitest setup every workspace extends: the console reporter for people, and a JSON
 * report under `.reports/` that `scripts/run-tests.mjs` adds up into the CI totals line.
 */
export const sharedVitestConfig = defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    testTimeout: 30_000,
    // A stack story starts two emulators, a database and the bridge before its first test: on a
    // loaded 2-core machine that alone can take half a minute.
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
