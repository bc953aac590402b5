import {
  AgentDesktopView,
  applyProviders,
  CRMContainer,
  MessageBubble,
  MessageInputActions,
  Tab,
  TaskCanvas,
  TaskCanvasHeader,
  TaskCanvasTabs,
  TaskInfoPanel,
  withTaskContext,
} from './components.tsx';
import {
  Actions,
  hostState,
  manager,
  Notifications,
  type ProviderComponent,
  providers,
  type RootWrapper,
  TaskChannels,
  TaskContext,
} from './runtime.ts';
import { createChatTaskChannel } from './task-channels.tsx';
import { SideLink, SideNav, View, ViewCollection } from './views.tsx';

interface PluginInstance {
  name?: string;
  init(flex: unknown, manager: unknown): unknown;
}

/**
 * The stand-in for `window.Twilio.Flex`: what a plugin's `init(flex, manager)` uses, each part
 * rendering or recording for real in the host page.
 */
export const Flex = {
  VERSION: '2.17.1-flex-host',
  Plugins: {
    /** What `loadPlugin(C)` calls: instantiates the plugin class and runs its `init(flex, manager)`. */
    init(PluginClass: new () => PluginInstance): void {
      try {
        const plugin = new PluginClass();
        const name = plugin.name ?? PluginClass.name;
        Promise.resolve(plugin.init(Flex, manager)).catch((error: unknown) => hostState.reportError(error));
        hostState.update((s) => {
          s.plugins = [...s.plugins, name];
        });
        manager.events.emit('pluginsInitialized');
      } catch (error) {
        hostState.reportError(error);
      }
    },
  },
  TaskChannels,
  DefaultTaskChannels: {
    createChatTaskChannel,
    Chat: createChatTaskChannel({ name: 'chat', isApplicable: () => true }),
  },
  Manager: { getInstance: () => manager, events: manager.events },
  Actions,
  Notifications,
  NotificationType: { info: 'info', success: 'success', warning: 'warning', error: 'error' },
  TaskContext,
  withTaskContext,
  Tab,
  CRMContainer,
  TaskInfoPanel,
  MessageInputActions,
  MessageBubble,
  TaskCanvasTabs,
  TaskCanvasHeader,
  TaskCanvas,
  AgentDesktopView,
  ViewCollection,
  View,
  SideNav,
  SideLink,
  setProviders(value: { PasteThemeProvider?: ProviderComponent; CustomProvider?: RootWrapper }): void {
    if (value.PasteThemeProvider) providers.PasteThemeProvider = value.PasteThemeProvider;
    if (value.CustomProvider) providers.CustomProvider = value.CustomProvider;
    applyProviders();
  },
};
