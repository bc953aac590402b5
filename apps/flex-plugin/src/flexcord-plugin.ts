import { FlexPlugin } from '@twilio/flex-plugin';
import type { Manager } from '@twilio/flex-ui';
import { CustomizationProvider } from '@twilio-paste/core/customization';
import { isFeatureEnabled } from './agent/feature-flags.ts';
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

/**
 * Paste takes Flex's theme through the plugin's own `CustomizationProvider`; then each feature that
 * the Flex configuration has not switched off registers (`ui_attributes.flexcord_features`).
 */
export function registerFlexcord(flex: FlexApi, manager: Manager, list: readonly FlexcordFeature[]): void {
  flex.setProviders({ PasteThemeProvider: CustomizationProvider });
  for (const feature of list) if (isFeatureEnabled(manager, feature.name)) feature.register(flex, manager);
}
