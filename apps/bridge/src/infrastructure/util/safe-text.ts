import { DomainError } from './domain-errors.ts';

/**
 * Text made safe for Postgres and both vendors where it enters the bridge (a member's DM, a Twilio
 * webhook, the plugin API, a message read back from Twilio): Postgres refuses U+0000 in `text`
 * (22021) and in JSON (22P05), and half a surrogate pair in JSON (22P02); Discord and Twilio take
 * only well-formed UTF-8, which a lone surrogate cannot be encoded as. NUL is dropped (it carries
 * nothing a reader sees), a lone surrogate becomes U+FFFD, as a UTF-8 decoder would show it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what must go.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function safeText(text: string): string {
  return text.replace(UNSAFE, (found) => (found === '\u0000' ? '' : '\uFFFD'));
}

/** How deep {@link safeDeep} walks: no body the bridge reads nests past a handful of levels. */
export const MAX_DEPTH = 32;
/** How many values {@link safeDeep} visits at most. */
export const MAX_VALUES = 100_000;

/** A parsed body nested deeper, or holding more values, than anything the bridge reads. */
export class TooDeepError extends DomainError {
  constructor(message: string) {
    super('invalid', 'too_deep', message);
    this.name = 'TooDeepError';
  }
}

/**
 * {@link safeText} on every string of a parsed body (keys included), down to {@link MAX_DEPTH}
 * levels and over at most {@link MAX_VALUES} values: a deeper or larger one (a 6,000-deep array
 * from a stranger would exhaust the stack) throws {@link TooDeepError} (a 400) instead.
 */
export function safeDeep<T>(value: T): T {
  const budget = { values: MAX_VALUES };
  return walk(value, 0, budget);
}

function walk<T>(value: T, depth: number, budget: { values: number }): T {
  budget.values -= 1;
  if (budget.values < 0) throw new TooDeepError(`the body holds more than ${MAX_VALUES} values`);
  if (typeof value === 'string') return safeText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new TooDeepError(`the body nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, budget)) as T;
  // Plain objects only, with their prototype (Express's urlencoded bodies have none).
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const clean = Object.create(prototype as object | null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) clean[safeText(key)] = walk(item, depth + 1, budget);
  return clean as T;
}

/** Code points in `text` (a surrogate pair is one): how Discord counts its length limits. */
export function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

/** `text` cut to at most `max` code points, never inside a surrogate pair (unlike `slice`). */
export function clipCodePoints(text: string, max: number): string {
  let offset = 0;
  for (let seen = 0; seen < max && offset < text.length; seen += 1) {
    offset += (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
  }
  return text.slice(0, offset);
}
