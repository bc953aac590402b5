import type { FlexcordFeature } from '../../feature.ts';
import { addKbButtonToMessageInputActions } from './flex-hooks.tsx';

/** Knowledge-base answers, searched as the agent types and put into the reply box. */
export const kbInsertFeature: FlexcordFeature = {
  name: 'kb-insert',
  register(flex, manager) {
    addKbButtonToMessageInputActions(flex, manager);
  },
};
