/** A delivery that failed for now: try again later (after `retryAfterMs` when the API said so). */
export class RetryableDeliveryError extends Error {
  readonly code = 'DELIVERY_RETRYABLE';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableDeliveryError';
  }
}

/** A delivery that can never succeed as it is (invalid body, DMs closed, unknown channel). */
export class PermanentDeliveryError extends Error {
  readonly code = 'DELIVERY_PERMANENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
