import { NOTICE_STRINGS, registerNotifications } from '../../agent/notifications.ts';
import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { CASE_STRINGS } from '../../shared/case/case-strings.ts';
import { registerOpenCaseAction } from './case-desk-selection.ts';
import { DESK_STRINGS } from './desk-strings.ts';
import { addCasesSideLink, addCasesView } from './flex-hooks.tsx';

/** Every case, listed, filtered and searched in a view of its own, each opening in the case panel. */
export const caseDeskFeature: FlexcordFeature = {
  name: 'case-desk',
  register(flex, manager) {
    registerStrings(manager, CASE_STRINGS);
    registerStrings(manager, NOTICE_STRINGS);
    registerNotifications(flex);
    registerStrings(manager, DESK_STRINGS);
    addCasesView(flex, manager);
    addCasesSideLink(flex, manager);
    registerOpenCaseAction(flex);
  },
};
