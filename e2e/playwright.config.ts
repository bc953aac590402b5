import { defineConfig } from '@playwright/test';

/**
 * The whole story in a real browser against the sandbox (started by the tests on free ports, its
 * data in a temporary directory). Playwright never downloads a browser here: it drives Debian's
 * Chromium (`/usr/bin/chromium`, installed with apt-get by the global setup when missing).
 */
export default defineConfig({
  testDir: 'tests',
  globalSetup: './global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1600, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
