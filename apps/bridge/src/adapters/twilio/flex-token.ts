import { DomainError, UnavailableError } from '../../infrastructure/util/domain-errors.ts';

/** The agent behind a valid Flex token. */
export interface FlexAgent {
  identity: string;
  workerSid: string | null;
  roles: string[];
}

/**
 * Longer than any Flex token (a JWE of a few hundred bytes to ~2 KiB): refused unread, so a
 * stranger's giant strings cost neither memory nor an IAM call.
 */
export const MAX_FLEX_TOKEN_LENGTH = 8 * 1024;

/** One part of a JWE's compact serialization: base64url without padding (RFC 7515, 2). */
const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;

/**
 * Why `token` cannot be a Flex token, or null if it may be one. Flex tokens are JWEs in compact
 * serialization: five base64url parts (protected header, encrypted key, IV, ciphertext, tag), the
 * header a JSON object naming `alg` and `enc`. Everything else about one (account, identity,
 * expiry) is encrypted for Twilio: only IAM can say whether it is valid.
 *
 * @see https://www.twilio.com/docs/flex/developer/user-management/flex-token-api
 * @see https://www.rfc-editor.org/rfc/rfc7516#section-7.1
 */
export function flexTokenShapeProblem(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 5 || !parts.every((part) => BASE64URL_PART.test(part))) {
    return 'not a Flex token: a Flex token is a JWE, five base64url parts separated by dots';
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    header = null;
  }
  const { alg, enc } = (typeof header === 'object' && header !== null ? header : {}) as Record<
    string,
    unknown
  >;
  if (typeof alg !== 'string' || typeof enc !== 'string') {
    return 'not a Flex token: its JWE header is not a JSON object with "alg" and "enc"';
  }
  return null;
}

/** Twilio said the token is not valid (expired, forged, another account's), or it cannot be one. */
export class InvalidFlexTokenError extends DomainError {
  constructor(
    message: string,
    code: 'invalid_token' | 'token_too_large' | 'malformed_token' = 'invalid_token',
  ) {
    super('unauthenticated', code, message);
    this.name = 'InvalidFlexTokenError';
  }
}

/** Twilio IAM could not answer (unreachable, timed out, 5xx, 429): the token is neither good nor bad yet. */
export class TokenValidationUnavailableError extends UnavailableError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      'token_validation_unavailable',
      `Twilio IAM could not check the Flex token (${reason}); try again shortly`,
      options,
    );
    this.name = 'TokenValidationUnavailableError';
  }
}
