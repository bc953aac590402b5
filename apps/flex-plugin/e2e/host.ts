import { fileURLToPath } from 'node:url';
import { type FlexHostServer, startFlexHostServer } from '@flexcord/flex-host';

export const PLUGIN_URL = '/plugins/plugin-flexcord.js';

const bundle = fileURLToPath(new URL('../build/plugin-flexcord.js', import.meta.url));

/** Serves the Flex host page with the built plugin bundle, loaded the way Flex loads it. */
export function startPluginHost(): Promise<FlexHostServer> {
  return startFlexHostServer({
    title: 'Flexcord plugin in the Flex host',
    pluginUrls: [PLUGIN_URL],
    files: { [PLUGIN_URL]: bundle, [`${PLUGIN_URL}.map`]: `${bundle}.map` },
  });
}
