import { type Logger, pino } from 'pino';

export type { Logger };

const CENSOR = '[redacted]';

/**
 * Keys whose values are credentials whatever they hold: headers (`Authorization`,
 * `X-Twilio-Signature`), axios' `config.auth`, Node's raw request text (`request._header`),
 * tokens, passwords, secrets, cookies.
 */
const SECRET_KEY =
  /^(authorization|proxy-authorization|auth|password|passwd|secret|cookie|set-cookie|_header|signature|x-twilio-signature|x-flexcord-signature|i-twilio-idempotency-token)$|token|secret|password|api[-_]?key/i;

/** Credentials inside text: an auth scheme and its value, a URL's user:password, a JWT/JWE. */
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Basic|Bearer|Bot)\s+[A-Za-z0-9+/=._~-]{8,}/g, `$1 ${CENSOR}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, `$1${CENSOR}@`],
  [/\beyJ[A-Za-z0-9_-]{4,}(\.[A-Za-z0-9_-]*){2,4}/g, CENSOR],
];

/** The configured secrets, stripped by value from every string logged (see {@link redactSecrets}). */
const secretValues = new Set<string>();
let secretPattern: RegExp | null = null;

/**
 * Adds values (the Discord bot token, the Twilio auth token and its Basic credential, the ingest
 * secret, the database password) that no log line may contain, wherever they show up: an error
 * message, a URL, a stack. Values under 8 characters are ignored (they would censor ordinary words).
 */
export function redactSecrets(values: Iterable<string>): void {
  for (const value of values) if (value.length >= 8) secretValues.add(value);
  const escaped = [...secretValues]
    .sort((a, b) => b.length - a.length)
    .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  secretPattern = escaped.length ? new RegExp(escaped.join('|'), 'g') : null;
}

function scrubText(text: string): string {
  let clean = secretPattern ? text.replace(secretPattern, CENSOR) : text;
  for (const [pattern, replacement] of SECRET_TEXT) clean = clean.replace(pattern, replacement);
  return clean;
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 50;

/**
 * A log object as plain JSON with every credential gone, whatever its shape: errors (with their
 * own fields and `cause` chain, e.g. an AxiosError's `config` and `request`), plain objects and
 * arrays at any depth, objects with `toJSON`. Other class instances (sockets, HTTP requests, pg
 * clients) are named, not walked: they are large and carry raw headers.
 */
function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  try {
    if (value instanceof Error) return scrubError(value, depth, seen);
    if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => scrub(item, depth + 1, seen));
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Map || value instanceof Set) return `[${value.constructor.name} ${value.size}]`;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return scrub(toJSON.call(value), depth, new WeakSet());
      return `[${(value as object).constructor?.name ?? 'object'}]`;
    }
    return scrubEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function scrubEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>) {
  const clean: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, MAX_ITEMS)) {
    if (item === undefined) continue;
    clean[key] = SECRET_KEY.test(key) && item !== null && item !== '' ? CENSOR : scrub(item, depth + 1, seen);
  }
  return clean;
}

function scrubError(error: Error, depth: number, seen: WeakSet<object>) {
  const own = Object.entries(error).filter(([key]) => key !== 'message' && key !== 'stack');
  return {
    type: error.constructor?.name ?? error.name,
    message: scrubText(error.message),
    ...(error.stack ? { stack: scrubText(error.stack) } : {}),
    ...scrubEntries(own, depth, seen),
    ...(error.cause !== undefined ? { cause: scrub(error.cause, depth + 1, seen) } : {}),
    ...(error instanceof AggregateError ? { errors: scrub(error.errors, depth + 1, seen) } : {}),
  };
}

/**
 * The bridge's structured logger (JSON lines). Every call's arguments go through one scrubber
 * that strips credentials wherever they are nested (see `scrub`), the message text included.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'flexcord-bridge' },
    // Errors arrive plain (and clean) from the scrubber; pino's own serializer would redo them.
    serializers: { err: (value: unknown) => value },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        const clean: unknown[] =
          first instanceof Error
            ? // pino would log it as `err` with its raw message as the line's message.
              [{ err: scrub(first) }, ...(typeof rest[0] === 'string' ? [] : [scrubText(first.message)])]
            : [scrub(first)];
        for (const arg of rest) clean.push(scrub(arg));
        method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
