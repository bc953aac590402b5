import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@flexcord/testkit';
import pg from 'pg';

/**
 * A throwaway Postgres server of the chaos run's own (`initdb` in a temporary directory, on a free
 * loopback port), so that it can restart and freeze a real server without touching the machine's
 * shared one (127.0.0.1:5432, where tests and other work run): a restart there would cut their
 * connections too. Same binaries, same version as that server.
 */
/**
 * `down`: the server is really down (stopped, or every process frozen); `up`: it is about to come
 * back (`pg_ctl start` begins, or SIGCONT is sent). Between the two it surely cannot answer.
 */
export interface FaultHooks {
  down?(): void;
  up?(): void;
}

export interface ChaosPostgres {
  /** The `chaos` database on it (trust auth). */
  url: string;
  port: number;
  /** A real restart: `pg_ctl stop -m fast` (every backend ends, 57P01), `downMs` down, `pg_ctl start`. */
  restart(downMs: number, hooks?: FaultHooks): Promise<void>;
  /** A real freeze: SIGSTOP to the postmaster and every backend for `ms` (connections hang, new ones wait), then SIGCONT. */
  stall(ms: number, hooks?: FaultHooks): Promise<void>;
  destroy(): Promise<void>;
}

/** Where this machine's Postgres binaries are (`initdb` and `pg_ctl` on PATH, else Debian's layout). */
function binDir(): string {
  const onPath = (name: string) => {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  if (onPath('initdb') && onPath('pg_ctl')) return '';
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('the chaos run needs initdb and pg_ctl (PostgreSQL server binaries) on PATH');
}

export async function startChaosPostgres(): Promise<ChaosPostgres> {
  const bin = binDir();
  const tool = (name: string) => (bin ? join(bin, name) : name);
  // Postgres refuses to run as root: as root, the server runs as the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const command = (name: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', tool(name), ...args]] : [tool(name), args];
  // Asynchronous: the emulators live in this process and must go on answering meanwhile.
  const run = async (name: string, args: string[]) => {
    await promisify(execFile)(...command(name, args));
  };
  const dir = mkdtempSync(join(tmpdir(), 'flexcord-chaos-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const port = await freePort('127.0.0.1');
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE chaos');
  await admin.end();

  const postmaster = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = (pid: number) =>
    execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);

  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/chaos`,
    port,
    async restart(downMs, hooks = {}) {
      await stop();
      running = false;
      hooks.down?.();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      hooks.up?.();
      await start();
      running = true;
    },
    async stall(ms, hooks = {}) {
      const main = postmaster();
      // The postmaster first, so it forks no new backend meanwhile; then every child it has.
      process.kill(main, 'SIGSTOP');
      const frozen = children(main);
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      hooks.down?.();
      try {
        await new Promise((resolve) => setTimeout(resolve, ms));
      } finally {
        hooks.up?.();
        for (const pid of frozen) process.kill(pid, 'SIGCONT');
        process.kill(main, 'SIGCONT');
      }
    },
    async destroy() {
      try {
        if (running) await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
