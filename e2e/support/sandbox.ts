import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSandboxConfig, type RunningSandbox, startSandbox } from '@flexcord/sandbox';

export interface TestSandbox {
  readonly sandbox: RunningSandbox;
  /** The page, on 127.0.0.1 (what the bridge's CORS allows, like localhost). */
  readonly url: string;
  /**
   * Stops everything and starts it again on the same data, as `npm run demo` after Ctrl-C: the
   * bridge keeps its database, the emulators start empty (new ports, so a new `url`).
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The sandbox as `npm run demo` starts it, on free ports, with its data in a fresh temporary
 * directory; without help topics unless `topics` is set. `beforeStart` runs on that directory
 * before anything starts (e.g. seeding the bridge's database, see figures-seed.ts).
 */
export async function startTestSandbox(
  options: {
    hours?: 'open' | 'closed';
    topics?: boolean;
    beforeStart?: (dataDir: string) => Promise<void>;
  } = {},
): Promise<TestSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flexcord-e2e-'));
  await options.beforeStart?.(dataDir);
  const config = loadSandboxConfig(
    [
      ...[
        '--port',
        '0',
        '--bridge-port',
        '0',
        '--discord-port',
        '0',
        '--twilio-port',
        '0',
        '--data-dir',
        dataDir,
      ],
      ...(options.hours ? ['--hours', options.hours] : []),
      // The stories that do not pick a help topic run /helpme as a brand without topics has it.
      '--topics',
      options.topics ? 'on' : 'off',
    ],
    { SANDBOX_LOG_LEVEL: 'error' },
  );
  let sandbox = await startSandbox(config);
  return {
    get sandbox() {
      return sandbox;
    },
    get url() {
      return sandbox.url.replace('//localhost:', '//127.0.0.1:');
    },
    async restart() {
      await sandbox.stop();
      sandbox = await startSandbox(config);
    },
    async stop() {
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
