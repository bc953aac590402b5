import { chromiumLaunchOptions } from '@flexcord/testkit/chromium';
import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the built bundle in the Flex host page. Playwright never downloads a browser
 * here: it drives Debian's Chromium, found or installed by the global setup (`@flexcord/testkit`).
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    headless: true,
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
  },
});
