import { AGENT_PREFIX, agentText, type RelayProbe } from './probes.ts';
import { type BenchStack, type Chat, NO_RATE_LIMITS } from './stack.ts';
import { sleep } from './stats.ts';

export interface RateLimitRun {
  count: number;
  delivered: number;
  inOrder: boolean;
  /** First webhook in → last message created. */
  totalMs: number;
  /** What a 5-per-5-s fixed window allows for `count` posts in one channel. */
  floorMs: number;
  ratio: number;
  /** 429s Discord answered on the DM channel's message route during the run. */
  status429: number;
  posts: number;
}

/**
 * `count` agent messages to one member at once under Discord's per-channel message limit
 * (the emulator's `realistic` preset: 5 per 5 s per channel, 50/s global, from headers): all
 * must arrive, in order, close to what the limit allows, without avoidable 429s.
 */
export async function measureRateLimitCeiling(
  stack: BenchStack,
  probe: RelayProbe,
  chat: Chat,
  count: number,
): Promise<RateLimitRun> {
  const { discord } = stack;
  const window = { limit: 5, windowMs: 5_000 };
  // Let earlier traffic's buckets expire, then switch to Discord's real limits.
  await sleep(1_000);
  discord.control.setRateLimits('realistic');
  const since = Date.now();
  const texts = Array.from({ length: count }, (_, i) => `${AGENT_PREFIX}ceiling|${i}`);
  for (const text of texts) probe.sendAgent(chat.conversationSid, text);
  const floorMs = Math.floor((count - 1) / window.limit) * window.windowMs;
  const deadline = Date.now() + floorMs * 1.5 + 60_000;
  while (probe.delivered(texts, 'agent') < count && Date.now() < deadline) await sleep(100);
  const ins = texts
    .map((text) => probe.agentIn.get(text))
    .filter((value): value is number => value !== undefined);
  const outs = texts
    .map((text) => probe.agentOut.get(text))
    .filter((value): value is number => value !== undefined);
  const totalMs = outs.length && ins.length ? Math.max(...outs) - Math.min(...ins) : 0;
  const dm = discord.control
    .dmMessages(chat.user)
    .map((message) => agentText(message.content))
    .filter((content) => content.startsWith(`${AGENT_PREFIX}ceiling|`));
  const counted = discord.control
    .requests({ method: 'POST' })
    .filter((entry) => entry.at >= since && /^\/channels\/\d+\/messages$/.test(entry.path));
  discord.control.setRateLimits(NO_RATE_LIMITS);
  probe.clear();
  return {
    count,
    delivered: outs.length,
    inOrder: dm.length === count && dm.every((content, i) => content === texts[i]),
    totalMs: Math.round(totalMs),
    floorMs,
    ratio: floorMs ? Math.round((totalMs / floorMs) * 1000) / 1000 : 0,
    status429: counted.filter((entry) => entry.status === 429).length,
    posts: counted.length,
  };
}
