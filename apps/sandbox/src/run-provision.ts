import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalStack } from '@flexcord/testkit';
import { REPO_ROOT } from './config.ts';

const run = promisify(execFile);

/**
 * Runs one part of going live against the Twilio emulator exactly as a brand runs it — `npm run
 * provision -- --only <part> --yes` in its own process, with a throwaway `.env` to write into — and
 * returns what it printed.
 */
export async function provisionPart(
  local: LocalStack,
  part: 'plugin' | 'topics',
  env: Record<string, string> = {},
): Promise<string> {
  const { twilio } = local;
  const envFile = join(mkdtempSync(join(tmpdir(), `flexcord-sandbox-${part}-`)), '.env');
  writeFileSync(envFile, '');
  const args = ['run', '--silent', 'provision', '-w', '@flexcord/bridge', '--'];
  const { stdout } = await run('npm', [...args, '--only', part, '--yes', '--env-file', envFile], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_API_BASE_URL: twilio.url,
      ...env,
    },
    maxBuffer: 4 * 1024 * 1024,
  });
  return stdout;
}
