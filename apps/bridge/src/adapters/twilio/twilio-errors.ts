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

/** Twilio's answer as a delivery outcome: 429/5xx/network retry, other 4xx are permanent. */
export function toDeliveryError(error: unknown, what: string): Error {
  if (isTwilioRestError(error)) {
    const detail = `${what}: Twilio ${error.status}${error.code ? ` (${error.code})` : ''} ${error.message}`;
    if (error.status === 429 || error.status >= 500)
      return new RetryableDeliveryError(detail, undefined, { cause: error });
    return new PermanentDeliveryError(detail, { cause: error });
  }
  return new RetryableDeliveryError(
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    undefined,
    {
      cause: error,
    },
  );
}
