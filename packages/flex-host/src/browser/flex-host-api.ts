import type { FlexHostApi } from '../api.ts';
import { Flex } from './flex.ts';
import {
  type HostMessage,
  type HostTaskInput,
  type HostWorker,
  type RecordedAction,
  type SendMediaHook,
  type SendMessageHook,
  toHostTask,
} from './host-state.ts';
import { Actions, manager, hostState as state } from './runtime.ts';

/** The implementation of `window.FlexHost` (see {@link FlexHostApi}). */
export const FlexHost: FlexHostApi = {
  Flex,
  manager,

  setTasks(tasks: HostTaskInput[]): void {
    state.update((s) => {
      s.tasks = tasks.map(toHostTask);
      if (!s.tasks.some((task) => task.sid === s.selectedTaskSid))
        s.selectedTaskSid = s.tasks[0]?.sid ?? null;
    });
  },
  upsertTask(task: HostTaskInput): void {
    const next = toHostTask(task);
    state.update((s) => {
      s.tasks = s.tasks.some((t) => t.sid === next.sid)
        ? s.tasks.map((t) => (t.sid === next.sid ? next : t))
        : [...s.tasks, next];
      s.selectedTaskSid ??= next.sid;
    });
  },
  removeTask(sid: string): void {
    state.update((s) => {
      s.tasks = s.tasks.filter((task) => task.sid !== sid);
      if (s.selectedTaskSid === sid) s.selectedTaskSid = s.tasks[0]?.sid ?? null;
    });
  },
  selectTask(sid: string): Promise<unknown> {
    return Flex.Actions.invokeAction('SelectTask', { taskSid: sid });
  },
  /** Show a view (through the `NavigateToView` action, like a click in the side navigation). */
  navigate(viewName: string): Promise<unknown> {
    return Actions.invokeAction('NavigateToView', { viewName });
  },
  activeView(): string {
    return state.activeView;
  },
  selectedTaskSid(): string | null {
    return state.selectedTaskSid;
  },

  setToken(token: string): void {
    manager.user.token = token;
    manager.events.emit('tokenUpdated', {
      token,
      expiration: manager.user.tokenExpirationDate.toISOString(),
    });
  },
  setUser(user: { identity?: string; roles?: string[] }): void {
    if (user.identity) manager.user.identity = user.identity;
    if (user.roles) manager.user.roles = user.roles;
    state.changes.notify();
  },
  setWorker(worker: HostWorker | null): void {
    state.update((s) => {
      s.worker = worker;
    });
  },
  setServiceConfiguration(configuration: {
    ui_attributes?: Record<string, unknown>;
    [key: string]: unknown;
  }): void {
    const { ui_attributes, ...rest } = configuration;
    Object.assign(manager.serviceConfiguration, rest);
    Object.assign(manager.serviceConfiguration.ui_attributes, ui_attributes ?? {});
    state.changes.notify();
  },

  setMessages(conversationSid: string, messages: HostMessage[]): void {
    state.update((s) => {
      s.messages.set(conversationSid, [...messages]);
    });
  },
  addMessage(conversationSid: string, message: HostMessage): void {
    state.addMessage(conversationSid, message);
  },
  replaceMessage(conversationSid: string, message: HostMessage): void {
    state.replaceMessage(conversationSid, message);
  },
  removeMessage(conversationSid: string, messageSid: string): void {
    state.removeMessage(conversationSid, messageSid);
  },
  onSendMessage(hook: SendMessageHook | null): void {
    state.sendMessageHook = hook;
  },
  onSendMedia(hook: SendMediaHook | null): void {
    state.update((s) => {
      s.sendMediaHook = hook;
    });
  },
  inputText(conversationSid: string): string {
    return state.conversationInput[conversationSid]?.inputText ?? '';
  },

  loadPlugin(src: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = () => resolve();
      script.onerror = () => {
        const error = new Error(`could not load plugin ${src}`);
        state.reportError(error);
        reject(error);
      };
      document.head.appendChild(script);
    });
  },
  plugins(): string[] {
    return [...state.plugins];
  },
  errors(): string[] {
    return [...state.errors];
  },
  actions(name?: string): RecordedAction[] {
    return state.actions.filter((action) => name === undefined || action.name === name);
  },
};

declare global {
  interface Window {
    FlexHost?: FlexHostApi;
    /** Set by the host page of `flexHostPage()`: settles once its plugins have loaded. */
    flexHostReady?: Promise<void>;
  }
}
