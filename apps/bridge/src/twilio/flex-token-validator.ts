import { createHash } from 'node:crypto';
import { type FlexTokenValidation, FlexTokenValidationSchema } from '@flexcord/contracts';
import { rewriteTwilioUrl } from '@flexcord/twilio-client';
import { DomainError, UnavailableError } from '../util/domain-errors.ts';
import { RecentMap } from '../util/recent-map.ts';

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

/** How long a refused token is remembered (a plugin retrying a stale token gets the answer from memory). */
const NEGATIVE_TTL_MS = 5_000;
/** One IAM call may take this long before the check counts as unavailable. */
const IAM_TIMEOUT_MS = 5_000;

/** Refused tokens remembered at most (by hash): a flood of strangers' tokens stays in this many entries. */
const MAX_REFUSED_TOKENS = 5_000;
/** IAM calls in flight at most: a flood of well-formed forgeries waits its turn instead of piling up calls. */
const MAX_CONCURRENT_CHECKS = 8;

/** Longest reason kept for a refused token (IAM's message), so each remembered refusal is small. */
const MAX_REASON_LENGTH = 200;

/** What an IAM status other than 200 most likely means, for the operator reading the 503. */
const IAM_STATUS_HINTS: Record<number, string> = {
  401: ": Twilio refused the bridge's TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN",
  403: ": Twilio refused the bridge's credentials for IAM",
  404: ': no such account or path (check TWILIO_ACCOUNT_SID and TWILIO_API_BASE_URL)',
};

type CacheEntry = { agent: FlexAgent; until: number } | { agent: null; until: number; reason: string };

/**
 * Checks Flex tokens with Twilio IAM (`POST /v1/Accounts/{AC}/Tokens/validate`), caching each
 * answer briefly (never past the token's own expiry) so the plugin's calls stay cheap. Written
 * here rather than with `twilio-flex-token-validator`, which hard-codes Twilio's host.
 *
 * A string that cannot be a Flex token (not a JWE: see {@link flexTokenShapeProblem}) is refused
 * without IAM. Memory is bounded whatever strangers send: answers are kept by the token's SHA-256 (never the
 * token itself, 43 characters whatever its size), the least recently used forgotten first, in two
 * maps: agents' tokens (at most `maxCachedTokens`) and refused ones (at most `maxRefusedTokens`,
 * each with a reason of at most 200 characters, so a few hundred bytes apiece). Kept apart, a
 * flood of bogus tokens never pushes an agent's token out (which would cost the agent an IAM call
 * on every request). Concurrent checks of one token share one IAM call, and at most
 * `maxConcurrentChecks` calls are in flight: the others wait (up to the IAM timeout, then the check
 * is unavailable, a 503), so a flood of well-formed forgeries holds a bounded number of IAM calls
 * and connections, and never more of Twilio's API concurrency than that.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/manager#validating-tokens
 */
export class FlexTokenValidator {
  private readonly cache: RecentMap<string, CacheEntry>;
  private readonly refused: RecentMap<string, CacheEntry>;
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  /** IAM calls in flight now; the checks waiting for one, oldest first. */
  private checking = 0;
  private readonly waiting = new Set<() => void>();
  private readonly maxConcurrentChecks: number;

  constructor(
    private readonly options: {
      accountSid: string;
      authToken: string;
      apiBaseUrl: string;
      cacheSeconds: number;
      /** Agents' tokens kept in memory at most. Default 10,000. */
      maxCachedTokens?: number;
      /** Refused tokens kept in memory at most. Default 5,000. */
      maxRefusedTokens?: number;
      /** IAM calls in flight at most. Default 8. */
      maxConcurrentChecks?: number;
    },
  ) {
    this.maxConcurrentChecks = options.maxConcurrentChecks ?? MAX_CONCURRENT_CHECKS;
    this.cache = new RecentMap(options.maxCachedTokens ?? 10_000);
    this.refused = new RecentMap(options.maxRefusedTokens ?? MAX_REFUSED_TOKENS);
  }

