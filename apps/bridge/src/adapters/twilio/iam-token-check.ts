import { type FlexTokenValidation, FlexTokenValidationSchema } from '@flexcord/contracts';
import { rewriteTwilioUrl } from '@flexcord/twilio-client';
import { type FlexAgent, TokenValidationUnavailableError } from './flex-token.ts';

/** How long a refused token is remembered (a plugin retrying a stale token gets the answer from memory). */
const NEGATIVE_TTL_MS = 5_000;
/** One IAM call may take this long before the check counts as unavailable. */
export const IAM_TIMEOUT_MS = 5_000;
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
export type IamVerdict =
  | { agent: FlexAgent; freshUntil: number; staleUntil: number }
  | { agent: null; until: number; reason: string };

export interface IamAccount {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string;
  cacheSeconds: number;
}

/**
 * IAM's verdict on `token` (`POST /v1/Accounts/{AC}/Tokens/validate`); an IAM that cannot answer
 * throws {@link TokenValidationUnavailableError} (nothing to remember).
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/manager#validating-tokens
 */
export async function askIam(account: IamAccount, token: string): Promise<IamVerdict> {
  const { accountSid, authToken, apiBaseUrl, cacheSeconds } = account;
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
