import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CaseDeskRun } from './case-desk.ts';
import type { KbRun } from './kb-search.ts';
import { type MemoryRun, mib } from './memory.ts';
import type { ProfileSummary } from './profile.ts';
import type { RateLimitRun } from './rate-limit-ceiling.ts';
import type { LatencyRun } from './relay-latency.ts';
import type { ThroughputRun } from './throughput.ts';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export interface Machine {
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  /** 1/5/15-minute load averages at the start and end: other work on the machine skews figures. */
  loadAtStart: number[];
  loadAtEnd?: number[];
}

export function machine(): Machine {
  return {
    nproc: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  flags: Record<string, unknown>;
  machine: Machine;
  latency: LatencyRun[];
  throughput: ThroughputRun[];
  profiles: ProfileSummary[];
  rateLimit: RateLimitRun | null;
  kb: KbRun[];
  cases?: CaseDeskRun[];
  memory: MemoryRun | null;
  errors: string[];
}

interface Row {
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const verdict = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'yes' : 'NO');

/** The figures as table rows: each bridge figure beside the baseline's, with the target. */
export function rows(results: Results): Row[] {
  const out: Row[] = [];
  for (const run of results.latency.filter((candidate) => candidate.subject !== 'baseline')) {
    const baseline = results.latency.find(
      (candidate) => candidate.subject === 'baseline' && candidate.offeredPerSecond === run.offeredPerSecond,
    );
    // A baseline that did not keep up (the machine saturated) is no yardstick.
    const baselineKeptUp =
      !baseline ||
      Math.min(baseline.memberToTwilio.achievedPerSecond, baseline.agentToMember.achievedPerSecond) >=
        0.9 * baseline.offeredPerSecond;
    for (const [key, label] of [
      ['memberToTwilio', 'member→Twilio'],
      ['agentToMember', 'agent→member'],
    ] as const) {
      const ours = run[key].latencyMs;
      const base = baseline?.[key].latencyMs;
      for (const p of ['p50', 'p95', 'p99'] as const) {
        const ratio = base && base[p] > 0 ? ours[p] / base[p] : null;
        const added = base ? ours[p] - base[p] : null;
        out.push({
          measure: `${label} ${p} @${run.offeredPerSecond}/s each way (${run.subject})`,
          value: `${ms(ours[p])}${added === null ? '' : ` (+${added.toFixed(2)})`}`,
          baseline: base ? ms(base[p]) : '-',
          ratio: ratio === null ? '-' : `${ratio.toFixed(2)}×`,
          target: p === 'p99' ? '≤ 1.5× and < +5 ms' : '',
          // Percentiles of the survivors say nothing when messages were lost: the run was overloaded.
          met:
            p !== 'p99'
              ? ''
              : run[key].lost || baseline?.[key].lost
                ? 'invalid (lost)'
                : !baselineKeptUp
                  ? 'invalid (baseline fell behind)'
                  : verdict(ratio !== null && added !== null ? ratio <= 1.5 && added < 5 : null),
        });
      }
      out.push({
        measure: `${label} lost @${run.offeredPerSecond}/s (${run.subject})`,
        value: `${run[key].lost}/${run[key].sent}`,
        baseline: baseline ? `${baseline[key].lost}/${baseline[key].sent}` : '-',
        ratio: '',
        target: '0',
        met: verdict(run[key].lost === 0),
      });
    }
  }
  const baseTp = results.throughput.find((run) => run.subject === 'baseline');
  for (const run of results.throughput.filter((candidate) => candidate.subject !== 'baseline')) {
    out.push({
      measure: `throughput sustained, each way (${run.subject}, ${run.chats} chats)`,
      value: `${run.sustainedPerSecond}/s (peak ${run.peakAchievedPerSecond}/s)`,
      baseline: baseTp ? `${baseTp.sustainedPerSecond}/s (peak ${baseTp.peakAchievedPerSecond}/s)` : '-',
      ratio: baseTp?.peakAchievedPerSecond
        ? `${(run.peakAchievedPerSecond / baseTp.peakAchievedPerSecond).toFixed(2)}×`
        : '-',
      target: run.subject.includes('postgres') ? '≥ 2,000/s' : '',
      met: run.subject.includes('postgres') ? verdict(run.sustainedPerSecond >= 2000) : '',
    });
    const cost = run.cpuMsPerMessage;
    const baseCost = baseTp?.cpuMsPerMessage;
    if (cost) {
      const total = cost.subject + cost.postgres;
      out.push({
        measure: `CPU per message each way (${run.subject}${cost.postgres ? ' + its Postgres' : ''}) → each-way rate 2 cores would carry`,
        value: `${cost.subject.toFixed(2)}${cost.postgres ? ` + ${cost.postgres.toFixed(2)}` : ''} ms → ${Math.round(2000 / total)}/s`,
        baseline: baseCost
          ? `${baseCost.subject.toFixed(2)} ms → ${Math.round(2000 / baseCost.subject)}/s`
          : '-',
        ratio: baseCost ? `${(total / baseCost.subject).toFixed(2)}×` : '-',
        target: '',
        met: '',
      });
    }
  }
  const rl = results.rateLimit;
  if (rl) {
    out.push({
      measure: `rate-limit ceiling: ${rl.count} agent msgs to one DM`,
      value: `${rl.delivered} delivered, ${rl.inOrder ? 'in order' : 'OUT OF ORDER'}, ${(rl.totalMs / 1000).toFixed(1)} s, ${rl.status429} × 429`,
      baseline: `floor ${(rl.floorMs / 1000).toFixed(0)} s`,
      ratio: `${rl.ratio.toFixed(3)}×`,
      target: 'all, in order, ≤ 1.10×, no avoidable 429',
      met: verdict(rl.delivered === rl.count && rl.inOrder && rl.ratio <= 1.1 && rl.status429 === 0),
    });
  }
  for (const kb of results.kb) {
    out.push({
      measure: `KB search p50/p95 (${kb.storage}, ${kb.articles} articles, ${kb.queries} queries)`,
      value: `${ms(kb.searchMs.p50)} / ${ms(kb.searchMs.p95)}`,
      baseline: '',
      ratio: '',
      target: 'p95 ≤ 10 ms',
      met: verdict(kb.searchMs.p95 <= 10),
    });
    if (kb.searchCpuMs) {
      out.push({
        measure: `KB search CPU time p50/p95 (${kb.storage}; load average ${kb.loadAverage?.join(' → ')})`,
        value: `${ms(kb.searchCpuMs.p50)} / ${ms(kb.searchCpuMs.p95)}`,
        baseline: '',
        ratio: '',
        target: '',
        met: '',
      });
    }
    out.push({
      measure: `KB first load / load at restart / reload unchanged / reload ${kb.changed} changed (${kb.storage})`,
      value: `${kb.firstLoadMs} / ${kb.restartLoadMs} / ${kb.reloadUnchangedMs} / ${kb.reloadChangedMs} ms; bridge start ${kb.startupMs} ms`,
      baseline: '',
      ratio: '',
      target: '',
      met: '',
    });
  }
  out.push(...caseDeskRows(results.cases ?? []));
  const mem = results.memory;
  if (mem) {
    const peak = Math.max(mem.idle.rss, mem.afterFirst.rss, mem.afterSecond.rss);
    const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
    out.push({
      measure: `bridge RSS idle → +${mem.perRound} → +${mem.perRound} msgs (${mem.storage})`,
      value: `${mib(mem.idle.rss)} → ${mib(mem.afterFirst.rss)} → ${mib(mem.afterSecond.rss)} MiB (peak ${megabytes(peak)} MB)`,
      baseline: '',
      ratio: '',
      target: '≤ 150 MB (143 MiB), no growth in round 2',
      met: verdict(peak <= 150e6 && mem.secondRoundGrowthMiB <= 5),
    });
  }
  return out;
}

export function markdownTable(results: Results): string {
  const header = '| measure | bridge | baseline | ratio | target | met |\n|---|---|---|---|---|---|';
  return [
    header,
    ...rows(results).map(
      (row) =>
        `| ${row.measure} | ${row.value} | ${row.baseline} | ${row.ratio} | ${row.target} | ${row.met} |`,
    ),
  ].join('\n');
}

/** Prints the table and writes `results/<name>.json` (and `<name>.md`, the table for the docs). */
export function writeReport(results: Results, name = 'latest'): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const finished: Results = {
    ...results,
    finishedAt: new Date().toISOString(),
    machine: { ...results.machine, loadAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
  };
  const jsonPath = `${RESULTS_DIR}${name}.json`;
  writeFileSync(jsonPath, `${JSON.stringify(finished, null, 2)}\n`);
  const table = markdownTable(finished);
  writeFileSync(`${RESULTS_DIR}${name}.md`, `${table}\n`);
  console.table(rows(finished));
  console.log(`free memory at end: ${Math.round(freemem() / 2 ** 20)} MiB; results in ${jsonPath}`);
  return jsonPath;
}

/** The case desk's rows: list and search p95 through the plugin API, against the 100 ms target. */
export function caseDeskRows(runs: CaseDeskRun[]): Row[] {
  return runs.flatMap((run) => [
    {
      measure: `case list p50/p95 (${run.storage}, ${run.cases} cases, ${run.listMs.count} requests)`,
      value: `${ms(run.listMs.p50)} / ${ms(run.listMs.p95)}; next page ${ms(run.nextPageMs.p50)} / ${ms(run.nextPageMs.p95)}`,
      baseline: '',
      ratio: '',
      target: 'p95 < 100 ms',
      met: verdict(run.listMs.p95 < 100 && run.nextPageMs.p95 < 100),
    },
    {
      measure: `case search p50/p95 (${run.storage}, ${run.cases} cases, ${run.searchMs.count} requests)`,
      value: `${ms(run.searchMs.p50)} / ${ms(run.searchMs.p95)} (seeded in ${(run.seedMs / 1000).toFixed(0)} s)`,
      baseline: '',
      ratio: '',
      target: 'p95 < 100 ms',
      met: verdict(run.searchMs.p95 < 100),
    },
  ]);
}
