/** `npm run bench`: every benchmark, side by side in one run, on loopback only. Flags: {@link USAGE}. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureCaseDesk } from './case-desk.ts';
import { type Child, spawnChild } from './child.ts';
import { generateKb, measureKbSearch, removeKb } from './kb-search.ts';
import { offerLoad } from './load.ts';
import { measureMemory } from './memory.ts';
import { freshSchema } from './postgres.ts';
import { RelayProbe } from './probes.ts';
import { summariseProfile } from './profile.ts';
import { measureRateLimitCeiling } from './rate-limit-ceiling.ts';
import { measureRelayLatency } from './relay-latency.ts';
import { machine, RESULTS_DIR, type Results, writeReport } from './report.ts';
import { type BenchStack, type Chat, chatForBaseline, chatThroughBridge, startBenchStack } from './stack.ts';
import { measureThroughput } from './throughput.ts';

const USAGE = `\`npm run bench\`: every benchmark, side by side in one run, on loopback only. Flags (defaults):

  --members 16            chats per pass (throughput spreads over all of them)
  --latency-rates 200,50  messages/s each way for the latency comparison (the target's rate, and a
                          light one that shows the bridge's own added time when nothing saturates)
  --latency-seconds 10    how long each latency run offers that rate
  --latency-chats 16      chats it spreads over (one chat's messages are relayed one after the other, in order)
  --tp-start 100 --tp-max 3200 --tp-step-seconds 4 --tp-p99-limit 1000   the throughput ramp
  --ceiling-count 1000    agent messages under Discord's real per-channel limit (~17 min: 5 per 5 s)
  --kb-articles 10000 --kb-queries 1000
  --memory-per-round 100000 --memory-rate 100   relayed messages per memory round (both ways), and the
                          rate each way (~8.5 min per round)
  --storages postgres,pglite
  --discord-global-limit 100000   discord.js's client-side global limit for bridge and baseline (0: keep Discord's 50/s)
  --cases 100000 --case-rounds 60   the case desk's list and search (also alone: npm run bench:cases)
  --skip latency,throughput,ceiling,kb,memory,cases
  --out latest            results/<out>.json and results/<out>.md
  -h, --help              this text

All defaults take ~45 min. A quick look (~8 min): --ceiling-count 100 --memory-per-round 6000.
From the repository root: npm run bench -- --ceiling-count 100 --memory-per-round 6000`;

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '16' },
    'latency-rates': { type: 'string', default: '200,50' },
    'latency-seconds': { type: 'string', default: '10' },
    'latency-chats': { type: 'string', default: '16' },
    'tp-start': { type: 'string', default: '100' },
    'tp-max': { type: 'string', default: '3200' },
    'tp-step-seconds': { type: 'string', default: '4' },
    'tp-p99-limit': { type: 'string', default: '1000' },
    'ceiling-count': { type: 'string', default: '1000' },
    'kb-articles': { type: 'string', default: '10000' },
    'kb-queries': { type: 'string', default: '1000' },
    cases: { type: 'string', default: '100000' },
    'case-rounds': { type: 'string', default: '60' },
    'memory-per-round': { type: 'string', default: '100000' },
    'memory-rate': { type: 'string', default: '100' },
    storages: { type: 'string', default: 'postgres,pglite' },
    'discord-global-limit': { type: 'string', default: '100000' },
    skip: { type: 'string', default: '' },
    out: { type: 'string', default: 'latest' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const num = (name: keyof typeof values) => Number(values[name]);
const skip = new Set(String(values.skip).split(',').filter(Boolean));
const storages = String(values.storages)
  .split(',')
  .filter((s): s is 'postgres' | 'pglite' => s === 'postgres' || s === 'pglite');
const members = num('members');
const latencyChats = Math.min(members, num('latency-chats'));
const latencyRates = String(values['latency-rates'])
  .split(',')
  .map(Number)
  .filter((rate) => rate > 0);
const globalLimit = num('discord-global-limit');
const childEnv = (stack: BenchStack, extra: Record<string, string>) => ({
  ...stack.env,
  ...(globalLimit ? { BENCH_DISCORD_GLOBAL_LIMIT: String(globalLimit) } : {}),
  ...extra,
});

const results: Results = {
  startedAt: new Date().toISOString(),
  flags: values,
  machine: machine(),
  latency: [],
  throughput: [],
  profiles: [],
  rateLimit: null,
  kb: [],
  cases: [],
  memory: null,
  errors: [],
};

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function attempt(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    log(`FAILED ${message.slice(0, 2000)}`);
    results.errors.push(message.slice(0, 4000));
  }
}

async function withChild(script: string, env: Record<string, string>, work: (child: Child) => Promise<void>) {
  const child = await spawnChild(script, env);
  try {
    await work(child);
  } finally {
    await child.stop();
  }
}

/** The throughput ramp, alike for every subject. */
const throughputRamp = {
  startRate: num('tp-start'),
  maxRate: num('tp-max'),
  stepSeconds: num('tp-step-seconds'),
  p99LimitMs: num('tp-p99-limit'),
};

