import { createHash } from 'node:crypto';
import { type FlexTokenValidation, FlexTokenValidationSchema } from '@flexcord/contracts';
import { rewriteTwilioUrl } from '@flexcord/twilio-client';
import { DomainError, UnavailableError } from '../../infrastructure/util/domain-errors.ts';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';

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
/** Of those, how many only agents' checks may use (a flood of unseen tokens never holds them). */
const RESERVED_FOR_AGENTS = 2;
/** Unseen tokens waiting for an IAM call at most; one more gets a 503 (after SHED_DELAY_MS), without IAM. */
const MAX_WAITING_UNSEEN = 32;
/** How long an unseen token past that budget waits for its 503 (no IAM call). */
const SHED_DELAY_MS = 1_000;
/** Addresses remembered as an agent's (one that presented a valid token) at most, and for how long. */
const MAX_AGENT_ADDRESSES = 10_000;
const AGENT_ADDRESS_TTL_MS = 12 * 3_600_000;

/** Longest reason kept for a refused token (IAM's message), so each remembered refusal is small. */
const MAX_REASON_LENGTH = 200;

/** What an IAM status other than 200 most likely means, for the operator reading the 503. */
const IAM_STATUS_HINTS: Record<number, string> = {
  401: ": Twilio refused the bridge's TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN",
  403: ": Twilio refused the bridge's credentials for IAM",
  404: ': no such account or path (check TWILIO_ACCOUNT_SID and TWILIO_API_BASE_URL)',
};

/**
 * IAM's answer on a token. An agent's is fresh until `freshUntil` (`cacheSeconds` after the check);
 * after that it is still served, and checked again in the background, until `staleUntil` (another
 * `cacheSeconds`, never past the token's own expiry).
 */
type CacheEntry =
  | { agent: FlexAgent; freshUntil: number; staleUntil: number }
  | { agent: null; until: number; reason: string };

/** Whose check it is: a known agent's (their token or address was valid before) or a stranger's. */
type Priority = 'agent' | 'unseen';

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
 * on every request). Concurrent checks of one token share one IAM call.
 *
 * Agents first under a flood: a token IAM found valid is answered from memory, and checked again
 * in the background once `cacheSeconds` have passed (the agent never waits for it); at most
 * `maxConcurrentChecks` IAM calls are in flight, and the checks waiting for one are served agents
 * first — a known token, or a new token from an address that presented a valid one (an agent's
 * new token after Flex renewed it) — then unseen tokens, which may hold all but
 * `reservedForAgents` of the calls and of which at most `maxWaitingUnseen` wait: one more is
 * answered 503 after `shedDelayMs`, costing no IAM call. So a flood of well-formed forgeries holds a bounded
 * number of IAM calls, connections and waiting requests, and an agent's check waits at most for one
 * call to end.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/manager#validating-tokens
 */
