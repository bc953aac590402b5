import { FlexPlugin } from '@twilio/flex-plugin';
import type { Manager } from '@twilio/flex-ui';
import { CustomizationProvider } from '@twilio-paste/core/customization';
import type { FlexApi } from './agent/with-flex-agent-context.tsx';
import type { FlexcordFeature } from './feature.ts';
import { features } from './features/index.ts';

export const PLUGIN_NAME = 'FlexcordPlugin';

/**
 * Flexcord in Flex: a Discord task channel, the case panel beside the chat, and knowledge-base
 * answers in the reply box. `init` only wires Paste to Flex's theme and registers the features.
 *
 * @see https://www.twilio.com/docs/flex/developer/plugins
 */
export class FlexcordPlugin extends FlexPlugin {
  constructor() {
    super(PLUGIN_NAME);
  }

  init(flex: FlexApi, manager: Manager): void {
    registerFlexcord(flex, manager, features);
  }
}

/** Paste takes Flex's theme through the plugin's own `CustomizationProvider`; then each feature registers. */
export function registerFlexcord(flex: FlexApi, manager: Manager, list: readonly FlexcordFeature[]): void {
  flex.setProviders({ PasteThemeProvider: CustomizationProvider });
  for (const feature of list) feature.register(flex, manager);
}
