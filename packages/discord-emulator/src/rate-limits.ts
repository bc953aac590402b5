import { createHash } from 'node:crypto';

/** At most `limit` requests per `windowMs`, the window starting at the first request. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/**
 * Rate limits of the emulated REST API.
 *
 * @see https://discord.com/developers/docs/topics/rate-limits
 */
export interface RateLimitOptions {
  /** Every bucket (method + route + major parameter) unless `routes` names it. */
  perRoute: RateLimitRule;
  /**
   * Per-route overrides keyed `"<METHOD> <route>"` with the emulator's placeholders, e.g.
   * `"POST /channels/:channel_id/messages"`, `"POST /webhooks/:webhook_id/:webhook_token"`.
   */
  routes: Record<string, RateLimitRule>;
  /** The bot-wide limit across all routes; interaction callbacks and webhooks are exempt. Null: none. */
  global: RateLimitRule | null;
}

/** Named rate-limit settings: `default` is generous so tests run fast; `realistic` is close to Discord. */
export type RateLimitPreset = 'default' | 'realistic';

export const RATE_LIMIT_PRESETS: Record<RateLimitPreset, RateLimitOptions> = {
  default: { perRoute: { limit: 50, windowMs: 1_000 }, routes: {}, global: null },
  realistic: {
    perRoute: { limit: 50, windowMs: 1_000 },
    routes: {
      'POST /channels/:channel_id/messages': { limit: 5, windowMs: 5_000 },
      'PATCH /channels/:channel_id/messages/:message_id': { limit: 5, windowMs: 5_000 },
      'DELETE /channels/:channel_id/messages/:message_id': { limit: 5, windowMs: 1_000 },
      'POST /channels/:channel_id/threads': { limit: 5, windowMs: 5_000 },
      'POST /users/@me/channels': { limit: 10, windowMs: 10_000 },
      'PUT /applications/:application_id/commands': { limit: 5, windowMs: 20_000 },
    },
    global: { limit: 50, windowMs: 1_000 },
  },
};

/** A preset name, or a partial setting merged over the `default` preset. */
export type RateLimitInput = RateLimitPreset | Partial<RateLimitOptions>;

export function resolveRateLimits(input: RateLimitInput | undefined): RateLimitOptions {
  if (input === undefined) return RATE_LIMIT_PRESETS.default;
  if (typeof input === 'string') return RATE_LIMIT_PRESETS[input];
  const base = RATE_LIMIT_PRESETS.default;
  return {
    perRoute: input.perRoute ?? base.perRoute,
    routes: { ...base.routes, ...input.routes },
    global: input.global === undefined ? base.global : input.global,
  };
}

/** The request being counted. */
export interface RateLimitedRequest {
  method: string;
  /** The route with placeholders, e.g. `/channels/:channel_id/messages`. */
  route: string;
  /** The value of the route's major parameter (channel, guild, or webhook id + token), or `global`. */
  majorParameter: string;
  /** Interaction callbacks and interaction webhooks don't count toward the global limit. */
  globalExempt: boolean;
}

/** The outcome of counting a request: its bucket's state, and whether it must be refused. */
export interface RateLimitVerdict {
  headers: Record<string, string>;
  exceeded: { retryAfterMs: number; global: boolean } | null;
}

interface Window {
  remaining: number;
  resetAt: number;
}

/**
 * Fixed-window buckets keyed by method + route + major parameter, as Discord shares one bucket across
 * requests to the same route for the same channel, guild or webhook.
 *
 * @see https://discord.com/developers/docs/topics/rate-limits#per-route
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Window>();
  #global: Window | null = null;

  constructor(private options: RateLimitOptions) {}

  configure(options: RateLimitOptions): void {
    this.options = options;
    this.#buckets.clear();
    this.#global = null;
  }

  /** Counts a request and answers with the headers to send and whether to answer 429. */
  take(request: RateLimitedRequest, now: number = Date.now()): RateLimitVerdict {
    const global = this.options.global;
    if (global && !request.globalExempt) {
      const window = refresh(this.#global, global, now);
      this.#global = window;
      if (window.remaining <= 0) {
        const retryAfterMs = window.resetAt - now;
        return {
          headers: {
            'Retry-After': String(Math.ceil(retryAfterMs / 1000)),
            'X-RateLimit-Global': 'true',
            'X-RateLimit-Scope': 'global',
          },
          exceeded: { retryAfterMs, global: true },
        };
      }
    }

    const rule = this.options.routes[`${request.method} ${request.route}`] ?? this.options.perRoute;
    const bucket = bucketHash(request.method, request.route);
    const key = `${bucket}:${request.majorParameter}`;
    const window = refresh(this.#buckets.get(key), rule, now);
    this.#buckets.set(key, window);
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(rule.limit),
      'X-RateLimit-Remaining': String(Math.max(0, window.remaining - 1)),
      'X-RateLimit-Reset': (window.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': ((window.resetAt - now) / 1000).toFixed(3),
      'X-RateLimit-Bucket': bucket,
    };
    if (window.remaining <= 0) {
      const retryAfterMs = window.resetAt - now;
      headers['X-RateLimit-Remaining'] = '0';
      headers['Retry-After'] = String(Math.ceil(retryAfterMs / 1000));
      headers['X-RateLimit-Scope'] = 'user';
      return { headers, exceeded: { retryAfterMs, global: false } };
    }
    window.remaining -= 1;
    if (global && !request.globalExempt && this.#global) this.#global.remaining -= 1;
    return { headers, exceeded: null };
  }
}

function refresh(window: Window | null | undefined, rule: RateLimitRule, now: number): Window {
  if (!window || now >= window.resetAt) return { remaining: rule.limit, resetAt: now + rule.windowMs };
  return window;
}

/** An opaque bucket id per method + route, shaped like Discord's (32 hex digits). */
export function bucketHash(method: string, route: string): string {
  return createHash('sha256').update(`${method} ${route}`).digest('hex').slice(0, 32);
}

/**
 * The body of a 429 answer.
 *
 * @see https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit-rate-limit-response-structure
 */
export function rateLimitedBody(retryAfterMs: number, global: boolean, code?: number) {
  return {
    message: 'You are being rate limited.',
    retry_after: Math.round(retryAfterMs) / 1000,
    global,
    ...(code === undefined ? {} : { code }),
  };
}
