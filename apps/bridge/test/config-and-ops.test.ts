import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { eventually } from '@flexcord/testkit';
import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { KbService } from '../src/domain/kb/kb-service.ts';
import { openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { createLogger, redactSecrets } from '../src/infrastructure/logger.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

const VALID = {
  PUBLIC_BASE_URL: 'https://flexcord.example.com',
  DISCORD_TOKEN: 'bot-token-value',
  DISCORD_APPLICATION_ID: '123456789012345678',
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth-token-value-0123456789',
  TWILIO_CONVERSATIONS_SERVICE_SID: `IS${'b'.repeat(32)}`,
  TWILIO_STUDIO_FLOW_SID: `FW${'c'.repeat(32)}`,
};

describe('configuration', () => {
  it('reads a valid environment with defaults for the real APIs', () => {
    const config = loadConfig(VALID);
    expect(config).toMatchObject({
      PORT: 3000,
      DISCORD_API_URL: 'https://discord.com/api',
      TWILIO_API_BASE_URL: 'https://twilio.com',
    });
  });

  it('stops with a message naming every bad or missing variable', () => {
    const { DISCORD_TOKEN: _missing, ...rest } = VALID;
    let error: unknown;
    try {
      loadConfig({ ...rest, TWILIO_ACCOUNT_SID: 'nope', PORT: '99999' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, issues } = error as ConfigError;
    expect(issues.map((issue) => issue.variable).sort()).toEqual([
      'DISCORD_TOKEN',
      'PORT',
      'TWILIO_ACCOUNT_SID',
    ]);
    expect(message).toContain('TWILIO_ACCOUNT_SID: must be an AC… account SID');
    // The message names variables, never their values.
    expect(message).not.toContain('auth-token-value');
  });
});

describe('logging', () => {
  it('never writes a secret, wherever it sits in a log object', () => {
    let written = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ config: loadConfig(VALID) }, 'starting');
    logger.info(
      { req: { headers: { authorization: 'Bearer flex-token-xyz', 'x-twilio-signature': 'sig==' } } },
      'request',
    );
    logger.info({ token: 'flex-token-xyz', nested: { authToken: 'auth-token-value-0123456789' } }, 'values');
    expect(written).toContain('starting');
    for (const secret of ['bot-token-value', 'auth-token-value', 'flex-token-xyz', 'sig==']) {
      expect(written).not.toContain(secret);
    }
  });
});

describe('logging errors that carry credentials', () => {
  const sid = VALID.TWILIO_ACCOUNT_SID;
  const authToken = VALID.TWILIO_AUTH_TOKEN;
  const botToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.bot-token-secret-part';
  const ingestSecret = 'ingest-secret-0123456789-0123456789-abc';
  const flexToken = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZGVudGl0eSI6ImRhbmEifQ.c2lnbmF0dXJlLXZhbHVl';
  const basic = Buffer.from(`${sid}:${authToken}`).toString('base64');

  const capture = () => {
    let written = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    return { logger: createLogger('trace', sink), written: () => written };
  };
  const expectClean = (written: string) => {
    for (const secret of [authToken, botToken, ingestSecret, flexToken, basic, basic.slice(0, 24)]) {
      expect(written).not.toContain(secret);
    }
    expect(written).not.toMatch(/(Basic|Bearer|Bot)\s+[A-Za-z0-9+/=._-]{12,}/);
  };

  it('strips the Basic credentials from a real twilio-node network error (config and request._header)', async () => {
    const hangUp = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
    const port = (hangUp.address() as { port: number }).port;
    const client = twilio(sid, authToken, twilioClientOptions(`http://127.0.0.1:${port}`));
    const error = await client.conversations.v1
      .conversations(`CH${'0'.repeat(32)}`)
      .fetch()
      .catch((caught: unknown) => caught);
    hangUp.close();
    // The shape the issue found: the credentials in the request's raw header text.
    expect(String((error as { request?: { _header?: string } }).request?._header)).toContain(
      basic.slice(0, 24),
    );
    const { logger, written } = capture();
    logger.error({ err: error, conversationSid: 'CH1' }, 'catch-up of a conversation failed');
    logger.error(error, 'request failed');
    expect(written()).toContain('socket hang up');
    expectClean(written());
  });

  it('strips tokens wherever they are nested, and the configured secrets by value', () => {
    redactSecrets([authToken, botToken, ingestSecret]);
    const { logger, written } = capture();
    const error = Object.assign(new Error(`validation failed for ${flexToken}`), {
      config: {
        auth: { username: sid, password: authToken },
        headers: { Authorization: `Bearer ${flexToken}`, 'X-Twilio-Signature': 'c2lnbmF0dXJl' },
      },
      request: { _header: `POST /v1 HTTP/1.1\r\nAuthorization: Bot ${botToken}\r\n\r\n` },
      cause: new Error('inner failure', {
        cause: { url: `https://${sid}:${authToken}@conversations.twilio.com/v1` },
      }),
    });
    logger.warn({ err: error }, 'nested');
    logger.warn({ attempts: [{ response: { data: { token: flexToken } } }] }, 'in a list');
    logger.info({ databaseUrl: 'postgres://flexcord:db-password-123@db.internal:5432/flexcord' }, 'url');
    logger.error(new Error(`the ingest secret ${ingestSecret} was refused; bot ${botToken}`), 'by value');
    logger.info(`a message naming ${authToken}`);
    const out = written();
    expectClean(out);
    expect(out).not.toContain('db-password-123');
    // What helps to debug stays.
    for (const kept of [
      'validation failed for',
      'inner failure',
      'db.internal',
      'conversations.twilio.com',
      'was refused',
    ]) {
      expect(out).toContain(kept);
    }
  });
});

describe('the KB folder', () => {
  it('is reloaded when an article is added, changed or removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-'));
    const article = (title: string) =>
      `---\ntitle: ${title}\nurl: https://support.example/articles/x\ntags: [test]\n---\nHow to calibrate the hyperdrive before a ranked match.\n`;
    writeFileSync(join(dir, 'hyperdrive.md'), article('Calibrate the hyperdrive'));
    const db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    const kb = new KbService(db, dir, quietLogger());
    await kb.reload();
    kb.watch();
    try {
      expect((await kb.search('hyperdrive calibration'))[0]?.title).toBe('Calibrate the hyperdrive');
      writeFileSync(
        join(dir, 'warp.md'),
        article('Warp drive overheating').replace('hyperdrive', 'warp drive'),
      );
      await eventually(
        async () => (await kb.search('warp drive'))[0]?.title === 'Warp drive overheating',
        'the new article',
      );
      writeFileSync(join(dir, 'hyperdrive.md'), article('Hyperdrive calibration guide'));
      await eventually(
        async () => (await kb.search('hyperdrive'))[0]?.title === 'Hyperdrive calibration guide',
        'the edit',
      );
    } finally {
      kb.close();
      await db.close();
    }
  });
});
