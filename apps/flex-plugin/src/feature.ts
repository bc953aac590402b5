import type { Manager } from '@twilio/flex-ui';
import type { FlexApi } from './agent/with-flex-agent-context.tsx';

/**
 * One feature of the plugin (`src/features/<name>/`): `register` calls the feature's Flex hooks —
 * named functions that each add one thing to Flex (a task channel, a tab, a button, strings).
 */
export interface FlexcordFeature {
  readonly name: string;
  register(flex: FlexApi, manager: Manager): void;
}
