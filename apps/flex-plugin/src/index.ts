import { loadPlugin } from '@twilio/flex-plugin';
import { FlexcordPlugin } from './flexcord-plugin.ts';

// The bundle's entry: Flex runs this script and `loadPlugin` hands the class to `Twilio.Flex.Plugins.init`.
loadPlugin(FlexcordPlugin);
