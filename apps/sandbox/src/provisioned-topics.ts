import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalStack } from '@flexcord/testkit';
import { REPO_ROOT } from './config.ts';

const run = promisify(execFile);

/**
 * Writes the help topics' queues and workflow filters into the Twilio emulator exactly as going
 * live does — `npm run provision -- --only topics` in its own process, with `HELP_TOPICS` set to
 * `topicsFile` — so a topic's chat reaches Flex routed by its filter.
 */
export async function provisionTopics(
  local: LocalStack,
  topicsFile: string,
  log: (line: string) => void,
): Promise<void> {
  const { twilio } = local;
  const envFile = join(mkdtempSync(join(tmpdir(), 'flexcord-sandbox-topics-')), '.env');
  writeFileSync(envFile, '');
  const { stdout } = await run(
    'npm',
    [
      'run',
      '--silent',
      'provision',
      '-w',
      '@flexcord/bridge',
      '--',
      '--only',
      'topics',
      '--yes',
      '--env-file',
      envFile,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_API_BASE_URL: twilio.url,
        HELP_TOPICS: topicsFile,
      },
      maxBuffer: 4 * 1024 * 1024,
    },
  );
  const filters = stdout.split('\n').find((line) => line.includes('help topic filters'));
  if (filters) log(filters.trim());
}
