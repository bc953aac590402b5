import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { twilioDate } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import { invalidParameter, notFound } from './errors.ts';
import { bodyText, paramsOf } from './http.ts';
import type { AgentRecord, FlexTokenRecord } from './store.ts';

/**
 * Flex token issue (what the Flex UI gets at login) and validation (`POST
 * /v1/Accounts/{AccountSid}/Tokens/validate`, what a Flex plugin's back end calls with the agent's
 * token). Real Flex tokens are JWEs; the emulator issues JWT-shaped strings signed with the auth
 * token, which is enough for a back end that treats them as opaque.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/add-flex-token-validation
 */
export class FlexTokenService {
  constructor(private readonly ctx: EmulatorContext) {}

  issue(agent: AgentRecord, ttlSeconds = 3600): FlexTokenRecord {
    const expiration = new Date(this.ctx.clock.now().getTime() + ttlSeconds * 1000);
    const header = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
    const payload = {
      jti: `${this.ctx.accountSid}-${randomUUID()}`,
      iss: this.ctx.accountSid,
      sub: this.ctx.accountSid,
      exp: Math.floor(expiration.getTime() / 1000),
      grants: { identity: agent.identity, flex: { worker_sid: agent.workerSid, roles: agent.roles } },
    };
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const token = `${unsigned}.${this.#sign(unsigned)}`;
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
    const [header, payload, signature] = token.split('.');
    const signatureOk =
      header !== undefined &&
      payload !== undefined &&
      signature !== undefined &&
      safeEqual(signature, this.#sign(`${header}.${payload}`));
    if (!record || !signatureOk) {
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

  #sign(data: string): string {
    return createHmac('sha256', this.ctx.authToken).update(data).digest('base64url');
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

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
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
