import type { Manager } from '@twilio/flex-ui';
import { StringsContext, translator } from '../../agent/strings.ts';
import { type FlexApi, useFlexToken } from '../../agent/with-flex-agent-context.tsx';
import { flexcordApiUrl } from '../../config.ts';
import { FIGURES_STRINGS } from './figures-strings.ts';
import { FiguresView } from './figures-view.tsx';

/** The Flex view of the team's figures (`NavigateToView` takes this name). */
export const FIGURES_VIEW = 'flexcord-figures';
/** The Flex roles the view is offered to (the bridge checks the token's roles on every call). */
const SUPERVISOR_ROLES = ['supervisor', 'admin'];

/** Whether the signed-in Flex user is a supervisor or an admin (`manager.user.roles`). */
export function isSupervisor(manager: Manager): boolean {
  const roles = (manager.user as { roles?: string[] }).roles ?? [];
  return roles.some((role) => SUPERVISOR_ROLES.includes(role));
}

function FlexFiguresView({ manager }: { manager: Manager }) {
  const token = useFlexToken(manager);
  return (
    <StringsContext.Provider value={manager.strings as unknown as Record<string, string>}>
      <FiguresView desk={{ token, apiBaseUrl: flexcordApiUrl(manager) }} />
    </StringsContext.Provider>
  );
}

/**
 * Adds the figures view to Flex's view collection, for supervisors and admins.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/v2/components (ViewCollection, View)
 */
export function addFiguresView(flex: FlexApi, manager: Manager): void {
  flex.ViewCollection.Content.add(
    <flex.View name={FIGURES_VIEW} key="flexcord-figures-view">
      <FlexFiguresView manager={manager} />
    </flex.View>,
    { if: () => isSupervisor(manager) },
  );
}

function FiguresSideLink({ flex, label, activeView }: { flex: FlexApi; label: string; activeView?: string }) {
  return (
    <flex.SideLink
      showLabel
      icon="Insights"
      iconActive="InsightsBold"
      isActive={activeView === FIGURES_VIEW}
      onClick={() => void flex.Actions.invokeAction('NavigateToView', { viewName: FIGURES_VIEW })}
    >
      {label}
    </flex.SideLink>
  );
}

export function addFiguresSideLink(flex: FlexApi, manager: Manager): void {
  const t = translator(manager.strings as unknown as Record<string, string>, FIGURES_STRINGS);
  flex.SideNav.Content.add(
    <FiguresSideLink key="flexcord-figures-side-link" flex={flex} label={t('FlexcordFiguresNav')} />,
    { if: () => isSupervisor(manager) },
  );
}
