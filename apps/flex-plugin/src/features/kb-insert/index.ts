import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { addKbButtonToMessageInputActions } from './flex-hooks.tsx';
import { KB_INSERT_STRINGS } from './kb-insert-strings.ts';

/** Canned replies and knowledge-base answers, searched as the agent types and put into the reply box. */
export const kbInsertFeature: FlexcordFeature = {
  name: 'kb-insert',
  register(flex, manager) {
    registerStrings(manager, KB_INSERT_STRINGS);
    addKbButtonToMessageInputActions(flex, manager);
  },
};
