import type { FlexcordFeature } from '../../feature.ts';
import { registerOpenCaseAction } from './case-desk-selection.ts';
import { addCasesSideLink, addCasesView } from './flex-hooks.tsx';

/** Every case, listed, filtered and searched in a view of its own, each opening in the case panel. */
export const caseDeskFeature: FlexcordFeature = {
  name: 'case-desk',
  register(flex, manager) {
    addCasesView(flex, manager);
    addCasesSideLink(flex);
    registerOpenCaseAction(flex);
  },
};
