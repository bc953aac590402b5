import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { REST } from 'discord.js';

/** What the harness asks a child process (bridge or baseline). */
export type ParentMessage =
  | { type: 'memory' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; path: string }
  | { type: 'stop' };

/** What a child process answers. */
export type ChildMessage =
  | { type: 'ready' }
  | {
      type: 'memory';
      rss: number;
      heapTotal: number;
      heapUsed: number;
      external: number;
      arrayBuffers: number;
    }
  | { type: 'profile-written'; path: string }
  | { type: 'error'; message: string };

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * The child side of the harness's IPC: memory readings after a full GC (run with `--expose-gc`),
 * a CPU profile of a window the harness chooses (the inspector's Profiler, so start-up is left
 * out), and a clean stop.
 */
export function serveHarness(stop: () => Promise<void>): void {
  let session: Session | null = null;
  process.on('message', (raw: ParentMessage) => {
    void (async () => {
      try {
        if (raw.type === 'memory') {
          const gc = (globalThis as { gc?: () => void }).gc;
          gc?.();
          gc?.();
          const usage = process.memoryUsage();
          send({
            type: 'memory',
            rss: usage.rss,
            heapTotal: usage.heapTotal,
            heapUsed: usage.heapUsed,
            external: usage.external,
            arrayBuffers: usage.arrayBuffers,
          });
        } else if (raw.type === 'profile-start') {
          session = new Session();
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
        } else if (raw.type === 'profile-stop' && session) {
          const { profile } = await session.post('Profiler.stop');
          writeFileSync(raw.path, JSON.stringify(profile));
          session.disconnect();
          session = null;
          send({ type: 'profile-written', path: raw.path });
        } else if (raw.type === 'stop') {
          await stop();
          process.exit(0);
        }
      } catch (error) {
        send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // The harness went away (it crashed or was interrupted): do not linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

/**
 * discord.js holds every bot to Discord's global 50 requests/s on the client side. With
 * `BENCH_DISCORD_GLOBAL_LIMIT` set (a number), the benchmark raises it — as for a bot Discord
 * granted a higher global limit — so that agent → member runs measure the relay, not that cap.
 * Applied alike to the bridge and the baseline.
 */
export function liftDiscordGlobalLimit(rest: REST): void {
  const limit = Number(process.env.BENCH_DISCORD_GLOBAL_LIMIT);
  if (!limit) return;
  (rest.options as { globalRequestsPerSecond: number }).globalRequestsPerSecond = limit;
  rest.globalRemaining = limit;
}
