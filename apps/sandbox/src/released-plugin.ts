import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalStack } from '@flexcord/testkit';
import { emulatedRuntimeUrl } from '@flexcord/twilio-emulator';
import { REPO_ROOT } from './config.ts';

const run = promisify(execFile);

/** Where the agent desktop loads the plugin from: the URL Flex's active release names. */
export interface ReleasedPlugin {
  /** The release's `plugin_url` (`https://<domain>.twil.io/plugins/plugin-flexcord/<version>/bundle.js`). */
  pluginUrl: string;
  /** The same file on the Twilio emulator. */
  url: string;
  /** The asset is protected: Twilio serves it to Flex, the emulator to the account's credentials. */
  authorization: string;
  version: string;
}

/**
 * Releases the built plugin into the Twilio emulator exactly as going live does — `npm run
 * provision -- --only plugin` in its own process, against the emulator — and returns where the
 * active release says Flex loads it from.
 */
export async function releasePlugin(local: LocalStack, log: (line: string) => void): Promise<ReleasedPlugin> {
  const { twilio } = local;
  const envFile = join(mkdtempSync(join(tmpdir(), 'flexcord-sandbox-provision-')), '.env');
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
      'plugin',
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
      },
      maxBuffer: 4 * 1024 * 1024,
    },
  );
  const checksum = stdout.split('\n').find((line) => line.startsWith('Plugin bundle '));
  if (checksum) log(checksum);
  const api = local.client.flexApi.v1;
  const release = await api.pluginReleases('Active').fetch();
  const plugins = await api.pluginConfigurations(release.configurationSid).plugins.list();
  const ours = plugins.find((plugin) => plugin.uniqueName === 'plugin-flexcord');
  if (!ours)
    throw new Error('provisioning released no plugin-flexcord: see `npm run provision -- --only plugin`');
  return {
    pluginUrl: ours.pluginUrl,
    url: emulatedRuntimeUrl(twilio.url, ours.pluginUrl),
    authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
    version: ours.version,
  };
}
