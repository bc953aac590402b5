import type { Manager } from '@twilio/flex-ui';
import { StringsContext, translator } from '../../agent/strings.ts';
import { type FlexApi, useFlexToken } from '../../agent/with-flex-agent-context.tsx';
import { flexcordApiUrl } from '../../config.ts';
import { CannedRepliesView } from './canned-replies-view.tsx';
import { CANNED_STRINGS } from './canned-strings.ts';

/** The Flex view of canned replies (`NavigateToView` takes this name). */
export const CANNED_REPLIES_VIEW = 'flexcord-canned-replies';

function FlexCannedRepliesView({ manager }: { manager: Manager }) {
  const token = useFlexToken(manager);
  return (
    <StringsContext.Provider value={manager.strings as unknown as Record<string, string>}>
      <CannedRepliesView desk={{ token, apiBaseUrl: flexcordApiUrl(manager) }} />
    </StringsContext.Provider>
  );
}

/**
 * Adds the canned replies view to Flex's view collection, for every agent: supervisors manage the
 * shared replies there, and everyone their personal ones.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/v2/components (ViewCollection, View)
 */
export function addCannedRepliesView(flex: FlexApi, manager: Manager): void {
  flex.ViewCollection.Content.add(
    <flex.View name={CANNED_REPLIES_VIEW} key="flexcord-canned-replies-view">
      <FlexCannedRepliesView manager={manager} />
    </flex.View>,
  );
}

function CannedSideLink({ flex, label, activeView }: { flex: FlexApi; label: string; activeView?: string }) {
  return (
    <flex.SideLink
      showLabel
      icon="Bulb"
      iconActive="BulbBold"
      isActive={activeView === CANNED_REPLIES_VIEW}
      onClick={() => void flex.Actions.invokeAction('NavigateToView', { viewName: CANNED_REPLIES_VIEW })}
    >
      {label}
    </flex.SideLink>
  );
}

export function addCannedRepliesSideLink(flex: FlexApi, manager: Manager): void {
  const t = translator(manager.strings as unknown as Record<string, string>, CANNED_STRINGS);
  flex.SideNav.Content.add(
    <CannedSideLink key="flexcord-canned-replies-side-link" flex={flex} label={t('FlexcordCannedNav')} />,
  );
}