  async validate(token: string): Promise<FlexAgent> {
    if (token.length > MAX_FLEX_TOKEN_LENGTH) {
      throw new InvalidFlexTokenError(
        `the token is longer than ${MAX_FLEX_TOKEN_LENGTH} characters: not a Flex token`,
        'token_too_large',
      );
    }
    // Refused here, before it is hashed, remembered or sent to IAM.
    const problem = flexTokenShapeProblem(token);
    if (problem) throw new InvalidFlexTokenError(problem, 'malformed_token');
    const key = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    let entry = this.cache.get(key) ?? this.refused.get(key);
    if (!entry || entry.until <= now) {
      let pending = this.inflight.get(key);
      if (!pending) {
        pending = this.ask(token).finally(() => this.inflight.delete(key));
        this.inflight.set(key, pending);
      }
      entry = await pending;
    }
    // Remembered (again) as the most recently used, in the map of its kind only.
    if (entry.agent) {
      this.refused.forget(key);
      this.cache.remember(key, entry);
    } else {
      this.cache.forget(key);
      this.refused.remember(key, entry);
    }
    if (entry.agent) return entry.agent;
    throw new InvalidFlexTokenError(entry.reason);
  }

  /** IAM's verdict on `token` as a cache entry; an IAM that cannot answer throws (nothing is cached). */
  private async ask(token: string): Promise<CacheEntry> {
    const release = await this.turn();
    try {
      return await this.askIam(token);
    } finally {
      release();
    }
  }

  /** Waits for one of the `maxConcurrentChecks` IAM calls; resolves with its release. */
  private turn(): Promise<() => void> {
    const release = () => {
      const next = this.waiting.values().next().value;
      if (next) {
        this.waiting.delete(next);
        next(); // the call passes to the oldest waiting check
      } else {
        this.checking -= 1;
      }
    };
    if (this.checking < this.maxConcurrentChecks) {
      this.checking += 1;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        this.waiting.delete(start);
        reject(new TokenValidationUnavailableError('too many tokens are being checked at once'));
      }, IAM_TIMEOUT_MS);
      this.waiting.add(start);
    });
  }

  private async askIam(token: string): Promise<CacheEntry> {
    const { accountSid, authToken, apiBaseUrl, cacheSeconds } = this.options;
    let response: Response;
    try {
      response = await fetch(
        rewriteTwilioUrl(`https://iam.twilio.com/v1/Accounts/${accountSid}/Tokens/validate`, apiBaseUrl),
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ token }),
          signal: AbortSignal.timeout(IAM_TIMEOUT_MS),
        },
      );
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : 'unreachable';
      throw new TokenValidationUnavailableError(reason, { cause: error });
    }
    // IAM's verdict on a token, good or bad, is a 200 with `{"valid", "code", "message", …}`
    // (twilio-flex-token-validator reads `valid` from that body; Twilio's REST errors are
    // `{code, message, status}` with 401 = 20003, the bridge's own credentials refused, and 404 =
    // 20404, a wrong account or path). Any other answer — those, a 5xx, a 429, an outage page from
    // a proxy — says nothing about the agent's token: the check is unavailable, never a refusal.
    // @see https://github.com/twilio/twilio-flex-token-validator/blob/master/src/index.ts
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new TokenValidationUnavailableError(
        `it answered ${response.status}${IAM_STATUS_HINTS[response.status] ?? ''}`,
      );
    }
    const parsed = FlexTokenValidationSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new TokenValidationUnavailableError('it answered 200 with an unreadable body');
    const result: FlexTokenValidation = parsed.data;
    const now = Date.now();
    if (!result.valid || !result.identity) {
      const reason = (result.message ?? 'invalid Flex token').slice(0, MAX_REASON_LENGTH);
      return { agent: null, until: now + NEGATIVE_TTL_MS, reason };
    }
    const expiry = result.expiration ? Date.parse(result.expiration) : Number.NaN;
    return {
      agent: { identity: result.identity, workerSid: result.worker_sid ?? null, roles: result.roles ?? [] },
      until: Math.min(now + cacheSeconds * 1000, Number.isNaN(expiry) ? Number.POSITIVE_INFINITY : expiry),
    };
  }
}
