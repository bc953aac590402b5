/**
 * `npm run bench:cpu`: CPU per relayed message, the bridge (plus its Postgres backends) against the
 * bare forwarder, in alternating rounds on the same emulators, so that other work on a shared
 * machine falls on both alike. Reports each subject's median and spread and the ratio of the
 * medians, with the load average at start and end. Flags: {@link USAGE}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Child, spawnChild } from './child.ts';
import { postgresCpuSeconds, processCpuSeconds } from './cpu.ts';
import { offerLoad } from './load.ts';
import { benchBackendPids, freshSchema } from './postgres.ts';
import { RelayProbe } from './probes.ts';
import { type ProfileSummary, summariseProfile } from './profile.ts';

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

import { RESULTS_DIR } from './report.ts';
import { type Chat, chatForBaseline, chatThroughBridge, startBenchStack } from './stack.ts';

const USAGE = `\`npm run bench:cpu\`: CPU per message, bridge (Postgres) against the bare forwarder, alternating. Flags (defaults):

  --rounds 3          rounds per subject (each round: a fresh process, a warm-up, one measured window)
  --rate 30           messages/s each way in the measured window (low enough that the load generator
                      keeps up on a busy 2-core machine: a message it cannot send is no measure)
  --seconds 20        length of the measured window
  --members 16        chats per subject
  --ways both         both | member | agent: which way the load goes
  --profile           after the last round's window, a CPU profile of each subject, one per direction
                      (results/cpu-<subject>-<way>.cpuprofile), left out of the CPU figures
  --compare <dir>     also a second build of the bridge (e.g. \`dist-before\`: the code before a change,
                      built with \`node ../apps/bridge/scripts/build.mjs --entry src/bridge-process.ts --outdir <dir>\`),
                      as subject "bridge-<dir>" in the same alternation, on the same database and chats
  --discord-global-limit 100000   discord.js's client-side global limit (0: keep Discord's 50/s)
  --out cpu-ratio     results/<out>.json and results/<out>.md
  -h, --help`;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '20' },
    members: { type: 'string', default: '16' },
    ways: { type: 'string', default: 'both' },
    profile: { type: 'boolean', default: false },
    compare: { type: 'string' },
    'discord-global-limit': { type: 'string', default: '100000' },
    out: { type: 'string', default: 'cpu-ratio' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const rounds = Math.max(1, Number(values.rounds));
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const ways = values.ways as 'both' | 'member' | 'agent';
if (!['both', 'member', 'agent'].includes(ways))
  throw new Error(`--ways: both, member or agent, not ${ways}`);
const globalLimit = Number(values['discord-global-limit']);

const load = () => loadavg().map((value) => Math.round(value * 100) / 100);
const log = (message: string) => console.log(`[cpu ${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Round {
  round: number;
  subject: string;
  /** Messages relayed (per way when both: the weaker way's count). */
  messages: number;
  lost: number;
  /** CPU ms per message (each way when both) of the subject process. */
  subjectMs: number;
  /** Of the Postgres backends connected to the benchmark's database (the subject's own). */
  postgresMs: number;
  /** Of every Postgres process on the machine (other work on a shared server included). */
  machinePostgresMs: number;
  wallMs: number;
  /** The subject's RSS and live heap after a full GC, once the window's messages are relayed. */
  rssMiB: number;
  heapUsedMiB: number;
}

const startedAt = new Date().toISOString();
const loadAtStart = load();
log(`load average at start: ${loadAtStart.join(', ')}`);
const stack = await startBenchStack(Number(values.members), ['x', 'p']);
const probe = new RelayProbe(stack);
const schema = await freshSchema();
const env = (extra: Record<string, string>) => ({
  ...stack.env,
  ...(globalLimit ? { BENCH_DISCORD_GLOBAL_LIMIT: String(globalLimit) } : {}),
  ...extra,
});
interface Subject {
  script: string;
  dist: string;
  env: Record<string, string>;
  chats: Chat[];
}
const subjects: Record<string, Subject> = {
  baseline: { script: './baseline-forwarder.ts', dist: 'dist', env: {}, chats: [] },
  bridge: { script: './bridge-process.ts', dist: 'dist', env: env({ DATABASE_URL: schema.url }), chats: [] },
};
if (values.compare) subjects[`bridge-${values.compare}`] = { ...subjects.bridge!, dist: values.compare };
const results: Round[] = [];
/** The bridge's memory after start-up, before any chat (after a full GC). */
let idle: { rss: number; heapUsed: number } | null = null;
const profiles: (ProfileSummary & { subject: string; way: string })[] = [];

