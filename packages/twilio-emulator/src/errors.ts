import type { ErrorRequestHandler, Response } from 'express';

/**
 * A Twilio REST error, answered as `{code, message, more_info, status}` exactly like Twilio's APIs.
 *
 * @see https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
 */
export class TwilioApiError extends Error {
  override readonly name = 'TwilioApiError';
  readonly code: number;
  readonly status: number;
  /** Extra fields some APIs add to the body (Studio's `details`). */
  readonly details: Record<string, unknown> | undefined;
  /** Headers to send with the error (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: number,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** The JSON body Twilio sends for this error. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** 401 / 20003: the Basic credentials are not the account's. */
export function authenticationError(): TwilioApiError {
  return new TwilioApiError(401, 20003, 'Authenticate');
}

/** 404 / 20404: the resource is not there. */
export function notFound(path: string): TwilioApiError {
  return new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
}

/** 400 / 20001: a parameter is missing or malformed. */
export function invalidParameter(message: string): TwilioApiError {
  return new TwilioApiError(400, 20001, message);
}

/** 400 / 20001 for a required parameter that is absent. */
export function missingParameter(name: string): TwilioApiError {
  return new TwilioApiError(400, 20001, `Missing required parameter ${name} in the post body`);
}

/** 429 / 20429, with the `Retry-After` header twilio-node's auto-retry honours. */
export function tooManyRequests(retryAfterSeconds = 1): TwilioApiError {
  return new TwilioApiError(429, 20429, 'Too Many Requests', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/** Sends `error` as Twilio would. */
export function sendTwilioError(res: Response, error: TwilioApiError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json(error.toJSON());
}

/** The one error middleware: Twilio errors as Twilio JSON, anything else as a 500 with code 20500. */
export const twilioErrorMiddleware: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof TwilioApiError) {
    sendTwilioError(res, error);
    return;
  }
  const status =
    typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
      ? error.status
      : 500;
  if (status >= 400 && status < 500) {
    sendTwilioError(
      res,
      new TwilioApiError(status, 20001, error instanceof Error ? error.message : 'Bad request'),
    );
    return;
  }
  sendTwilioError(
    res,
    new TwilioApiError(500, 20500, error instanceof Error ? error.message : 'Internal Server Error', {
      cause: error,
    }),
  );
};
