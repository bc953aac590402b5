import type { FlexcordFeature } from '../../feature.ts';
import { addFiguresSideLink, addFiguresView } from './flex-hooks.tsx';

/** The team's figures, in a view of its own for supervisors and admins. */
export const supervisorFiguresFeature: FlexcordFeature = {
  name: 'supervisor-figures',
  register(flex, manager) {
    addFiguresView(flex, manager);
    addFiguresSideLink(flex, manager);
  },
};