async function measureRound(round: number, name: string, child: Child): Promise<void> {
  const { chats } = subjects[name]!;
  await offerLoad(probe, chats, {
    ratePerSecond: 50,
    count: 150,
    label: `warm-${name}-${round}`,
    drainTimeoutMs: 15_000,
    ways,
  });
  probe.clear();
  await quiet(child);
  const pids = await benchBackendPids();
  const pg0 = processCpuSeconds(pids);
  const machine0 = postgresCpuSeconds();
  const subject0 = child.cpuSeconds();
  const result = await offerLoad(probe, chats, {
    ratePerSecond: rate,
    count: Math.round(rate * seconds),
    label: `cpu-${name}-${round}`,
    // Long enough for a subject the machine starves to finish: CPU is divided by what it relayed.
    drainTimeoutMs: 90_000,
    ways,
  });
  const subject1 = child.cpuSeconds();
  const memory = await child.memory();
  const machine1 = postgresCpuSeconds();
  const pg1 = processCpuSeconds(new Set([...pids, ...(await benchBackendPids())]));
  probe.clear();
  let postgres = 0;
  for (const [pid, cpu] of pg1) postgres += cpu - (pg0.get(pid) ?? 0);
  const directions =
    ways === 'both'
      ? [result.memberToTwilio, result.agentToMember]
      : [ways === 'member' ? result.memberToTwilio : result.agentToMember];
  const messages = Math.min(...directions.map((direction) => direction.delivered));
  const lost = directions.reduce((sum, direction) => sum + direction.lost, 0);
  const per = (cpuSeconds: number) => Math.round(((cpuSeconds * 1000) / Math.max(1, messages)) * 1000) / 1000;
  const row: Round = {
    round,
    subject: name,
    messages,
    lost,
    subjectMs: per(subject1 - subject0),
    postgresMs: per(postgres),
    machinePostgresMs: per(machine1 - machine0),
    wallMs: Math.round(result.wallMs),
    rssMiB: mib(memory.rss),
    heapUsedMiB: mib(memory.heapUsed),
  };
  results.push(row);
  log(
    `round ${round} ${name}: ${messages} msgs, ${lost} lost, ${row.subjectMs} + ${row.postgresMs} ms/msg ` +
      `(every postgres process: ${row.machinePostgresMs}); load ${load().join(', ')}`,
  );
}

/**
 * Waits (up to 30 s) until the subject has gone a second using under 5 % of a core: what a fresh
 * process still does after its warm-up (the KB index, catching up on what it missed) is start-up,
 * not relaying.
 */
async function quiet(child: Child): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const before = child.cpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (child.cpuSeconds() - before < 0.05) return;
  }
  log('the subject did not go quiet within 30 s: measuring anyway');
}

async function profileSubject(name: string, child: Child): Promise<void> {
  for (const way of ['member', 'agent'] as const) {
    const file = join(RESULTS_DIR, `cpu-${name}-${way}.cpuprofile`);
    child.profileStart();
    await offerLoad(probe, subjects[name]!.chats, {
      ratePerSecond: rate,
      count: Math.round(rate * seconds),
      label: `profile-${name}-${way}`,
      drainTimeoutMs: 15_000,
      ways: way,
    });
    probe.clear();
    await child.profileStop(file);
    profiles.push({ ...summariseProfile(file, 40), subject: name, way });
    log(`profile ${name} ${way}: ${file}`);
  }
}

try {
  const { baseline: forwarder, bridge: ours } = subjects as { baseline: Subject; bridge: Subject };
  for (const user of stack.users('x')) forwarder.chats.push(await chatForBaseline(stack, user));
  forwarder.env = env({ BASELINE_CHATS: JSON.stringify(forwarder.chats) });
  {
    const child = await spawnChild(ours.script, ours.env);
    try {
      // The same chats for every build of the bridge (they share the database).
      idle = await child.memory();
      for (const user of stack.users('p')) ours.chats.push(await chatThroughBridge(stack, user));
    } finally {
      await child.stop();
    }
  }
  for (let round = 1; round <= rounds; round++) {
    // The order turns each round, so a drift in the machine's load falls on every subject alike.
    const names = Object.keys(subjects);
    const order = names.map((_, i) => names[(i + round - 1) % names.length]!);
    for (const name of order) {
      const subject = subjects[name]!;
      const child = await spawnChild(subject.script, subject.env, subject.dist);
      try {
        await measureRound(round, name, child);
        if (values.profile && round === rounds) await profileSubject(name, child);
        await stack.twilio.control.settle();
      } finally {
        await child.stop();
      }
    }
  }
} finally {
  probe.close();
  await stack.stop();
  await schema.drop();
}

