import { AGENT_PREFIX, MEMBER_PREFIX, type RelayProbe } from './probes.ts';
import type { Chat } from './stack.ts';
import { type Percentiles, percentiles, sleep } from './stats.ts';

/** One direction of a load run: what was sent, what arrived, how fast, how late. */
export interface DirectionResult {
  sent: number;
  delivered: number;
  lost: number;
  /** Delivered messages per second, first "in" to last "out". */
  achievedPerSecond: number;
  latencyMs: Percentiles;
}

export interface LoadResult {
  offeredPerSecond: number;
  memberToTwilio: DirectionResult;
  agentToMember: DirectionResult;
  wallMs: number;
}

/**
 * Offers `count` messages each way at `ratePerSecond` each way (round-robin over `chats`), then
 * waits up to `drainTimeoutMs` after the last send for them to arrive.
 */
export async function offerLoad(
  probe: RelayProbe,
  chats: Chat[],
  options: {
    ratePerSecond: number;
    count: number;
    label: string;
    drainTimeoutMs: number;
    /** Which way to send (both unless told): one way alone, to profile each direction apart. */
    ways?: 'both' | 'member' | 'agent';
  },
): Promise<LoadResult> {
  const ways = options.ways ?? 'both';
  const sendMember = ways !== 'agent';
  const sendAgent = ways !== 'member';
  const { ratePerSecond, count, label } = options;
  const memberTexts: string[] = [];
  const agentTexts: string[] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * ratePerSecond) / 1000) + 1);
    for (; sent < due; sent++) {
      const chat = chats[sent % chats.length]!;
      const member = `${MEMBER_PREFIX}${label}|${sent}`;
      const agent = `${AGENT_PREFIX}${label}|${sent}`;
      if (sendMember) {
        probe.sendMember(chat.user, member);
        memberTexts.push(member);
      }
      if (sendAgent) {
        probe.sendAgent(chat.conversationSid, agent);
        agentTexts.push(agent);
      }
    }
    await sleep(1);
  }
  const deadline = performance.now() + options.drainTimeoutMs;
  while (
    performance.now() < deadline &&
    (probe.delivered(memberTexts, 'member') < memberTexts.length ||
      probe.delivered(agentTexts, 'agent') < agentTexts.length)
  ) {
    await sleep(25);
  }
  const wallMs = performance.now() - started;
  return {
    offeredPerSecond: ratePerSecond,
    memberToTwilio: direction(probe, memberTexts, 'member'),
    agentToMember: direction(probe, agentTexts, 'agent'),
    wallMs,
  };
}

function direction(probe: RelayProbe, texts: string[], which: 'member' | 'agent'): DirectionResult {
  const { samples, lost } = probe.latencies(texts, which);
  const inMap = which === 'member' ? probe.memberIn : probe.agentIn;
  const outMap = which === 'member' ? probe.memberOut : probe.agentOut;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const text of texts) {
    const start = inMap.get(text);
    const end = outMap.get(text);
    if (start !== undefined) first = Math.min(first, start);
    if (end !== undefined) last = Math.max(last, end);
  }
  const delivered = samples.length;
  const seconds = (last - first) / 1000;
  return {
    sent: texts.length,
    delivered,
    lost,
    achievedPerSecond: seconds > 0 ? Math.round(delivered / seconds) : 0,
    latencyMs: percentiles(samples),
  };
}
