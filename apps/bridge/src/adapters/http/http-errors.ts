import type { ErrorRequestHandler, RequestHandler } from 'express';
import { type ZodError, z } from 'zod';
import type { Logger } from '../../infrastructure/logger.ts';
import { DomainError, type DomainErrorKind } from '../../infrastructure/util/domain-errors.ts';

/** An error that maps to an HTTP answer: `{error: {code, message, issues?}}` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export function badRequest(error: ZodError, what: string): HttpError {
  return new HttpError(
    400,
    'invalid_request',
    `invalid ${what}: ${z.prettifyError(error).replace(/\n/g, '; ')}`,
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/** How often one code of "unavailable" error is logged at most. */
const UNAVAILABLE_LOG_INTERVAL_MS = 10_000;

/** Express 5 forwards rejected promises here; the body is always the API error shape. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  /** Per code of an "unavailable" error: when it may be logged next, and how many went unlogged. */
  const unavailableLog = new Map<string, { next: number; unlogged: number }>();
  return (error: unknown, req, res, _next) => {
    const status = errorStatus(error);
    if (error instanceof DomainError && error.kind === 'unavailable') {
      // Expected under load or an outage, and a stranger's flood can cause one per request: one
      // short line per code every 10 s with the count, never a stack per request.
      const seen = unavailableLog.get(error.code) ?? { next: 0, unlogged: 0 };
      const now = Date.now();
      if (now >= seen.next) {
        logger.warn(
          { code: error.code, path: req.path, reason: error.message, count: seen.unlogged + 1 },
          'request unavailable (logged once per code and 10 s; count: since the last line)',
        );
        unavailableLog.set(error.code, { next: now + UNAVAILABLE_LOG_INTERVAL_MS, unlogged: 0 });
      } else seen.unlogged += 1;
    } else if (status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    else
      logger.info(
        { path: req.path, status, reason: error instanceof Error ? error.message : String(error) },
        'request refused',
      );
    if (res.headersSent) return;
    const code =
      error instanceof HttpError || error instanceof DomainError ? error.code : errorCode(error, status);
    // An "unavailable" domain error says why (a dependency is down, the client may retry); other
    // 5xx are bugs, whose details stay in the log.
    const exposed = status < 500 || (error instanceof DomainError && error.kind === 'unavailable');
    const message = !exposed ? 'internal error' : error instanceof Error ? error.message : String(error);
    res.status(status).json({
      error: {
        code,
        message,
        ...(error instanceof HttpError && error.issues ? { issues: error.issues } : {}),
      },
    });
  };
}

/** The one place a domain refusal becomes an HTTP status. */
const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  invalid: 400,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  unavailable: 503,
  rate_limited: 429,
};

/**
 * The answer's status: ours (an `HttpError`, a domain error), or what Express's own body parsers
 * say about the request (`type` marks their errors: a body too large, malformed JSON). Anything
 * else — a vendor's 404, an IAM 401 deep inside a call — is the bridge's failure: 500.
 */
function errorStatus(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof DomainError) return DOMAIN_STATUS[error.kind];
  const parserError = error as { status?: unknown; type?: unknown; expose?: unknown } | null;
  if (
    parserError?.expose === true &&
    typeof parserError.type === 'string' &&
    typeof parserError.status === 'number' &&
    parserError.status >= 400 &&
    parserError.status < 500
  )
    return parserError.status;
  return 500;
}

function errorCode(error: unknown, status: number): string {
  const type = (error as { type?: unknown } | null)?.type;
  if (status < 500 && typeof type === 'string') return type.replace(/\./g, '_');
  return status === 404 ? 'not_found' : status >= 500 ? 'internal' : 'bad_request';
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};
