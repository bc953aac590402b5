import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { AUDIT_STRINGS } from './audit-strings.ts';
import { addAuditSideLink, addAuditView } from './flex-hooks.tsx';

/** The audit log of staff actions on cases, in a view of its own for supervisors and admins. */
export const supervisorAuditFeature: FlexcordFeature = {
  name: 'supervisor-audit',
  register(flex, manager) {
    registerStrings(manager, AUDIT_STRINGS);
    addAuditView(flex, manager);
    addAuditSideLink(flex, manager);
  },
};
