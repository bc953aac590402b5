import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventually } from './eventually.ts';

/**
 * The bridge's production entry point, `apps/bridge/src/bin/main.ts` (configuration from the
 * environment, SIGTERM stops it cleanly). Run as a file in its own process, never imported.
 */
export const BRIDGE_MAIN = fileURLToPath(new URL('../../../apps/bridge/src/bin/main.ts', import.meta.url));

/** tsx's ESM loader, so a `.ts` entry runs under plain node (`node --import tsx`). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface BridgeProcessOptions {
  /** The bridge's environment (a {@link LocalStack}'s `env`, plus storage…), over this process's. */
  env: Record<string, string>;
  /**
   * Whether the process also gets this process's environment under `env` (default true). False
   * configures it from `env` alone, so nothing set in the caller's shell (a DATABASE_URL…) leaks in.
   */
  inheritEnv?: boolean;
  /**
   * The module to run: {@link BRIDGE_MAIN} by default. A `.ts` file runs under tsx; a built
   * bundle (`.js`, e.g. `apps/bridge/dist/main.js`) under plain node.
   */
  entry?: string;
  /** Node flags before the entry (e.g. the Dockerfile's `--max-semi-space-size=4 --max-old-space-size=512`). */
  execArgv?: string[];
  /** Opens an IPC channel to the process (`process.send` in the child), for a harness that drives it. */
  ipc?: boolean;
  /** Where it answers once started (default `http://127.0.0.1:$PORT`, else `PUBLIC_BASE_URL`). */
  url?: string;
  /**
   * Resolves once the process is ready; the default polls `${url}/readyz` until it answers 200.
   * Rejecting, or the process exiting first, fails the start with its output.
   */
  waitUntilReady?: (child: ChildProcess, started: { url: string; output(): string }) => Promise<void>;
  /** How long the start may take (default 60 s). */
  readyTimeoutMs?: number;
  /** Also hands each chunk of the process's stdout and stderr here (e.g. to print the bridge's logs). */
  onOutput?: (text: string) => void;
}

/** A bridge running in its own process, as in production. */
export interface BridgeProcess {
  /** The current process (a new one after {@link BridgeProcess.restart}). */
  readonly process: ChildProcess;
  readonly url: string;
  /** Kills it at once with SIGKILL: no shutdown, no flushing (a crash). */
  kill(): Promise<void>;
  /** Stops it with SIGTERM, as an orchestrator would; SIGKILL after `timeoutMs` (default 30 s). */
  stop(timeoutMs?: number): Promise<void>;
  /** Kills it if it still runs and starts a new process with the same options; resolves when ready. */
  restart(): Promise<void>;
  /** What it wrote to stdout and stderr (the last 100,000 characters, across restarts). */
  output(): string;
}

const OUTPUT_LIMIT = 100_000;

/** Starts the bridge (or `entry`) as its own process with `env`; resolves once it is ready. */
export async function startBridgeProcess(options: BridgeProcessOptions): Promise<BridgeProcess> {
  const entry = options.entry ?? BRIDGE_MAIN;
  const url =
    options.url ??
    (options.env.PORT ? `http://127.0.0.1:${options.env.PORT}` : (options.env.PUBLIC_BASE_URL ?? ''));
  if (!url) throw new Error('startBridgeProcess: set env.PORT or env.PUBLIC_BASE_URL, or pass url');
  let output = '';
  let child = await launch();

  async function launch(): Promise<ChildProcess> {
    const loader = entry.endsWith('.ts') || entry.endsWith('.tsx') ? ['--import', TSX_LOADER] : [];
    const started = spawn(process.execPath, [...(options.execArgv ?? []), ...loader, entry], {
      env: options.inheritEnv === false ? { ...options.env } : { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-OUTPUT_LIMIT);
      options.onOutput?.(text);
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    const exited = new Promise<never>((_resolve, reject) =>
      started.once('exit', (code, signal) =>
        reject(new Error(`${entry} exited (${signal ?? code}) before it was ready:\n${output.slice(-3000)}`)),
      ),
    );
    exited.catch(() => undefined);
    const ready = options.waitUntilReady
      ? options.waitUntilReady(started, { url, output: () => output })
      : eventually(
          async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
          `${entry} to be ready at ${url}/readyz`,
          options.readyTimeoutMs ?? 60_000,
          100,
        ).then(() => undefined);
    try {
      await Promise.race([ready, exited]);
    } catch (error) {
      if (started.exitCode === null && started.signalCode === null) {
        started.kill('SIGKILL');
        await exitOf(started);
      }
      throw error;
    }
    return started;
  }

  const handle: BridgeProcess = {
    get process() {
      return child;
    },
    url,
    async kill() {
      if (!running(child)) return;
      const exited = exitOf(child);
      child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 30_000) {
      if (!running(child)) return;
      const exited = exitOf(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      await handle.kill();
      child = await launch();
    },
    output: () => output,
  };
  return handle;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exitOf(child: ChildProcess): Promise<void> {
  return running(child) ? new Promise((resolve) => child.once('exit', () => resolve())) : Promise.resolve();
}
