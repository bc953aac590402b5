import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidFlexTokenError } from '../src/adapters/twilio/flex-token.ts';
import { FlexTokenValidator } from '../src/adapters/twilio/flex-token-validator.ts';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

/**
 * The plugin API in front of strangers: bogus tokens cost little memory and few IAM calls, an
 * address that keeps failing is slowed down, and an IAM outage is a 503 that says so.
 */
const TRACKED_ADDRESSES = 20;

/** A string shaped like a Flex token (a compact JWE: five base64url parts, alg and enc) that is none. */
const forged = (seed: string) => {
  const part = (text: string) => Buffer.from(text).toString('base64url');
  return [
    part(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })),
    '',
    part(seed),
    part(`${seed}…`),
    part('tag'),
  ].join('.');
};

describe('the plugin API under unauthenticated load', () => {
  let stack: Stack;
  let caseNumber = 0;
  /** Counts the bridge's calls to IAM (a fault rule that only watches). */
  let iamCalls: () => number;
  let watch = 0;

  beforeAll(async () => {
    // Failed authentications are counted for 20 addresses at most (the default is 50,000).
    // As behind one reverse proxy: the client's address is the last X-Forwarded-For hop.
    stack = await startStack({
      env: { API_AUTH_TRACKED_ADDRESSES: String(TRACKED_ADDRESSES), TRUST_PROXY_HOPS: '1' },
    });
    const chat = await memberWithAgent(stack, 'pixelpat');
    caseNumber = (await stack.bridge.cases.listByConversation(chat.conversationSid))[0]!.number;
    watch = stack.twilio.control.injectFault({ match: 'POST /iam/**', delayMs: 0 });
    iamCalls = () => stack.twilio.control.faults().find((fault) => fault.id === watch)?.hits ?? 0;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = (token: string, from?: string) =>
    fetch(`${stack.bridge.url}/api/cases/${caseNumber}`, {
      headers: { authorization: `Bearer ${token}`, ...(from ? { 'x-forwarded-for': from } : {}) },
    });

  it('refuses a token larger than any Flex token without asking Twilio', async () => {
    const before = iamCalls();
    const response = await call('x'.repeat(9 * 1024), '198.51.100.1');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'token_too_large' } });
    expect(iamCalls()).toBe(before);
  });

  it('refuses a request whose headers outgrow any Flex token (a 12 KB token) while parsing it, with 431', async () => {
    const before = iamCalls();
    const response = await call('x'.repeat(12 * 1024), '198.51.100.1');
    expect(response.status).toBe(431);
    expect(iamCalls()).toBe(before);
    // The bridge goes on serving.
    const agent = stack.twilio.control.issueFlexToken('Dana').token;
    expect((await call(agent, '198.51.100.2')).status).toBe(200);
  });

  it('refuses what cannot be a Flex token (not a JWE) with a 401 that says why, without asking Twilio', async () => {
    const before = iamCalls();
    for (const [token, reason] of [
      ['x'.repeat(8000), /five base64url parts/],
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJBQzEifQ.c2ln', /five base64url parts/], // a JWT, not a JWE
      [`${forged('a')}.more`, /five base64url parts/],
      [forged('b').replace('.', '!.'), /five base64url parts/],
      [`bm90IGpzb24.${forged('c').split('.').slice(1).join('.')}`, /"alg" and "enc"/],
      [
        `${Buffer.from('{"alg":"dir"}').toString('base64url')}.${forged('d').split('.').slice(1).join('.')}`,
        /"alg" and "enc"/,
      ],
    ] as const) {
      const response = await call(token, '198.51.100.3');
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('malformed_token');
      expect(body.error.message).toMatch(reason);
    }
    expect(iamCalls()).toBe(before);
    // A real token, from the emulator as from Twilio, is a JWE and passes.
    const agent = stack.twilio.control.issueFlexToken('Dana').token;
    expect((await call(agent, '198.51.100.4')).status).toBe(200);
  });

  it("refuses a stranger's request before reading its body", async () => {
    const response = await fetch(`${stack.bridge.url}/api/cases/${caseNumber}/notes`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-flex-token', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(100_000) }),
    });
    // Not a 413 from the body's size: the body was never parsed.
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'malformed_token' } });
  });

  it('asks IAM about a well-formed forgery and refuses it as Twilio says', async () => {
    const before = iamCalls();
    const response = await call(forged('well-formed'), '198.51.100.5');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_token', message: 'Invalid Access Token' },
    });
    expect(iamCalls()).toBe(before + 1);
  });

  it('has at most a few IAM calls in flight however many forgeries arrive at once', async () => {
    const validator = new FlexTokenValidator({
      accountSid: stack.config.TWILIO_ACCOUNT_SID,
      authToken: stack.config.TWILIO_AUTH_TOKEN,
      apiBaseUrl: stack.config.TWILIO_API_BASE_URL,
      cacheSeconds: 60,
      maxConcurrentChecks: 2,
      reservedForAgents: 0,
    });
    // IAM answers slowly for a while (this rule comes first, the watching one after it).
    stack.twilio.control.removeFault(watch);
    const slow = stack.twilio.control.injectFault({ match: 'POST /iam/**', delayMs: 300 });
    watch = stack.twilio.control.injectFault({ match: 'POST /iam/**', delayMs: 0 });
    const slowCalls = () => stack.twilio.control.faults().find((fault) => fault.id === slow)?.hits ?? 0;
    try {
      const checks = Array.from({ length: 6 }, (_, i) =>
        expect(validator.validate(forged(`at-once-${i}`))).rejects.toBeInstanceOf(InvalidFlexTokenError),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(slowCalls()).toBe(2);
      await Promise.all(checks);
      expect(slowCalls()).toBe(6);
    } finally {
      stack.twilio.control.removeFault(slow);
    }
  });

  it('remembers bogus tokens briefly, in bounded memory', async () => {
    const validator = new FlexTokenValidator({
      accountSid: stack.config.TWILIO_ACCOUNT_SID,
      authToken: stack.config.TWILIO_AUTH_TOKEN,
      apiBaseUrl: stack.config.TWILIO_API_BASE_URL,
      cacheSeconds: 60,
      maxRefusedTokens: 50,
    });
    const refuse = (token: string) =>
      expect(validator.validate(token)).rejects.toBeInstanceOf(InvalidFlexTokenError);
    const before = iamCalls();
    await refuse(forged('first'));
    await refuse(forged('first'));
    expect(iamCalls()).toBe(before + 1); // the second answer came from memory
    for (let i = 0; i < 80; i++) await refuse(forged(`bogus-${i}`));
    const afterFlood = iamCalls();
    await refuse(forged('first'));
    // It was forgotten to make room: memory holds at most 50 answers.
    expect(iamCalls()).toBe(afterFlood + 1);
  });

  it("keeps an agent's token in memory whatever number of bogus tokens strangers send", async () => {
    const validator = new FlexTokenValidator({
      accountSid: stack.config.TWILIO_ACCOUNT_SID,
      authToken: stack.config.TWILIO_AUTH_TOKEN,
      apiBaseUrl: stack.config.TWILIO_API_BASE_URL,
      cacheSeconds: 60,
      maxCachedTokens: 50,
      maxRefusedTokens: 50,
    });
    const agent = stack.twilio.control.issueFlexToken('Dana').token;
    await validator.validate(agent);
    const afterAgent = iamCalls();
    for (let i = 0; i < 200; i++) {
      await expect(validator.validate(forged(`flood-${i}`))).rejects.toBeInstanceOf(InvalidFlexTokenError);
    }
    const afterFlood = iamCalls();
    expect(afterFlood).toBe(afterAgent + 200);
    // Still answered from memory: the flood filled the refused tokens' map, not the agents'.
    expect((await validator.validate(agent)).identity).toBeTruthy();
    expect(iamCalls()).toBe(afterFlood);
  });

  it('counts failures of a bounded number of addresses, forgetting the least recently seen', async () => {
    const attacker = '203.0.113.50';
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await call(`bogus-a-${i}`, attacker)).status;
    expect(status).toBe(429);
    expect((await call('bogus-a-again', attacker)).status).toBe(429);
    // As many other addresses as are counted, each failing once: the attacker's count is forgotten.
    for (let i = 0; i < TRACKED_ADDRESSES; i++) {
      expect((await call(`bogus-b-${i}`, `198.18.0.${i + 1}`)).status).toBe(401);
    }
    expect((await call('bogus-a-once-more', attacker)).status).toBe(401);
  });

  it('answers 429 with Retry-After to an address that keeps failing, and serves the others', async () => {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await call(`bogus-from-attacker-${i}`, attacker)).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await call('bogus-once-more', attacker);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'too_many_failed_auth' } });
    // Refused before IAM is asked.
    const before = iamCalls();
    await call('bogus-yet-again', attacker);
    expect(iamCalls()).toBe(before);
    const agent = stack.twilio.control.issueFlexToken('Dana').token;
    expect((await call(agent, '203.0.113.8')).status).toBe(200);
  });

  it("answers an agent's forged case-list cursors with 400 and a reason, never a 500", async () => {
    const agent = stack.twilio.control.issueFlexToken('Dana').token;
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const [sort, forgery] of [
      ['priority', ['priority', '99999', 1]],
      ['priority', ['priority', '1.5', 1]],
      ['updated', ['updated', '9999-99-99', 1]],
      ['updated', ['updated', '1-2-3', 1]],
      ['newest', ['newest', '2026-02-31 10:00:00+00', 1]],
      ['oldest', ['oldest', '0000-01-01 00:00:00+00', 1]],
      ['votes', ['votes', '99999999999', 1]],
      ['updated', ['updated', '2026-12-07 22:04:43.123+00', 2_147_483_648]],
    ] as const) {
      const response = await fetch(`${stack.bridge.url}/api/cases?sort=${sort}&cursor=${cursor(forgery)}`, {
        headers: { authorization: `Bearer ${agent}`, 'x-forwarded-for': '192.0.2.60' },
      });
      expect(response.status, JSON.stringify(forgery)).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_cursor');
      expect(body.error.message).toMatch(/cursor is not a nextCursor of this sort: .+/);
    }
    // A real cursor still pages on.
    const first = (await (
      await fetch(`${stack.bridge.url}/api/cases?sort=priority&limit=1`, {
        headers: { authorization: `Bearer ${agent}`, 'x-forwarded-for': '192.0.2.60' },
      })
    ).json()) as { nextCursor: string | null };
    if (first.nextCursor) {
      const next = await fetch(
        `${stack.bridge.url}/api/cases?sort=priority&limit=1&cursor=${first.nextCursor}`,
        {
          headers: { authorization: `Bearer ${agent}`, 'x-forwarded-for': '192.0.2.60' },
        },
      );
      expect(next.status).toBe(200);
    }
  });

  it("answers an agent's 6,000-deep JSON body with 400 and a reason, never a 500", async () => {
    const agent = stack.twilio.control.issueFlexToken('Dana').token;
    const deep = `${'['.repeat(6_000)}${']'.repeat(6_000)}`;
    for (const body of [deep, `{"body": ${deep}}`]) {
      const response = await fetch(`${stack.bridge.url}/api/cases/${caseNumber}/notes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${agent}`,
          'content-type': 'application/json',
          'x-forwarded-for': '192.0.2.61',
        },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'too_deep' } });
    }
  });

  it('answers 503 with a reason when Twilio IAM cannot be reached or fails', async () => {
    const fresh = () => stack.twilio.control.issueFlexToken('Leo').token;
    // The first matching rule applies: stop watching so the faults below do.
    stack.twilio.control.removeFault(watch);
    stack.twilio.control.injectFault({ match: 'POST /iam/**', reset: true, times: 1 });
    const unreachable = await call(fresh(), '192.0.2.10');
    expect(unreachable.status).toBe(503);
    const body = (await unreachable.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('token_validation_unavailable');
    expect(body.error.message).toMatch(/Twilio IAM/);
    stack.twilio.control.injectFault({ match: 'POST /iam/**', status: 502, times: 1 });
    const failing = await call(fresh(), '192.0.2.10');
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({ error: { code: 'token_validation_unavailable' } });
    // An outage is not the token's fault: it is not remembered as bad, nor counted against the address.
    expect((await call(fresh(), '192.0.2.10')).status).toBe(200);
  });

  it("answers 503, not 401, when IAM itself refuses the bridge (401: its credentials) or is not there (404: a misrouted proxy), and does not count it against the agent's address", async () => {
    // Twilio IAM answers a token it refuses with HTTP 200 and `{"valid": false, "code", "message"}`
    // (what twilio-flex-token-validator reads); any other answer is about the call, not the token.
    stack.twilio.control.removeFault(watch);
    const from = '192.0.2.77';
    for (const [status, code] of [
      [401, 20003],
      [404, 20404],
    ] as const) {
      // More answers than the address may fail in a minute (30 by default): none of them counts.
      const rule = stack.twilio.control.injectFault({ match: 'POST /iam/**', status, code, times: 35 });
      try {
        for (let i = 0; i < 35; i++) {
          const response = await call(stack.twilio.control.issueFlexToken('Leo').token, from);
          expect(response.status).toBe(503);
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe('token_validation_unavailable');
          expect(body.error.message).toMatch(new RegExp(`answered ${status}`));
        }
      } finally {
        stack.twilio.control.removeFault(rule);
      }
    }
    // IAM is back: the agent's address was never limited.
    expect((await call(stack.twilio.control.issueFlexToken('Leo').token, from)).status).toBe(200);
  });

  describe('agents first under a flood of forgeries against a slow IAM', () => {
    // The first matching fault rule applies: the slow IAM rules below, not the watching one.
    beforeAll(() => {
      stack.twilio.control.removeFault(watch);
    });
    const validatorWith = (options: { cacheSeconds?: number; maxConcurrentChecks?: number } = {}) =>
      new FlexTokenValidator({
        accountSid: stack.config.TWILIO_ACCOUNT_SID,
        authToken: stack.config.TWILIO_AUTH_TOKEN,
        apiBaseUrl: stack.config.TWILIO_API_BASE_URL,
        cacheSeconds: options.cacheSeconds ?? 60,
        maxConcurrentChecks: options.maxConcurrentChecks ?? 2,
      });
    const slowIam = (delayMs: number) => stack.twilio.control.injectFault({ match: 'POST /iam/**', delayMs });
    const timed = async <T>(work: Promise<T>) => {
      const started = performance.now();
      const value = await work;
      return { value, ms: performance.now() - started };
    };

    it('serves a known token from memory after its cache time and checks it again in the background', async () => {
      const validator = validatorWith({ cacheSeconds: 1 });
      const token = stack.twilio.control.issueFlexToken('Dana').token;
      await validator.validate(token, '192.0.2.90');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const slow = slowIam(600);
      const hits = () => stack.twilio.control.faults().find((fault) => fault.id === slow)?.hits ?? 0;
      try {
        const { value, ms } = await timed(validator.validate(token, '192.0.2.90'));
        expect(value.identity).toBeTruthy();
        expect(ms).toBeLessThan(300); // not the 600 ms IAM takes now
        await eventually(() => hits() === 1 || undefined, 'the check in the background');
      } finally {
        stack.twilio.control.removeFault(slow);
      }
    });

    it("checks an agent's new token from their address before a queue of unseen forgeries", async () => {
      const validator = validatorWith({ maxConcurrentChecks: 2 });
      const agentAddress = '192.0.2.91';
      await validator.validate(stack.twilio.control.issueFlexToken('Dana').token, agentAddress);
      const slow = slowIam(300);
      try {
        const flood = Array.from({ length: 20 }, (_, i) =>
          validator.validate(forged(`queued-${i}`), `198.18.7.${i}`).catch((error: unknown) => error),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        // Flex renewed the agent's token: never seen, but from an agent's address.
        const renewed = stack.twilio.control.issueFlexToken('Dana').token;
        const { value, ms } = await timed(validator.validate(renewed, agentAddress));
        expect(value.identity).toBeTruthy();
        // One IAM call (300 ms), at most after one other ends; not behind 20 forgeries (~3 s).
        expect(ms).toBeLessThan(1_000);
        await Promise.all(flood);
      } finally {
        stack.twilio.control.removeFault(slow);
      }
    });

    it('answers unseen tokens past the waiting budget with 503, without asking IAM', async () => {
      const validator = new FlexTokenValidator({
        accountSid: stack.config.TWILIO_ACCOUNT_SID,
        authToken: stack.config.TWILIO_AUTH_TOKEN,
        apiBaseUrl: stack.config.TWILIO_API_BASE_URL,
        cacheSeconds: 60,
        maxConcurrentChecks: 2,
        maxWaitingUnseen: 4,
      });
      const slow = slowIam(300);
      const hits = () => stack.twilio.control.faults().find((fault) => fault.id === slow)?.hits ?? 0;
      try {
        const outcomes = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            validator.validate(forged(`budget-${i}`), `198.18.8.${i}`).then(
              () => 'valid',
              (error: unknown) => (error as { code?: string }).code ?? 'unknown',
            ),
          ),
        );
        // One call in flight for unseen tokens (one kept for agents), four waiting; the rest shed.
        expect(outcomes.filter((code) => code === 'invalid_token')).toHaveLength(5);
        expect(outcomes.filter((code) => code === 'token_validation_unavailable')).toHaveLength(25);
        expect(hits()).toBe(5);
      } finally {
        stack.twilio.control.removeFault(slow);
      }
    });
  });
});