export class FlexTokenValidator {
  private readonly cache: RecentMap<string, CacheEntry>;
  private readonly refused: RecentMap<string, CacheEntry>;
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  /** Addresses that presented a valid token, until when they count as an agent's. */
  private readonly agentAddresses = new RecentMap<string, number>(MAX_AGENT_ADDRESSES);
  /** IAM calls in flight now (all, and those of unseen tokens); the checks waiting, oldest first. */
  private checking = 0;
  private checkingUnseen = 0;
  private readonly waiting: Record<Priority, Set<() => void>> = { agent: new Set(), unseen: new Set() };
  private readonly maxConcurrentChecks: number;
  private readonly maxUnseenChecks: number;
  private readonly maxWaitingUnseen: number;
  private readonly shedDelayMs: number;

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
      /** Of those, how many only agents' checks may use. Default 2 (0 when `maxConcurrentChecks` is 1). */
      reservedForAgents?: number;
      /** Unseen tokens waiting for an IAM call at most. Default 32. */
      maxWaitingUnseen?: number;
      /** How long an unseen token past that waits for its 503. Default 1,000 ms. */
      shedDelayMs?: number;
    },
  ) {
    this.maxConcurrentChecks = options.maxConcurrentChecks ?? MAX_CONCURRENT_CHECKS;
    const reserved = Math.min(options.reservedForAgents ?? RESERVED_FOR_AGENTS, this.maxConcurrentChecks - 1);
    this.maxUnseenChecks = this.maxConcurrentChecks - Math.max(0, reserved);
    this.maxWaitingUnseen = options.maxWaitingUnseen ?? MAX_WAITING_UNSEEN;
    this.shedDelayMs = options.shedDelayMs ?? SHED_DELAY_MS;
    this.cache = new RecentMap(options.maxCachedTokens ?? 10_000);
    this.refused = new RecentMap(options.maxRefusedTokens ?? MAX_REFUSED_TOKENS);
  }

  /**
   * Whether `token` is one IAM found valid and that may be served from memory now, without asking
   * anyone: what lets an agent's request past the failed-auth limit of an address they share.
   */
  isKnownValid(token: string): boolean {
    if (token.length > MAX_FLEX_TOKEN_LENGTH) return false;
    const entry = this.cache.get(hashOf(token));
    return entry?.agent != null && entry.staleUntil > Date.now();
  }

  /**
   * The agent behind `token`, or a refusal ({@link InvalidFlexTokenError}) or an unavailable check
   * ({@link TokenValidationUnavailableError}). `from` is the caller's address (trusted: see
   * `TRUST_PROXY_HOPS`): one that presented a valid token before has its new tokens checked first.
   */
  async validate(token: string, from?: string): Promise<FlexAgent> {
    if (token.length > MAX_FLEX_TOKEN_LENGTH) {
      throw new InvalidFlexTokenError(
        `the token is longer than ${MAX_FLEX_TOKEN_LENGTH} characters: not a Flex token`,
        'token_too_large',
      );
    }
    // Refused here, before it is hashed, remembered or sent to IAM.
    const problem = flexTokenShapeProblem(token);
    if (problem) throw new InvalidFlexTokenError(problem, 'malformed_token');
    const key = hashOf(token);
    const now = Date.now();
    let entry = this.cache.get(key) ?? this.refused.get(key);
    if (entry?.agent && entry.freshUntil <= now && entry.staleUntil > now) {
      // Served now; checked again in the background (a refusal then applies from the next call).
      this.check(key, token, 'agent').catch(() => undefined);
    } else if (!entry || (entry.agent ? entry.staleUntil : entry.until) <= now) {
      const priority: Priority =
        entry?.agent || (from !== undefined && (this.agentAddresses.get(from) ?? 0) > now)
          ? 'agent'
          : 'unseen';
      entry = await this.check(key, token, priority);
    }
    if (entry.agent) {
      this.cache.remember(key, entry); // the most recently used: forgotten last
      if (from !== undefined) this.agentAddresses.remember(from, now + AGENT_ADDRESS_TTL_MS);
      return entry.agent;
    }
    throw new InvalidFlexTokenError(entry.reason);
  }

  /** IAM's verdict on the token, one call for concurrent checks of it, remembered in the map of its kind. */
  private check(key: string, token: string, priority: Priority): Promise<CacheEntry> {
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.ask(token, priority)
        .then((entry) => {
          if (entry.agent) {
            this.refused.forget(key);
            this.cache.remember(key, entry);
          } else {
            this.cache.forget(key);
            this.refused.remember(key, entry);
          }
          return entry;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** IAM's verdict on `token` as a cache entry; an IAM that cannot answer throws (nothing is cached). */
  private async ask(token: string, priority: Priority): Promise<CacheEntry> {
    const release = await this.turn(priority);
    try {
      return await this.askIam(token);
    } finally {
      release();
    }
  }

  /** Waits for one of the IAM calls (agents' checks first); resolves with its release. */
  private turn(priority: Priority): Promise<() => void> {
    const unseen = priority === 'unseen';
    const mayStart = () =>
      this.checking < this.maxConcurrentChecks && (!unseen || this.checkingUnseen < this.maxUnseenChecks);
    const start = () => {
      this.checking += 1;
      if (unseen) this.checkingUnseen += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.checking -= 1;
        if (unseen) this.checkingUnseen -= 1;
        this.wakeNext();
      };
    };
    if (mayStart() && (unseen ? this.waiting.agent.size === 0 : true)) return Promise.resolve(start());
    const queue = this.waiting[priority];
    if (unseen && queue.size >= this.maxWaitingUnseen) {
      // Refused without IAM, after a pause: a sender that waits for its answer sends less, and a
      // pending timer costs far less than serving its next request.
      return new Promise((_resolve, reject) => {
        setTimeout(
          () =>
            reject(new TokenValidationUnavailableError('too many unknown tokens are waiting to be checked')),
          this.shedDelayMs,
        );
      });
    }
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(start());
      };
      const timer = setTimeout(() => {
        queue.delete(wake);
        reject(new TokenValidationUnavailableError('too many tokens are being checked at once'));
      }, IAM_TIMEOUT_MS);
      queue.add(wake);
    });
  }

  /** Passes free IAM calls to the oldest waiting agents' checks, then to unseen tokens' within their share. */
  private wakeNext(): void {
    while (this.checking < this.maxConcurrentChecks) {
      const agent = this.waiting.agent.values().next().value;
      if (agent) {
        this.waiting.agent.delete(agent);
        agent();
        continue;
      }
      if (this.checkingUnseen >= this.maxUnseenChecks) return;
      const unseen = this.waiting.unseen.values().next().value;
      if (!unseen) return;
      this.waiting.unseen.delete(unseen);
      unseen();
    }
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
    const parsedExpiry = result.expiration ? Date.parse(result.expiration) : Number.NaN;
    const expiry = Number.isNaN(parsedExpiry) ? Number.POSITIVE_INFINITY : parsedExpiry;
    return {
      agent: { identity: result.identity, workerSid: result.worker_sid ?? null, roles: result.roles ?? [] },
      freshUntil: Math.min(now + cacheSeconds * 1000, expiry),
      staleUntil: Math.min(now + 2 * cacheSeconds * 1000, expiry),
    };
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
