import type { ErrorRequestHandler, RequestHandler } from 'express';
import { type ZodError, z } from 'zod';
import type { Logger } from '../logger.ts';

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

/** Express 5 forwards rejected promises here; the body is always the API error shape. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = errorStatus(error);
    if (status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    else
      logger.info(
        { path: req.path, status, reason: error instanceof Error ? error.message : String(error) },
        'request refused',
      );
    if (res.headersSent) return;
    const code = error instanceof HttpError ? error.code : errorCode(error, status);
    const message = status >= 500 ? 'internal error' : error instanceof Error ? error.message : String(error);
    res.status(status).json({
      error: {
        code,
        message,
        ...(error instanceof HttpError && error.issues ? { issues: error.issues } : {}),
      },
    });
  };
}

function errorStatus(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function errorCode(error: unknown, status: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.toLowerCase();
  return status === 404 ? 'not_found' : status >= 500 ? 'internal' : 'bad_request';
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};
