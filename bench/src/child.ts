import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridgeProcess } from '@flexcord/testkit';
import type { ChildMessage, ParentMessage } from './ipc.ts';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export interface MemoryReading {
  rss: number;
  /** V8's heap as reserved (young generation included), against `heapUsed` live in it. */
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** A bridge or baseline process the harness drives over IPC. */
export interface Child {
  pid: number;
  /** User + system CPU seconds the process has used so far. */
  cpuSeconds(): number;
  memory(): Promise<MemoryReading>;
  profileStart(): void;
  profileStop(path: string): Promise<void>;
  stop(): Promise<void>;
  /** Kills it with SIGKILL (a crash: no shutdown, nothing flushed). */
  kill(): Promise<void>;
  /** Kills it if it still runs and starts it again with the same environment; resolves once ready. */
  restart(): Promise<void>;
  /** The process now (a new one after {@link Child.restart}). */
  readonly process: ChildProcess;
  output(): string;
}

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  output: () => string,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child sent no ${type} within ${timeoutMs} ms: ${output().slice(-3000)}`));
    }, timeoutMs);
    const onMessage = (message: ChildMessage) => {
      if (message.type === 'error') {
        cleanup();
        reject(new Error(`child: ${message.message}`));
      } else if (message.type === type) {
        cleanup();
        resolve(message as Extract<ChildMessage, { type: T }>);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (${code}) before ${type}: ${output().slice(-3000)}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Node's flags in the bridge's production image (the Dockerfile's `CMD`); keep the two alike. */
const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=512'];

/**
 * Starts `script` (a module of this package, e.g. `./bridge-process.ts`) as the bridge is deployed:
 * its bundle in `dist/` (`npm run build -w @flexcord/bench`, the bridge's production build) under
 * plain node with the production flags, plus `--expose-gc` for the memory readings. Under tsx the
 * process would also carry the TypeScript compiler (~25 MiB of RSS), which production never runs.
 * Waits for it to be ready.
 */
export async function spawnChild(
  script: string,
  env: Record<string, string>,
  /** Another build of the bundles (`dist` unless told), e.g. the code before a change, to compare in one run. */
  distDir = 'dist',
): Promise<Child> {
  const bundle = new URL(`../${distDir}/${basename(script, '.ts')}.js`, import.meta.url);
  if (!existsSync(bundle)) {
    throw new Error(`${fileURLToPath(bundle)} is missing: npm run build -w @flexcord/bench`);
  }
  const running = await startBridgeProcess({
    entry: fileURLToPath(bundle),
    execArgv: [...PRODUCTION_NODE_FLAGS, '--expose-gc'],
    env,
    ipc: true,
    // The harness's own `ready` over IPC: the baseline forwarder has no /readyz.
    waitUntilReady: (child, { output }) => nextMessage(child, 'ready', 90_000, output).then(() => undefined),
  });
  const read = () => running.output();
  const ask = (message: ParentMessage) => running.process.send(message);
  return {
    get pid() {
      return running.process.pid ?? 0;
    },
    get process() {
      return running.process;
    },
    cpuSeconds() {
      const pid = running.process.pid ?? 0;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
      return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
    },
    async memory() {
      const answer = nextMessage(running.process, 'memory', 30_000, read);
      ask({ type: 'memory' });
      const { type: _type, ...reading } = await answer;
      return reading;
    },
    profileStart() {
      ask({ type: 'profile-start' });
    },
    async profileStop(file: string) {
      const answer = nextMessage(running.process, 'profile-written', 60_000, read);
      ask({ type: 'profile-stop', path: file });
      await answer;
    },
    async stop() {
      const child = running.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      ask({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
    kill: () => running.kill(),
    restart: () => running.restart(),
    output: read,
  };
}
