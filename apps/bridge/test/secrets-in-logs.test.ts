import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BridgeProcess, eventually, startBridgeProcess } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSignature } from '../src/adapters/http/ingest-signature.ts';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const INGEST_SECRET = 'ingest-secret-for-the-log-test-0123456789abcdef';

/**
 * The bridge logging everything it can (LOG_LEVEL=trace) while Twilio's connections are cut and
 * Discord answers 5xx: its whole output holds none of the credentials it works with.
 */
describe('the bridge at LOG_LEVEL=trace, with network errors', () => {
  let stack: Stack;
  let bridge: BridgeProcess | null = null;
  let env: Record<string, string> = {};
  /** Everything every bridge process of this test wrote. */
  let output = '';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexcord-logs-'));
    const config = join(dir, 'announcements.json');
    stack = await startStack({ inProcessBridge: false });
    writeFileSync(
      config,
      JSON.stringify({
        channel: stack.discord.control.channel('announcements').id,
        ingest: { sources: ['status-page'] },
      }),
    );
    env = {
      ...stack.env,
      // On disk: the data outlives a restart of the bridge process.
      PGLITE_DIR: join(dir, 'pglite'),
      LOG_LEVEL: 'trace',
      ANNOUNCEMENTS_CONFIG: config,
      ANNOUNCEMENTS_INGEST_SECRET: INGEST_SECRET,
    };
    bridge = await startBridgeProcess({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...env } });
  }, 90_000);
  afterAll(async () => {
    await bridge?.kill();
    if (bridge) output += bridge.output();
    await stack?.stop();
  });

  it('writes none of the Twilio auth token, the bot token, the ingest secret or a Flex token', async () => {
    const { discord, twilio, config } = stack;
    const chat = await memberWithAgent(stack, 'pixelpat');
    const flexToken = twilio.control.issueFlexToken('Dana').token;
    // Network errors: Twilio cuts connections (messages, IAM), Discord fails a share of its calls.
    twilio.control.injectFault({ match: 'POST /conversations/v1/**', reset: true, times: 6 });
    twilio.control.injectFault({ match: 'POST /iam/**', reset: true, times: 2 });
    discord.control.faults.random({ percent: 20, seed: 3, status: 502, path: '/channels/**' });

    for (let i = 0; i < 5; i++) {
      discord.control.sendMessage({ user: 'pixelpat', content: `member ${i}` });
      twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: `agent ${i}` });
    }
    const api = (token: string) =>
      fetch(`${config.PUBLIC_BASE_URL}/api/cases?conversationSid=${chat.conversationSid}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await api(flexToken)).status).toBe(503); // IAM unreachable
    expect([200, 503]).toContain((await api(flexToken)).status);
    expect((await api(`${flexToken.slice(0, -4)}abcd`)).status).toBe(401);
    const body = JSON.stringify({ source: 'status-page', id: 'incident-1', title: 'All good again' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    for (const secret of [INGEST_SECRET, 'not-the-secret']) {
      await fetch(`${config.PUBLIC_BASE_URL}/ingest/announcements`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-flexcord-timestamp': timestamp,
          'x-flexcord-signature': ingestSignature(secret, timestamp, body),
        },
        body,
      });
    }
    await eventually(
      () => conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`).includes('member 4'),
      'the member messages at the agent',
      60_000,
    );
    await eventually(() => botDm(stack, 'pixelpat').includes('agent 4'), 'the agent messages', 60_000);
    // A restart whose catch-up reads the Conversation while Twilio cuts the connection: twilio-node's
    // error (its request config and raw request text carry the Basic credential) is logged.
    await bridge!.kill();
    output += bridge!.output();
    twilio.control.injectFault({ match: 'GET /conversations/v1/**', reset: true, times: 3 });
    bridge = await startBridgeProcess({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...env } });
    twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'after the restart' });
    await eventually(
      () => botDm(stack, 'pixelpat').includes('after the restart'),
      'the agent message',
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const log = output + bridge!.output();
    // It did log, at length, and the network errors with it.
    expect(log).toContain('bridge started');
    expect(log).toMatch(/socket hang up|ECONNRESET|other side closed|fetch failed/);
    expect(log).toContain('catch-up of a conversation failed');
    const basic = Buffer.from(`${config.TWILIO_ACCOUNT_SID}:${config.TWILIO_AUTH_TOKEN}`).toString('base64');
    for (const [name, secret] of [
      ['the Twilio auth token', config.TWILIO_AUTH_TOKEN],
      ["Twilio's Basic credential", basic],
      ['the Discord bot token', config.DISCORD_TOKEN],
      ['the ingest secret', INGEST_SECRET],
      ['a Flex token', flexToken],
    ] as const) {
      expect(log.includes(secret), `${name} is in the log`).toBe(false);
    }
  }, 120_000);
});
