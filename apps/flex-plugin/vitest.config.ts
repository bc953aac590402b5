import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';

// The registration layer and the components run in happy-dom; the browser tests under e2e/ are
// Playwright's (`playwright test`), so vitest must not pick them up.
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
      environment: 'happy-dom',
      setupFiles: ['test/setup.ts'],
    },
  }),
);
