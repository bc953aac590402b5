import type { Child } from './child.ts';
import { type CpuShare, cpuMeter } from './cpu.ts';
import { type LoadResult, offerLoad } from './load.ts';
import type { RelayProbe } from './probes.ts';
import type { Chat } from './stack.ts';

export interface ThroughputStep extends LoadResult {
  cpu: CpuShare;
  /** Why this step ended the ramp, or null when it held. */
  broke: string | null;
}

export interface ThroughputRun {
  subject: string;
  chats: number;
  steps: ThroughputStep[];
  /** The highest offered rate (each way) that held: all delivered, p99 under the bound, ≥ 90 % achieved. */
  sustainedPerSecond: number;
  /** The best delivered rate seen in either direction's weaker side, over all steps. */
  peakAchievedPerSecond: number;
  /**
   * CPU milliseconds the subject (and, for a bridge on the Postgres server, Postgres) spent per
   * message relayed each way (one member message in and one agent message out), over the steps
   * that held (or the first step if none did): what one instance costs, whatever the load generator manages.
   */
  cpuMsPerMessage: { subject: number; postgres: number } | null;
}

/**
 * Ramps the offered load each way (doubling from `startRate`) over many chats until latency or
 * losses break: a step breaks when something is not delivered within the drain time, p99 exceeds
 * `p99LimitMs`, or less than 90 % of the offered rate is achieved.
 */
export async function measureThroughput(
  probe: RelayProbe,
  subject: { name: string; child: Child },
  chats: Chat[],
  options: { startRate: number; maxRate: number; stepSeconds: number; p99LimitMs: number },
): Promise<ThroughputRun> {
  const steps: ThroughputStep[] = [];
  let sustained = 0;
  let peak = 0;
  for (let rate = options.startRate; rate <= options.maxRate; rate *= 2) {
    const meter = cpuMeter(() => subject.child.cpuSeconds());
    const result = await offerLoad(probe, chats, {
      ratePerSecond: rate,
      count: Math.round(rate * options.stepSeconds),
      label: `tp-${subject.name}-${rate}`,
      drainTimeoutMs: 15_000,
    });
    const cpu = meter();
    probe.clear();
    const directions = [result.memberToTwilio, result.agentToMember];
    const lost = directions.reduce((sum, direction) => sum + direction.lost, 0);
    const worstP99 = Math.max(...directions.map((direction) => direction.latencyMs.p99));
    const weakest = Math.min(...directions.map((direction) => direction.achievedPerSecond));
    peak = Math.max(peak, weakest);
    const broke =
      lost > 0
        ? `${lost} not delivered within 15 s of the last send`
        : worstP99 > options.p99LimitMs
          ? `p99 ${Math.round(worstP99)} ms > ${options.p99LimitMs} ms`
          : weakest < rate * 0.9
            ? `achieved ${weakest}/s < 90 % of ${rate}/s`
            : null;
    steps.push({ ...result, cpu, broke });
    if (broke) break;
    sustained = rate;
  }
  return {
    subject: subject.name,
    chats: chats.length,
    steps,
    sustainedPerSecond: sustained,
    peakAchievedPerSecond: peak,
    cpuMsPerMessage: cpuPerMessage(steps),
  };
}

function cpuPerMessage(steps: ThroughputStep[]): ThroughputRun['cpuMsPerMessage'] {
  const held = steps.filter((step) => !step.broke);
  const basis = held.length ? held : steps.slice(0, 1);
  let subjectSeconds = 0;
  let postgresSeconds = 0;
  let messages = 0;
  for (const step of basis) {
    const seconds = step.wallMs / 1000;
    subjectSeconds += step.cpu.subject * seconds;
    postgresSeconds += step.cpu.postgres * seconds;
    messages += Math.min(step.memberToTwilio.delivered, step.agentToMember.delivered);
  }
  if (!messages) return null;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    subject: round((subjectSeconds * 1000) / messages),
    postgres: round((postgresSeconds * 1000) / messages),
  };
}
