import { Children, isValidElement, type ReactElement, type ReactNode, useEffect, useReducer } from 'react';
import { ContentStore } from './content-store.ts';
import { flexIcon } from './flex-icons.tsx';
import { Actions, hostState } from './runtime.ts';

/**
 * Flex's views and side navigation: `ViewCollection.Content` holds `<View name=…>`s (the agent
 * desktop is the default one), `SideNav.Content` holds `<SideLink>`s, and the `NavigateToView`
 * action switches the view on show. As in Flex, SideNav children get `activeView` as a prop and a
 * `View` is mounted while it is active (`keepMounted` keeps it once shown).
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/v2/components (ViewCollection, SideNav, View)
 */

export const AGENT_DESKTOP_VIEW = 'agent-desktop';

/** The props SideNav children receive, as Flex's `SideNavChildrenProps`. */
export interface SideNavChildrenProps {
  activeView?: string;
  isOpen?: boolean;
  reserveSpace?: boolean;
}

function useHostChanges(): void {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => hostState.changes.subscribe(rerender), []);
}

export interface ViewProps {
  name: string;
  className?: string;
  children?: ReactNode;
  keepMounted?: boolean;
}

/** Flex's `View`: a named page of the view collection. */
export function View({ name, className, children }: ViewProps) {
  return (
    <div className={`fh-view ${className ?? ''}`} data-flex-view={name}>
      {children}
    </div>
  );
}

const viewContent = new ContentStore<Record<string, never>>('ViewCollection', hostState.changes);
const shownViews = new Set<string>();

/** Flex's `ViewCollection`: the active view, and those shown once with `keepMounted`. */
function ViewCollectionView({ desktop }: { desktop: ReactElement }) {
  useHostChanges();
  const active = hostState.activeView;
  shownViews.add(active);
  const views = viewContent.render({}, [
    <View key={AGENT_DESKTOP_VIEW} name={AGENT_DESKTOP_VIEW} keepMounted>
      {desktop}
    </View>,
  ]);
  return (
    <div className="fh-views" data-flex-component="ViewCollection">
      {views.map((element) => {
        const props = (isValidElement(element) ? element.props : {}) as Partial<ViewProps>;
        const name = props.name ?? '';
        const isActive = name === active;
        if (!isActive && !(props.keepMounted && shownViews.has(name))) return null;
        return (
          <div key={element.key ?? name} className="fh-view-slot" hidden={!isActive}>
            {element}
          </div>
        );
      })}
    </div>
  );
}
export const ViewCollection = Object.assign(ViewCollectionView, { Content: viewContent });

export interface SideLinkProps {
  icon?: ReactNode;
  iconActive?: ReactNode;
  showLabel?: boolean;
  isActive?: boolean;
  onClick?: () => void;
  activeView?: string;
  children?: ReactNode;
  'aria-label'?: string;
}

/** Flex's `SideLink`: a button in the side navigation, its icon (a Flex icon name, see {@link flexIcon}) and label. */
export function SideLink({ icon, iconActive, isActive, onClick, children, ...rest }: SideLinkProps) {
  const shown = isActive && iconActive !== undefined ? iconActive : icon;
  const label = Children.toArray(children).join('');
  return (
    <button
      type="button"
      className={`fh-side-link${isActive ? ' fh-active' : ''}`}
      aria-pressed={Boolean(isActive)}
      aria-label={rest['aria-label'] ?? label}
      title={label}
      onClick={onClick}
      data-flex-component="SideLink"
    >
      <span className="fh-side-icon">{typeof shown === 'string' ? flexIcon(shown) : shown}</span>
      <span className="fh-side-label">{children}</span>
    </button>
  );
}

const sideNavContent = new ContentStore<SideNavChildrenProps>('SideNav', hostState.changes);

function AgentDesktopLink({ activeView }: SideNavChildrenProps) {
  return (
    <SideLink
      icon="Agent"
      isActive={activeView === AGENT_DESKTOP_VIEW}
      onClick={() => void Actions.invokeAction('NavigateToView', { viewName: AGENT_DESKTOP_VIEW })}
    >
      Agent desktop
    </SideLink>
  );
}

/** Flex's `SideNav`: the agent desktop's link, then what plugins added. */
function SideNavView() {
  useHostChanges();
  return (
    <nav className="fh-side-nav" data-flex-component="SideNav" aria-label="Views">
      {sideNavContent.render({ activeView: hostState.activeView, isOpen: true, reserveSpace: false }, [
        <AgentDesktopLink key={AGENT_DESKTOP_VIEW} />,
      ])}
    </nav>
  );
}
export const SideNav = Object.assign(SideNavView, { Content: sideNavContent });

Actions.registerAction('NavigateToView', async (payload) => {
  const { viewName } = (payload ?? {}) as { viewName?: unknown };
  if (typeof viewName !== 'string' || !viewName) throw new Error('NavigateToView needs a viewName');
  hostState.update((s) => {
    s.activeView = viewName;
  });
});
