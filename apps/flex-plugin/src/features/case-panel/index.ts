import { NOTICE_STRINGS, registerNotifications } from '../../agent/notifications.ts';
import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { CASE_STRINGS } from '../../shared/case/case-strings.ts';
import { addCasePanelToCrmContainer, completeTaskThroughWrapUp } from './flex-hooks.tsx';

/** The case behind a task, and the agent's controls for it, beside the chat. */
export const casePanelFeature: FlexcordFeature = {
  name: 'case-panel',
  register(flex, manager) {
    registerStrings(manager, CASE_STRINGS);
    registerStrings(manager, NOTICE_STRINGS);
    registerNotifications(flex);
    addCasePanelToCrmContainer(flex, manager);
    completeTaskThroughWrapUp(flex);
  },
};