const loadAtEnd = load();
log(`load average at end: ${loadAtEnd.join(', ')}`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round3 = (value: number) => Math.round(value * 1000) / 1000;
const summary = (name: string) => {
  const mine = results.filter((row) => row.subject === name);
  const totals = mine.map((row) => row.subjectMs + row.postgresMs);
  return {
    subject: name,
    rounds: mine.length,
    lost: mine.reduce((sum, row) => sum + row.lost, 0),
    subjectMs: {
      median: round3(median(mine.map((row) => row.subjectMs))),
      min: Math.min(...mine.map((row) => row.subjectMs)),
      max: Math.max(...mine.map((row) => row.subjectMs)),
    },
    postgresMs: {
      median: round3(median(mine.map((row) => row.postgresMs))),
      min: Math.min(...mine.map((row) => row.postgresMs)),
      max: Math.max(...mine.map((row) => row.postgresMs)),
    },
    totalMs: {
      median: round3(median(totals)),
      min: round3(Math.min(...totals)),
      max: round3(Math.max(...totals)),
    },
  };
};
const summaries = Object.keys(subjects).map(summary);
const bridge = summaries.find((entry) => entry.subject === 'bridge')!;
const baseline = summaries.find((entry) => entry.subject === 'baseline')!;
const compared = summaries.filter((entry) => entry.subject.startsWith('bridge-'));
const ratio = round3(bridge.totalMs.median / baseline.totalMs.median);
const report = {
  startedAt,
  finishedAt: new Date().toISOString(),
  flags: values,
  loadAtStart,
  loadAtEnd,
  idle: idle ? { rssMiB: mib(idle.rss), heapUsedMiB: mib(idle.heapUsed) } : null,
  rounds: results,
  summaries,
  ratio,
  bridgeOwnRatio: round3(bridge.subjectMs.median / baseline.totalMs.median),
  profiles,
};
const spread = (s: { median: number; min: number; max: number }) => `${s.median} (${s.min}–${s.max})`;
const md = [
  `CPU per message ${ways === 'both' ? 'each way' : ways === 'member' ? 'member → Twilio' : 'agent → member'} at ${rate}/s, ${rounds} alternating rounds of ${seconds} s; load average ${loadAtStart.join(', ')} → ${loadAtEnd.join(', ')} (${startedAt.slice(0, 16)} UTC)`,
  '',
  '| round | subject | messages | lost | subject ms/msg | its Postgres ms/msg | every Postgres process ms/msg | RSS / heap after (MiB) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (row) =>
      `| ${row.round} | ${row.subject} | ${row.messages} | ${row.lost} | ${row.subjectMs} | ${row.postgresMs} | ${row.machinePostgresMs} | ${row.rssMiB} / ${row.heapUsedMiB} |`,
  ),
  '',
  idle
    ? `Bridge idle after start-up (full GC): RSS ${mib(idle.rss)} MiB, heap ${mib(idle.heapUsed)} MiB.`
    : '',
  '',
  '| | process, median (min–max) | its Postgres | total |',
  '| --- | --- | --- | --- |',
  ...summaries.map(
    (entry) =>
      `| ${entry.subject} | ${spread(entry.subjectMs)} | ${spread(entry.postgresMs)} | ${spread(entry.totalMs)} |`,
  ),
  `| bridge ÷ baseline, ratio of the medians | | | **${ratio}×** (bridge process alone: ${report.bridgeOwnRatio}×) |`,
  ...compared.map(
    (entry) =>
      `| ${entry.subject} ÷ baseline | | | ${round3(entry.totalMs.median / baseline.totalMs.median)}× (process alone: ${round3(entry.subjectMs.median / baseline.totalMs.median)}×) |`,
  ),
  '',
].join('\n');
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, `${values.out}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, `${values.out}.md`), md);
console.log(md);
for (const profile of profiles) {
  console.log(`\n${profile.subject} ${profile.way}: ${profile.totalMs} ms sampled`);
  for (const area of profile.byArea.slice(0, 15))
    console.log(`  ${area.area}: ${area.selfMs} ms (${(area.share * 100).toFixed(1)} %)`);
}
process.exit(results.some((row) => row.lost) ? 1 : 0);
