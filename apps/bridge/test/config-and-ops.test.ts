import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { eventually } from '@flexcord/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { KbService } from '../src/kb/kb-service.ts';
import { createLogger } from '../src/logger.ts';
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
