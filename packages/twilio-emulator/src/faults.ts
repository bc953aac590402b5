import type { RequestHandler } from 'express';
import { sendTwilioError, TwilioApiError, tooManyRequests } from './errors.ts';
import { sleep } from './webhooks.ts';

/**
 * Fault injection for the REST APIs: answer matching requests with 429 (code 20429, `Retry-After`),
 * a 5xx, or delay them — for the next N matches or a fraction of them, with seedable randomness so
 * a flaky run can be replayed.
 */
export interface FaultRule {
  /**
   * Which requests: `'METHOD /path'` or `'/path'`, where `*` matches one path segment and `**` any
   * rest (`'POST /conversations/v1/Conversations/*\/Messages'`), or a RegExp tested on `'METHOD /path'`.
   */
  match: string | RegExp;
  /** HTTP status to answer with (429 or a 5xx); omit for a delay-only rule. */
  status?: number;
  /** Twilio error code (default: 20429 for 429, 20500 otherwise). */
  code?: number;
  /** `Retry-After` seconds on a 429 (default 1). */
  retryAfterSeconds?: number;
  /** Delay before answering (or before passing the request on, for a delay-only rule). */
  delayMs?: number;
  /**
   * Cut the connection instead of answering (after `delayMs`): the client sees a network error
   * (a reset socket, "socket hang up"), as when Twilio's edge drops a request.
   */
  reset?: boolean;
  /** Apply to this many matching requests, then retire (default: unlimited). */
  times?: number;
  /** Apply to this fraction (0–1) of matching requests (default 1). */
  probability?: number;
}

export interface FaultOptions {
  rules?: FaultRule[];
  /** Seed of the randomness behind `probability` (default: fixed). */
  seed?: number;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  pattern: RegExp;
  remaining: number;
  hits: number;
}

export interface FaultSummary {
  id: number;
  match: string;
  status: number | null;
  delayMs: number;
  reset: boolean;
  remaining: number | null;
  probability: number;
  hits: number;
}

export class FaultInjector {
  readonly #rules: ActiveRule[] = [];
  #nextId = 1;
  #random: () => number;

  constructor(options: FaultOptions = {}) {
    this.#random = mulberry32(options.seed ?? 0x5eed);
    for (const rule of options.rules ?? []) this.add(rule);
  }

  /** Adds a rule; returns its id. */
  add(rule: FaultRule): number {
    const id = this.#nextId++;
    this.#rules.push({ id, rule, pattern: compile(rule.match), remaining: rule.times ?? Infinity, hits: 0 });
    return id;
  }

  remove(id: number): boolean {
    const index = this.#rules.findIndex((r) => r.id === id);
    if (index < 0) return false;
    this.#rules.splice(index, 1);
    return true;
  }

  clear(): void {
    this.#rules.splice(0, this.#rules.length);
  }

  reseed(seed: number): void {
    this.#random = mulberry32(seed);
  }

  list(): FaultSummary[] {
    return this.#rules.map(({ id, rule, remaining, hits }) => ({
      id,
      match: String(rule.match),
      status: rule.status ?? null,
      delayMs: rule.delayMs ?? 0,
      reset: rule.reset ?? false,
      remaining: Number.isFinite(remaining) ? remaining : null,
      probability: rule.probability ?? 1,
      hits,
    }));
  }

  /** The rule that applies to this request, consuming one of its `times`. */
  pick(method: string, path: string): FaultRule | undefined {
    const subject = `${method.toUpperCase()} ${path}`;
    for (const active of this.#rules) {
      if (active.remaining <= 0 || !active.pattern.test(subject)) continue;
      if (active.rule.probability !== undefined && this.#random() >= active.rule.probability) continue;
      active.remaining -= 1;
      active.hits += 1;
      if (active.remaining <= 0) this.remove(active.id);
      return active.rule;
    }
    return undefined;
  }

  middleware(): RequestHandler {
    return async (req, res, next) => {
      const rule = this.pick(req.method, req.originalUrl.split('?')[0] ?? req.path);
      if (!rule) {
        next();
        return;
      }
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.reset) {
        req.socket.destroy();
        return;
      }
      if (rule.status === undefined) {
        next();
        return;
      }
      const error =
        rule.status === 429
          ? tooManyRequests(rule.retryAfterSeconds ?? 1)
          : new TwilioApiError(rule.status, rule.code ?? 20500, 'Injected fault');
      if (rule.status === 429 && rule.code !== undefined) {
        sendTwilioError(
          res,
          new TwilioApiError(429, rule.code, 'Too Many Requests', { headers: error.headers }),
        );
        return;
      }
      sendTwilioError(res, error);
    };
  }
}

function compile(match: string | RegExp): RegExp {
  if (match instanceof RegExp) return match;
  const trimmed = match.trim();
  const space = trimmed.indexOf(' ');
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : '[A-Z]+';
  const path = space > 0 ? trimmed.slice(space + 1).trim() : trimmed;
  const body = path
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${method} ${body}$`);
}

/** A small seedable PRNG (mulberry32): same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
