import type { Child, MemoryReading } from './child.ts';
import { offerLoad } from './load.ts';
import type { RelayProbe } from './probes.ts';
import type { Chat } from './stack.ts';
import { sleep } from './stats.ts';

export interface MemoryRun {
  storage: string;
  perRound: number;
  rate: number;
  idle: MemoryReading;
  afterFirst: MemoryReading;
  afterSecond: MemoryReading;
  /** RSS growth over the second round, in MiB. */
  secondRoundGrowthMiB: number;
  lost: number;
}

export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * The bridge's memory (after a full GC) idle, after `perRound` relayed messages (half each way,
 * at `rate` per second each way), and after as many again: a leak shows as growth in round two.
 */
export async function measureMemory(
  probe: RelayProbe,
  bridge: Child,
  chats: Chat[],
  options: { storage: string; perRound: number; rate: number },
): Promise<MemoryRun> {
  await sleep(3_000);
  const idle = await bridge.memory();
  let lost = 0;
  const round = async (label: string) => {
    const result = await offerLoad(probe, chats, {
      ratePerSecond: options.rate,
      count: Math.round(options.perRound / 2),
      label,
      drainTimeoutMs: 60_000,
    });
    lost += result.memberToTwilio.lost + result.agentToMember.lost;
    probe.clear();
    await sleep(2_000);
    return bridge.memory();
  };
  const afterFirst = await round('mem1');
  const afterSecond = await round('mem2');
  return {
    storage: options.storage,
    perRound: options.perRound,
    rate: options.rate,
    idle,
    afterFirst,
    afterSecond,
    secondRoundGrowthMiB: mib(afterSecond.rss - afterFirst.rss),
    lost,
  };
}
