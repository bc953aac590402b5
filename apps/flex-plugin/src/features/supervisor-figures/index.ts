import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { CASE_STRINGS } from '../../shared/case/case-strings.ts';
import { FIGURES_STRINGS } from './figures-strings.ts';
import { addFiguresSideLink, addFiguresView } from './flex-hooks.tsx';
import { LEARNED_PHRASINGS_STRINGS } from './learned-phrasings-strings.ts';

/** The team's figures, in a view of its own for supervisors and admins. */
export const supervisorFiguresFeature: FlexcordFeature = {
  name: 'supervisor-figures',
  register(flex, manager) {
    registerStrings(manager, CASE_STRINGS);
    registerStrings(manager, FIGURES_STRINGS);
    registerStrings(manager, LEARNED_PHRASINGS_STRINGS);
    addFiguresView(flex, manager);
    addFiguresSideLink(flex, manager);
  },
};
