/**
 * The bridge as the benchmarks run it: its own process (a clean RSS, its own core), configured
 * from the environment like `src/bin/main.ts`, with the product's outbox defaults unless
 * `BENCH_OUTBOX_CONCURRENCY` / `BENCH_OUTBOX_POLL_MS` say otherwise. Started (as a bundle) by
 * `child.ts` through the testkit's `startBridgeProcess` and driven over IPC (`ipc.ts`): the memory
 * readings after a full GC and the CPU profile need code inside the process, so it wraps
 * `startBridge` instead of running `src/bin/main.ts`.
 */
import { createLogger, loadConfig, startBridge } from '@flexcord/bridge';
import { liftDiscordGlobalLimit, serveHarness } from './ipc.ts';

const config = loadConfig(process.env);
const concurrency = Number(process.env.BENCH_OUTBOX_CONCURRENCY) || undefined;
const pollIntervalMs = Number(process.env.BENCH_OUTBOX_POLL_MS) || undefined;
const bridge = await startBridge(config, {
  logger: createLogger(config.LOG_LEVEL),
  watchKb: false,
  outbox: {
    ...(concurrency ? { concurrency } : {}),
    ...(pollIntervalMs ? { pollIntervalMs } : {}),
  },
});
liftDiscordGlobalLimit(bridge.discord.rest);
serveHarness(() => bridge.stop());
