/**
 * What the bridge's rules refuse, as classes with a `code`. The domain throws these and never an
 * HTTP status: `http/http-errors.ts` is the one place that maps them to an HTTP answer.
 */
export type DomainErrorKind =
  /** The thing asked for does not exist (a case number, a conversation SID, an article). */
  | 'not_found'
  /** The input breaks a rule (beyond its shape, which the adapters' contracts check). */
  | 'invalid'
  /** Who asked may not do this. */
  | 'forbidden'
  /** The caller could not be authenticated. */
  | 'unauthenticated'
  /** The state does not allow it now (a closed chat, a case already resolved). */
  | 'conflict'
  /** Something the bridge depends on is unreachable for now; trying again later may work. */
  | 'unavailable'
  /** Asked too often: allowed again later (a member's data requests). */
  | 'rate_limited';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** A stable, snake_case code an API client can branch on (`case_not_found`). */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('not_found', code, message, options);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('forbidden', code, message, options);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('conflict', code, message, options);
    this.name = 'ConflictError';
  }
}

export class UnavailableError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('unavailable', code, message, options);
    this.name = 'UnavailableError';
  }
}
