import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { CANNED_STRINGS } from './canned-strings.ts';
import { addCannedRepliesSideLink, addCannedRepliesView } from './flex-hooks.tsx';

/** Managing canned replies: shared ones for supervisors, personal ones for every agent. */
export const cannedRepliesFeature: FlexcordFeature = {
  name: 'canned-replies',
  register(flex, manager) {
    registerStrings(manager, CANNED_STRINGS);
    addCannedRepliesView(flex, manager);
    addCannedRepliesSideLink(flex, manager);
  },
};
