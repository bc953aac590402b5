import type { LocalStack } from '@flexcord/testkit';
import { emulatedRuntimeUrl } from '@flexcord/twilio-emulator';
import { provisionPart } from './run-provision.ts';

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
  const stdout = await provisionPart(local, 'plugin');
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
