import type { FlexcordFeature } from '../../feature.ts';
import { addCasePanelToCrmContainer } from './flex-hooks.tsx';

/** The case behind a task, and the agent's controls for it, beside the chat. */
export const casePanelFeature: FlexcordFeature = {
  name: 'case-panel',
  register(flex, manager) {
    addCasePanelToCrmContainer(flex, manager);
  },
};
