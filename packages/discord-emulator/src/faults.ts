/**
 * A fault to inject into REST answers: the next `times` requests matching `method` + `path` are delayed
 * and/or answered with `status` instead of being handled.
 */
export interface FaultRule {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /**
   * Path under `/api/v10` to match: `*` or `:name` stand for one segment, a trailing `**` for the rest;
   * e.g. `/channels/:id/messages`, `/webhooks/**`.
   */
  path: string;
  /** How many matching requests to affect (default 1; `Infinity` for all until cleared). */
  times?: number;
  /** Answer with this status instead of handling the request (e.g. 500, 502, 429). */
  status?: number;
  /** The JSON error `code` of the answer (default 0). */
  code?: number;
  /** The JSON error `message` (default per status). */
  message?: string;
  /** For 429: seconds to wait, as `retry_after` and the rate-limit headers say (default 1). */
  retryAfter?: number;
  /** For 429: a global rate limit rather than the route's bucket. */
  global?: boolean;
  /** Wait this long before answering (handled normally unless `status` is given too). */
  delayMs?: number;
}

/** Random failures: `percent` of the matching requests answered with `status` (seeded, so repeatable). */
export interface RandomFaultOptions {
  percent: number;
  seed?: number;
  status?: number;
  code?: number;
  retryAfter?: number;
  method?: string;
  path?: string;
}

/** An injected rule with its id and what is left of it. */
export interface ActiveFault extends FaultRule {
  id: string;
  remaining: number;
}

/** What to do with one request. */
export interface FaultDecision {
  delayMs: number;
  answer: {
    status: number;
    code: number;
    message: string | undefined;
    retryAfter: number;
    global: boolean;
  } | null;
}

/** Injected REST faults, consulted for every request before it is handled. */
export class Faults {
  readonly #rules: ActiveFault[] = [];
  #random: (RandomFaultOptions & { next: () => number }) | null = null;
  #ids = 0;

  inject(rule: FaultRule): ActiveFault {
    const active: ActiveFault = { ...rule, id: `fault-${++this.#ids}`, remaining: rule.times ?? 1 };
    this.#rules.push(active);
    return active;
  }

  /** Turns random faults on (or off with null). */
  random(options: RandomFaultOptions | null): void {
    this.#random = options ? { ...options, next: mulberry32(options.seed ?? 1) } : null;
  }

  remove(id: string): boolean {
    const index = this.#rules.findIndex((rule) => rule.id === id);
    if (index >= 0) this.#rules.splice(index, 1);
    return index >= 0;
  }

  clear(): void {
    this.#rules.length = 0;
    this.#random = null;
  }

  list(): ActiveFault[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  decide(method: string, path: string): FaultDecision {
    let delayMs = 0;
    for (const rule of [...this.#rules]) {
      if (!matches(rule.method, rule.path, method, path)) continue;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.remove(rule.id);
      delayMs += rule.delayMs ?? 0;
      if (rule.status !== undefined) {
        return {
          delayMs,
          answer: {
            status: rule.status,
            code: rule.code ?? 0,
            message: rule.message,
            retryAfter: rule.retryAfter ?? 1,
            global: rule.global ?? false,
          },
        };
      }
    }
    const random = this.#random;
    if (
      random &&
      matches(random.method, random.path ?? '/**', method, path) &&
      random.next() * 100 < random.percent
    ) {
      return {
        delayMs,
        answer: {
          status: random.status ?? 500,
          code: random.code ?? 0,
          message: undefined,
          retryAfter: random.retryAfter ?? 1,
          global: false,
        },
      };
    }
    return { delayMs, answer: null };
  }
}

/** Whether a request matches a rule's method and path pattern. */
export function matches(
  ruleMethod: string | undefined,
  pattern: string,
  method: string,
  path: string,
): boolean {
  if (ruleMethod && ruleMethod !== '*' && ruleMethod.toUpperCase() !== method.toUpperCase()) return false;
  const want = pattern.split('?')[0]!.split('/').filter(Boolean);
  const have = path.split('?')[0]!.split('/').filter(Boolean);
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i]!;
    if (segment === '**') return true;
    const actual = have[i];
    if (actual === undefined) return false;
    if (segment !== '*' && !segment.startsWith(':') && segment !== actual) return false;
  }
  return want.length === have.length;
}

/** A small seedable PRNG (mulberry32), so random faults repeat from run to run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
