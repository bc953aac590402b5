import type { Child } from './child.ts';
import { type CpuShare, cpuMeter } from './cpu.ts';
import { type LoadResult, offerLoad } from './load.ts';
import type { RelayProbe } from './probes.ts';
import type { Chat } from './stack.ts';

export interface LatencyRun extends LoadResult {
  subject: string;
  chats: number;
  cpu: CpuShare;
}

/**
 * Relay latency at a steady rate: `count` messages each way at `rate` per second each way, spread
 * over `chats`, through `subject` (the bridge or the baseline, already running).
 */
export async function measureRelayLatency(
  probe: RelayProbe,
  subject: { name: string; child: Child },
  chats: Chat[],
  options: { rate: number; count: number },
): Promise<LatencyRun> {
  const meter = cpuMeter(() => subject.child.cpuSeconds());
  const result = await offerLoad(probe, chats, {
    ratePerSecond: options.rate,
    count: options.count,
    label: `lat-${subject.name}-${options.rate}`,
    drainTimeoutMs: 30_000,
  });
  const cpu = meter();
  probe.clear();
  return { subject: subject.name, chats: chats.length, cpu, ...result };
}
