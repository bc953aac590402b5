import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { RecentMap } from '../util/recent-map.ts';

/**
 * express-rate-limit's counts of failed authentications per address, in bounded memory: at most
 * `maxAddresses` addresses (the least recently seen forgotten first), each a fixed-size counter
 * under its key (an IP address, ≤ 45 characters). The library's own `MemoryStore` keeps every
 * address seen in the last two windows, so a flood from many addresses (a botnet, spoofed
 * `X-Forwarded-For` behind a misconfigured proxy) would grow it without limit.
 *
 * An address forgotten to make room starts again from zero: an attacker with more than
 * `maxAddresses` addresses gets a few more tries per address, never more memory.
 */
export class FailedAuthStore implements Store {
  readonly localKeys = true;
  private readonly counts: RecentMap<string, ClientRateLimitInfo>;
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
    const client = this.counts.get(key);
    return client && client.resetTime!.getTime() > Date.now() ? client : undefined;
  }

  increment(key: string): ClientRateLimitInfo {
    const now = Date.now();
    let client = this.counts.get(key);
    if (!client || client.resetTime!.getTime() <= now) {
      client = { totalHits: 0, resetTime: new Date(now + this.windowMs) };
    }
    client.totalHits += 1;
    this.counts.remember(key, client);
    return client;
  }

  decrement(key: string): void {
    const client = this.counts.get(key);
    if (client && client.totalHits > 0) client.totalHits -= 1;
  }

  resetKey(key: string): void {
    this.counts.forget(key);
  }
}
