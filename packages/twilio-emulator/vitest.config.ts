import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';
import { TRAFFIC_DIR } from './test/conformance/traffic-dir.ts';

/**
 * Two projects in order: the emulator's own tests (twilio-node talking to it, every exchange
 * recorded), then the conformance suite, which checks that recorded traffic against twilio-node.
 */
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'emulator',
            exclude: ['test/conformance.test.ts', '**/node_modules/**'],
            env: { TWILIO_EMULATOR_RECORD_DIR: TRAFFIC_DIR },
            globalSetup: ['conformance/clear-traffic.ts'],
            sequence: { groupOrder: 0 },
          },
        },
        {
          // Not `extends: true`: the shared include would add every test file to this project.
          test: {
            name: 'conformance',
            pool: 'forks',
            include: ['test/conformance.test.ts'],
            sequence: { groupOrder: 1 },
          },
        },
      ],
    },
  }),
);
