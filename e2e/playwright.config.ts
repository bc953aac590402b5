import { chromiumLaunchOptions } from '@flexcord/testkit/chromium';
import { defineConfig } from '@playwright/test';

/**
 * The whole story in a real browser against the sandbox (started by the tests on free ports, its
 * data in a temporary directory). Playwright never downloads a browser here: it drives Debian's
 * Chromium, found or installed by the global setup (`@flexcord/testkit`).
 */
export default defineConfig({
  testDir: 'tests',
  globalSetup: './global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // Each spec file starts its own sandbox (free ports, its own data), so files run side by side.
  // Two workers: the stories wait on timers and the browser more than on the CPU (all 60 in 8.1 min
  // against 9.3 min with one, on the 2-core machine; docs/benchmarks.md).
  workers: Number(process.env.E2E_WORKERS) || 2,
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1600, height: 900 },
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
  },
});
