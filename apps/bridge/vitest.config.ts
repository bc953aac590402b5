import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';

/** Where the bridge's tests record every exchange with the Twilio emulator. */
const TWILIO_TRAFFIC_DIR = fileURLToPath(new URL('./.reports/twilio-traffic', import.meta.url));

/**
 * Two projects in order: the bridge's tests (every Twilio emulator exchange recorded), then the
 * Twilio conformance suite over that traffic (`@flexcord/twilio-emulator/conformance`).
 */
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({
    test: {
      // Most stories wait on timers and loopback I/O, not the CPU: three files at a time keep a
      // 2-core machine busy without starving any one of them (measured in docs/benchmarks.md).
      maxWorkers: 3,
      projects: [
        {
          extends: true,
          test: {
            name: 'bridge',
            exclude: ['test/twilio-conformance.test.ts', '**/node_modules/**'],
            env: { TWILIO_EMULATOR_RECORD_DIR: TWILIO_TRAFFIC_DIR },
            globalSetup: ['../../packages/twilio-emulator/conformance/clear-traffic.ts'],
            sequence: { groupOrder: 0 },
          },
        },
        {
          // Not `extends: true`: the shared include would add every test file to this project.
          test: {
            name: 'twilio-conformance',
            pool: 'forks',
            include: ['test/twilio-conformance.test.ts'],
            env: { TWILIO_EMULATOR_TRAFFIC_DIR: TWILIO_TRAFFIC_DIR },
            sequence: { groupOrder: 1 },
          },
        },
      ],
    },
  }),
);
