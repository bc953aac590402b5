import type { Manager } from '@twilio/flex-ui';
import { StringsContext, translator } from '../../agent/strings.ts';
import { type FlexApi, useFlexToken } from '../../agent/with-flex-agent-context.tsx';
import { flexcordApiUrl } from '../../config.ts';
import { AUDIT_STRINGS } from './audit-strings.ts';
import { AuditView } from './audit-view.tsx';

/** The Flex view of the audit log (`NavigateToView` takes this name). */
export const AUDIT_VIEW = 'flexcord-audit';
/** The Flex roles the view is offered to (the bridge checks the token's roles on every call). */
const SUPERVISOR_ROLES = ['supervisor', 'admin'];

/** Whether the signed-in Flex user is a supervisor or an admin (`manager.user.roles`). */
export function isSupervisor(manager: Manager): boolean {
  const roles = (manager.user as { roles?: string[] }).roles ?? [];
  return roles.some((role) => SUPERVISOR_ROLES.includes(role));
}

function FlexAuditView({ manager }: { manager: Manager }) {
  const token = useFlexToken(manager);
  return (
    <StringsContext.Provider value={manager.strings as unknown as Record<string, string>}>
      <AuditView desk={{ token, apiBaseUrl: flexcordApiUrl(manager) }} />
    </StringsContext.Provider>
  );
}

/**
 * Adds the audit view to Flex's view collection, for supervisors and admins.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/v2/components (ViewCollection, View)
 */
export function addAuditView(flex: FlexApi, manager: Manager): void {
  flex.ViewCollection.Content.add(
    <flex.View name={AUDIT_VIEW} key="flexcord-audit-view">
      <FlexAuditView manager={manager} />
    </flex.View>,
    { if: () => isSupervisor(manager) },
  );
}

function AuditSideLink({ flex, label, activeView }: { flex: FlexApi; label: string; activeView?: string }) {
  return (
    <flex.SideLink
      showLabel
      icon="Supervisor"
      iconActive="SupervisorBold"
      isActive={activeView === AUDIT_VIEW}
      onClick={() => void flex.Actions.invokeAction('NavigateToView', { viewName: AUDIT_VIEW })}
    >
      {label}
    </flex.SideLink>
  );
}

export function addAuditSideLink(flex: FlexApi, manager: Manager): void {
  const t = translator(manager.strings as unknown as Record<string, string>, AUDIT_STRINGS);
  flex.SideNav.Content.add(
    <AuditSideLink key="flexcord-audit-side-link" flex={flex} label={t('FlexcordAuditNav')} />,
    { if: () => isSupervisor(manager) },
  );
}
