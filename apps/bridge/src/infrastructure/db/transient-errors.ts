/**
 * Which database errors are worth trying again: the statement was refused for now (a
 * serialization failure, a deadlock, a server restarting or out of connections) or the connection
 * broke, never because of what it said. Everything else (a constraint, bad input) fails the same
 * way every time.
 *
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown (a server restart, pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** pg's own messages for a connection that broke or never opened (they carry no code). */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Client was closed',
];

function fieldsOf(error: unknown): { code: string | undefined; message: string } {
  if (typeof error !== 'object' || error === null) return { code: undefined, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : undefined, message: String((error as Error).message) };
}

/** The connection to the database broke or could not be opened (class 08, a restart, the network). */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = fieldsOf(error);
  if (code?.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  if (code && NETWORK_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return !code && CONNECTION_MESSAGES.some((text) => message.includes(text));
}

/** Trying the same work again may succeed: see the module's doc. */
export function isTransientDbError(error: unknown): boolean {
  const { code } = fieldsOf(error);
  return (code !== undefined && TRANSIENT_SQLSTATES.has(code)) || isConnectionError(error);
}

/**
 * The server refused the work and nothing of it was applied (a serialization failure or deadlock
 * rolls the transaction back; a server starting up or out of connections never began it), so
 * running it again is always safe, whatever it does.
 */
export function isRolledBack(error: unknown): boolean {
  const { code } = fieldsOf(error);
  return code === '40001' || code === '40P01' || code === '57P03' || code === '53300';
}

export interface RetryOptions {
  /** Give up after this long (default: never — an inbound event must not be lost). */
  deadlineMs?: number;
  /** Told before each wait, e.g. to log. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `work` until it succeeds or fails for a reason other than a transient database error,
 * waiting 50 ms, 100 ms, 200 ms … (capped at 5 s, with jitter) between attempts. `work` must be
 * safe to run again: a transaction that rolled back, or a statement that claims its event.
 */
export function retryTransient<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retryWhile(isTransientDbError, work, options);
}

/** Runs `work` again while it fails with an error `retryable` accepts (backoff as {@link retryTransient}). */
export async function retryWhile<T>(
  retryable: (error: unknown) => boolean,
  work: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const late = options.deadlineMs !== undefined && Date.now() - started >= options.deadlineMs;
      if (!retryable(error) || late) throw error;
      const base = Math.min(5_000, 50 * 2 ** (attempt - 1));
      const delayMs = Math.round(base / 2 + Math.random() * (base / 2));
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