/** Each-way rate of the profiled run ("where the time goes"), below what the bridge sustains here. */
const PROFILE_RATE = 100;

/**
 * The latency runs of one subject, each rate in turn, after a short warm-up (a process fresh from
 * start-up runs its first messages cold: JIT, connection pools, caches).
 */
async function measureLatencies(subject: { name: string; child: Child }, chats: Chat[]): Promise<void> {
  const measured = chats.slice(0, latencyChats);
  await offerLoad(probe, measured, {
    ratePerSecond: 50,
    count: 150,
    label: `warm-${subject.name}`,
    drainTimeoutMs: 15_000,
  });
  probe.clear();
  for (const rate of latencyRates) {
    results.latency.push(
      await measureRelayLatency(probe, subject, measured, { rate, count: rate * num('latency-seconds') }),
    );
  }
}

const relayRuns = ['latency', 'throughput', 'ceiling'].some((name) => !skip.has(name));
const groups = ['x', ...storages.map((storage) => storage[0]!), 'm'];
const stack = await startBenchStack(members, groups);
const probe = new RelayProbe(stack);
try {
  if (relayRuns) {
    await attempt('baseline', async () => {
      log('baseline forwarder');
      const chats: Chat[] = [];
      for (const user of stack.users('x')) chats.push(await chatForBaseline(stack, user));
      await withChild(
        './baseline-forwarder.ts',
        childEnv(stack, { BASELINE_CHATS: JSON.stringify(chats) }),
        async (child) => {
          const subject = { name: 'baseline', child };
          if (!skip.has('latency')) await measureLatencies(subject, chats);
          if (!skip.has('throughput')) {
            results.throughput.push(await measureThroughput(probe, subject, chats, throughputRamp));
          }
          await stack.twilio.control.settle();
        },
      );
    });
    for (const storage of storages) {
      await attempt(`bridge on ${storage}`, async () => {
        log(`bridge on ${storage}`);
        const schema = storage === 'postgres' ? await freshSchema() : null;
        const env = childEnv(stack, schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' });
        try {
          await withChild('./bridge-process.ts', env, async (child) => {
            const subject = { name: `bridge-${storage}`, child };
            const chats: Chat[] = [];
            for (const user of stack.users(storage[0]!)) chats.push(await chatThroughBridge(stack, user));
            if (!skip.has('latency')) await measureLatencies(subject, chats);
            if (!skip.has('throughput')) {
              results.throughput.push(await measureThroughput(probe, subject, chats, throughputRamp));
              // Profiled apart: the profiler's own cost must not count in the CPU per message above.
              const profile = join(RESULTS_DIR, `bridge-${storage}-throughput.cpuprofile`);
              child.profileStart();
              await offerLoad(probe, chats, {
                ratePerSecond: PROFILE_RATE,
                count: PROFILE_RATE * 8,
                label: `profile-${storage}`,
                drainTimeoutMs: 15_000,
              });
              probe.clear();
              await child.profileStop(profile);
              results.profiles.push(summariseProfile(profile));
              await stack.twilio.control.settle();
            }
            if (!skip.has('ceiling') && storage === storages[0]) {
              log(`rate-limit ceiling: ${num('ceiling-count')} messages`);
              results.rateLimit = await measureRateLimitCeiling(
                stack,
                probe,
                chats[0]!,
                num('ceiling-count'),
              );
            }
          });
        } finally {
          await schema?.drop();
        }
      });
    }
  }
  if (!skip.has('memory')) {
    await attempt('memory', async () => {
      const storage = storages[0] ?? 'postgres';
      log(`memory on ${storage}`);
      const schema = storage === 'postgres' ? await freshSchema() : null;
      const env = childEnv(stack, schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' });
      try {
        await withChild('./bridge-process.ts', env, async (child) => {
          const chats: Chat[] = [];
          for (const user of stack.users('m')) chats.push(await chatThroughBridge(stack, user));
          results.memory = await measureMemory(probe, child, chats, {
            storage,
            perRound: num('memory-per-round'),
            rate: num('memory-rate'),
          });
        });
      } finally {
        await schema?.drop();
      }
    });
  }
  if (!skip.has('kb')) {
    for (const storage of storages) {
      await attempt(`kb on ${storage}`, async () => {
        log(`KB search on ${storage}`);
        const dir = generateKb(num('kb-articles'));
        try {
          results.kb.push(
            await measureKbSearch(stack, storage, {
              articles: num('kb-articles'),
              queries: num('kb-queries'),
              dir,
            }),
          );
        } finally {
          removeKb(dir);
        }
      });
    }
  }
  if (!skip.has('cases')) {
    for (const storage of storages) {
      await attempt(`case desk on ${storage}`, async () => {
        log(`case desk on ${storage}: ${num('cases')} cases`);
        results.cases!.push(
          await measureCaseDesk(stack, storage, { cases: num('cases'), rounds: num('case-rounds') }),
        );
      });
    }
  }
} finally {
  probe.close();
  await stack.stop();
}
writeReport(results, String(values.out));
process.exit(results.errors.length ? 1 : 0);
