import { type FlexTokenValidation, FlexTokenValidationSchema } from '@flexcord/contracts';
import { rewriteTwilioUrl } from '@flexcord/twilio-client';
import { DomainError, UnavailableError } from '../util/domain-errors.ts';

/** The agent behind a valid Flex token. */
export interface FlexAgent {
  identity: string;
  workerSid: string | null;
  roles: string[];
}

/** Twilio said the token is not valid (expired, forged, another account's). */
export class InvalidFlexTokenError extends DomainError {
  constructor(message: string) {
    super('unauthenticated', 'invalid_token', message);
    this.name = 'InvalidFlexTokenError';
  }
}

/**
 * Checks Flex tokens with Twilio IAM (`POST /v1/Accounts/{AC}/Tokens/validate`), caching each
 * answer briefly (never past the token's own expiry) so the plugin's calls stay cheap. Written
 * here rather than with `twilio-flex-token-validator`, which hard-codes Twilio's host.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/manager#validating-tokens
 */
export class FlexTokenValidator {
  private readonly cache = new Map<string, { agent: FlexAgent | null; until: number; reason: string }>();

  constructor(
    private readonly options: {
      accountSid: string;
      authToken: string;
      apiBaseUrl: string;
      cacheSeconds: number;
    },
  ) {}

  async validate(token: string): Promise<FlexAgent> {
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.until > now) {
      if (cached.agent) return cached.agent;
      throw new InvalidFlexTokenError(cached.reason);
    }
    const { accountSid, authToken, apiBaseUrl, cacheSeconds } = this.options;
    const response = await fetch(
      rewriteTwilioUrl(`https://iam.twilio.com/v1/Accounts/${accountSid}/Tokens/validate`, apiBaseUrl),
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ token }),
      },
    );
    if (response.status >= 500 || response.status === 429) {
      throw new UnavailableError(
        'token_validation_unavailable',
        `token validation unavailable (${response.status})`,
      );
    }
    const parsed = FlexTokenValidationSchema.safeParse(await response.json().catch(() => null));
    const result: FlexTokenValidation = parsed.success
      ? parsed.data
      : { valid: false, message: 'unreadable answer' };
    const expiry = result.expiration ? Date.parse(result.expiration) : Number.NaN;
    const until = Math.min(
      now + cacheSeconds * 1000,
      Number.isNaN(expiry) ? Number.POSITIVE_INFINITY : expiry,
    );
    if (!result.valid || !result.identity) {
      const reason = result.message ?? 'invalid Flex token';
      this.cache.set(token, { agent: null, until: now + 5_000, reason });
      throw new InvalidFlexTokenError(reason);
    }
    const agent: FlexAgent = {
      identity: result.identity,
      workerSid: result.worker_sid ?? null,
      roles: result.roles ?? [],
    };
    this.cache.set(token, { agent, until, reason: '' });
    if (this.cache.size > 10_000) this.evictExpired(now);
    return agent;
  }

  private evictExpired(now: number): void {
    for (const [token, entry] of this.cache) if (entry.until <= now) this.cache.delete(token);
  }
}
