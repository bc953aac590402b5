import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';

/**
 * express-rate-limit's counts of failed authentications per address, in bounded memory: at most
 * `maxAddresses` addresses (the least recently seen forgotten first), each one number (its count
 * and the second its window ends) under its key (an IP address, ≤ 45 characters): ~150 bytes an
 * address, half what an object with a `Date` costs. The library's own `MemoryStore` keeps every
 * address seen in the last two windows, so a flood from many addresses (a botnet, spoofed
 * `X-Forwarded-For` behind a misconfigured proxy) would grow it without limit.
 *
 * An address forgotten to make room starts again from zero: an attacker with more than
 * `maxAddresses` addresses gets a few more tries per address, never more memory.
 */
/** Counts stored beside the window's end: `endSecond * HITS_SPAN + hits`, exact below 2^53. */
const HITS_SPAN = 1_000_000;

export class FailedAuthStore implements Store {
  readonly localKeys = true;
  private readonly counts: RecentMap<string, number>;
  private windowMs = 60_000;

  constructor(readonly maxAddresses = 50_000) {
    this.counts = new RecentMap(maxAddresses);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** Addresses counted now (at most {@link maxAddresses}). */
  get size(): number {
    return this.counts.size;
  }

  get(key: string): ClientRateLimitInfo | undefined {
    const count = this.current(key, Date.now());
    return count === undefined ? undefined : info(count);
  }

  increment(key: string): ClientRateLimitInfo {
    const now = Date.now();
    // A new window ends on a whole second, at or after `now + windowMs`.
    const counted = this.current(key, now) ?? Math.ceil((now + this.windowMs) / 1000) * HITS_SPAN;
    const count = counted % HITS_SPAN < HITS_SPAN - 1 ? counted + 1 : counted;
    this.counts.remember(key, count);
    return info(count);
  }

  decrement(key: string): void {
    const count = this.current(key, Date.now());
    if (count !== undefined && count % HITS_SPAN > 0) this.counts.remember(key, count - 1);
  }

  resetKey(key: string): void {
    this.counts.forget(key);
  }

  /** The address's count in a window that has not ended, if any. */
  private current(key: string, now: number): number | undefined {
    const count = this.counts.get(key);
    return count !== undefined && Math.floor(count / HITS_SPAN) * 1000 > now ? count : undefined;
  }
}

function info(count: number): ClientRateLimitInfo {
  return { totalHits: count % HITS_SPAN, resetTime: new Date(Math.floor(count / HITS_SPAN) * 1000) };
}
