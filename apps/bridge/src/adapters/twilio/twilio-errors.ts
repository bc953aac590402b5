import { isTransientDbError } from '../../infrastructure/db/transient-errors.ts';
import {
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '../../infrastructure/outbox/delivery-errors.ts';

interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
}

export function isTwilioRestError(error: unknown): error is TwilioRestError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
  );
}

/**
 * Error codes of a request that did not get an answer: the connection was refused, reset or timed
 * out, or the name did not resolve (Node's `net`/`dns`, undici's `fetch`, axios under twilio-node).
 */
const UNANSWERED_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_NETWORK',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** A request that went out (or tried to) and got no answer, judged by the error and its causes. */
export function isUnansweredRequest(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && UNANSWERED_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Twilio's answer as a delivery outcome, classed by what the error is: Twilio's 429 and 5xx, a
 * request that got no answer and a database that was briefly away are retried; Twilio's other 4xx are final, and so is anything else
 * (a request that could not be built, a bug): it would fail the same way every time, so it is
 * dead-lettered at once, for an operator to see, instead of holding its chat through every retry.
 */
export function toDeliveryError(error: unknown, what: string): Error {
  if (isTwilioRestError(error)) {
    const detail = `${what}: Twilio ${error.status}${error.code ? ` (${error.code})` : ''} ${error.message}`;
    if (error.status === 429 || error.status >= 500)
      return new RetryableDeliveryError(detail, undefined, { cause: error });
    return new PermanentDeliveryError(detail, { cause: error });
  }
  const detail = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  if (isUnansweredRequest(error) || isTransientDbError(error))
    return new RetryableDeliveryError(detail, undefined, { cause: error });
  return new PermanentDeliveryError(detail, { cause: error });
}
