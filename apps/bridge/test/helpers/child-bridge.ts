import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './wait.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** The bridge as its own process (`src/main.ts`), as in production, so a test can SIGKILL it. */
export interface ChildBridge {
  process: ChildProcess;
  /** Kills it at once: no shutdown, no flushing. */
  kill(): Promise<void>;
  output(): string;
}

/** Starts `src/main.ts` with `env`; resolves once `${readyUrl}/readyz` answers 200 (default the public URL). */
export async function spawnBridge(
  env: Record<string, string>,
  readyUrl = env.PUBLIC_BASE_URL,
): Promise<ChildBridge> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`bridge exited ${child.exitCode}: ${output.slice(-2000)}`);
      const response = await fetch(`${readyUrl}/readyz`).catch(() => null);
      return response?.status === 200;
    },
    'the bridge process to be ready',
    60_000,
  );
  return {
    process: child,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    output: () => output,
  };
}
