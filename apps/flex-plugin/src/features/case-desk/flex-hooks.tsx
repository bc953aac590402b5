import type { Manager } from '@twilio/flex-ui';
import { StringsContext, translator } from '../../agent/strings.ts';
import { type FlexApi, useFlexToken } from '../../agent/with-flex-agent-context.tsx';
import { flexcordApiUrl } from '../../config.ts';
import { CaseDesk } from './case-desk.tsx';
import { CASES_VIEW } from './case-desk-selection.ts';
import { DESK_STRINGS } from './desk-strings.ts';

/** The desk with the agent's token (kept fresh) and the bridge's URL from Flex. */
function FlexCaseDesk({ manager }: { manager: Manager }) {
  const token = useFlexToken(manager);
  return (
    <StringsContext.Provider value={manager.strings as unknown as Record<string, string>}>
      <CaseDesk desk={{ token, apiBaseUrl: flexcordApiUrl(manager) }} />
    </StringsContext.Provider>
  );
}

/**
 * Adds the Cases view to Flex's view collection, as flex-project-template's features add theirs.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/v2/components (ViewCollection, View)
 */
export function addCasesView(flex: FlexApi, manager: Manager): void {
  flex.ViewCollection.Content.add(
    <flex.View name={CASES_VIEW} key="flexcord-cases-view">
      <FlexCaseDesk manager={manager} />
    </flex.View>,
  );
}

/** The side-nav link to the Cases view; Flex gives SideNav children the active view as a prop. */
function CasesSideLink({ flex, label, activeView }: { flex: FlexApi; label: string; activeView?: string }) {
  return (
    <flex.SideLink
      showLabel
      icon="Directory"
      iconActive="DirectoryBold"
      isActive={activeView === CASES_VIEW}
      onClick={() => void flex.Actions.invokeAction('NavigateToView', { viewName: CASES_VIEW })}
    >
      {label}
    </flex.SideLink>
  );
}

export function addCasesSideLink(flex: FlexApi, manager: Manager): void {
  const t = translator(manager.strings as unknown as Record<string, string>, DESK_STRINGS);
  flex.SideNav.Content.add(
    <CasesSideLink key="flexcord-cases-side-link" flex={flex} label={t('FlexcordDeskNav')} />,
  );
}
