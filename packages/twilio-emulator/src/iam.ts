import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { twilioDate } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import { invalidParameter, notFound } from './errors.ts';
import { bodyText, paramsOf } from './http.ts';
import type { AgentRecord, FlexTokenRecord } from './store.ts';

/**
 * Flex token issue (what the Flex UI gets at login) and validation (`POST
 * /v1/Accounts/{AccountSid}/Tokens/validate`, what a Flex plugin's back end calls with the agent's
 * token). Flex tokens are JWEs (RFC 7516, compact serialization: five base64url parts), opaque to
 * everyone but Twilio: only IAM can read them. The emulator's are real JWEs too (`alg: dir`,
 * `enc: A256GCM`, under a key derived from the auth token, its own choice), so a back end that
 * tried to read one would fail here as it would against Twilio.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/add-flex-token-validation
 * @see https://www.twilio.com/docs/flex/developer/user-management/flex-token-api
 * @see https://www.rfc-editor.org/rfc/rfc7516#section-7.1
 */
export class FlexTokenService {
  constructor(private readonly ctx: EmulatorContext) {}

  issue(agent: AgentRecord, ttlSeconds = 3600): FlexTokenRecord {
    const expiration = new Date(this.ctx.clock.now().getTime() + ttlSeconds * 1000);
    const claims = {
      jti: `${this.ctx.accountSid}-${randomUUID()}`,
      iss: this.ctx.accountSid,
      sub: this.ctx.accountSid,
      exp: Math.floor(expiration.getTime() / 1000),
      grants: { identity: agent.identity, flex: { worker_sid: agent.workerSid, roles: agent.roles } },
    };
    const token = this.#encrypt(JSON.stringify(claims));
    const record: FlexTokenRecord = {
      token,
      identity: agent.identity,
      workerSid: agent.workerSid,
      realmUserId: agent.email,
      roles: agent.roles,
      expiration,
    };
    this.ctx.store.flexTokens.set(token, record);
    return record;
  }

  /** The validation result exactly as IAM answers it (HTTP 200 either way). */
  validate(token: string): Record<string, unknown> {
    const record = this.ctx.store.flexTokens.get(token);
    if (!record || this.#decrypt(token) === null) {
      return invalid(20101, 'Invalid Access Token');
    }
    if (record.expiration.getTime() <= this.ctx.clock.now().getTime()) {
      return invalid(20104, 'Access Token expired or expiration date invalid');
    }
    return {
      valid: true,
      code: 0,
      message: null,
      expiration: twilioDate(record.expiration),
      realm_user_id: record.realmUserId,
      identity: record.identity,
      roles: record.roles,
      worker_sid: record.workerSid,
    };
  }

  revoke(token: string): boolean {
    return this.ctx.store.flexTokens.delete(token);
  }

  /** The key of the emulator's tokens: its own choice (Twilio's keys are IAM's alone). */
  #key(): Buffer {
    return createHash('sha256').update(`flex-token:${this.ctx.authToken}`).digest();
  }

  /** `plaintext` as a compact JWE: header, (empty) encrypted key, IV, ciphertext, tag. */
  #encrypt(plaintext: string): string {
    const header = base64url(JSON.stringify({ alg: 'dir', enc: 'A256GCM' }));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key(), iv);
    // The protected header is the additional authenticated data (RFC 7516, 5.1 step 14).
    cipher.setAAD(Buffer.from(header, 'ascii'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [header, '', iv, ciphertext, cipher.getAuthTag()];
    return parts.map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The plaintext of one of the emulator's tokens, or null if it is not one (or was tampered with). */
  #decrypt(token: string): string | null {
    const [header, encryptedKey, iv, ciphertext, tag, ...rest] = token.split('.');
    if (
      rest.length > 0 ||
      header === undefined ||
      encryptedKey !== '' ||
      iv === undefined ||
      ciphertext === undefined ||
      tag === undefined
    ) {
      return null;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(header, 'ascii'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }
}

function invalid(code: number, message: string): Record<string, unknown> {
  return {
    valid: false,
    code,
    message,
    expiration: null,
    realm_user_id: null,
    identity: null,
    roles: null,
    worker_sid: null,
  };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** IAM routes relative to `/iam/v1`. */
export function iamRouter(service: FlexTokenService, ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/Accounts/:accountSid/Tokens/validate', (req, res) => {
    const { accountSid } = req.params;
    if (accountSid !== ctx.accountSid) throw notFound(`/Accounts/${accountSid}/Tokens/validate`);
    let token: unknown;
    if ((req.headers['content-type'] ?? '').includes('json')) {
      try {
        token = (JSON.parse(bodyText(req)) as { token?: unknown }).token;
      } catch {
        throw invalidParameter('The body must be JSON {"token": "…"}');
      }
    } else {
      token = paramsOf(req).get('Token') ?? paramsOf(req).get('token');
    }
    if (typeof token !== 'string' || token === '') throw invalidParameter('Missing token');
    res.json(service.validate(token));
  });
  return router;
}
