import { createHash } from 'node:crypto';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';
import {
  type FlexAgent,
  flexTokenShapeProblem,
  InvalidFlexTokenError,
  MAX_FLEX_TOKEN_LENGTH,
  TokenValidationUnavailableError,
} from './flex-token.ts';
import { IamCheckGate, type Priority } from './iam-check-gate.ts';
import { askIam, IAM_TIMEOUT_MS, type IamVerdict } from './iam-token-check.ts';

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
  private readonly cache: RecentMap<string, IamVerdict>;
  private readonly refused: RecentMap<string, IamVerdict>;
  private readonly inflight = new Map<string, Promise<IamVerdict>>();
  /** Addresses that presented a valid token, until when they count as an agent's. */
  private readonly agentAddresses = new RecentMap<string, number>(MAX_AGENT_ADDRESSES);
  /** The IAM calls in flight, agents' checks first. */
  private readonly gate: IamCheckGate;

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
    this.gate = new IamCheckGate(
      {
        maxConcurrent: options.maxConcurrentChecks ?? MAX_CONCURRENT_CHECKS,
        reservedForAgents: options.reservedForAgents ?? RESERVED_FOR_AGENTS,
        maxWaitingUnseen: options.maxWaitingUnseen ?? MAX_WAITING_UNSEEN,
        shedDelayMs: options.shedDelayMs ?? SHED_DELAY_MS,
        waitMs: IAM_TIMEOUT_MS,
      },
      (reason) => new TokenValidationUnavailableError(reason),
    );
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
  private check(key: string, token: string, priority: Priority): Promise<IamVerdict> {
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
  private async ask(token: string, priority: Priority): Promise<IamVerdict> {
    const release = await this.gate.turn(priority);
    try {
      return await askIam(this.options, token);
    } finally {
      release();
    }
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
