import { Flex } from './flex.ts';
import {
  type HostMessage,
  type HostTaskInput,
  type RecordedAction,
  type SendMessageHook,
  toHostTask,
} from './host-state.ts';
import { manager, hostState as state } from './runtime.ts';

/** The embedding page's API: everything the host shows comes from here, nothing is scripted. */
export const FlexHost = {
  Flex,
  manager,

  /** Replaces the agent's tasks; the first one is selected when none is. */
  setTasks(tasks: HostTaskInput[]): void {
    state.update((s) => {
      s.tasks = tasks.map(toHostTask);
      if (!s.tasks.some((task) => task.sid === s.selectedTaskSid))
        s.selectedTaskSid = s.tasks[0]?.sid ?? null;
    });
  },
  /** Adds a task, or updates the one with the same `sid` (e.g. new attributes). */
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
  selectedTaskSid(): string | null {
    return state.selectedTaskSid;
  },

  /** Sets `manager.user.token` and emits `tokenUpdated`, as Flex does when it refreshes the token. */
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
  /** Merges into `manager.serviceConfiguration` (e.g. `{ ui_attributes: { … } }`). */
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
  /**
   * What Send does with the reply box: call `hook` (the sandbox posts to its backend, then adds the
   * message back with `addMessage`). With no hook, the message is shown locally.
   */
  onSendMessage(hook: SendMessageHook | null): void {
    state.sendMessageHook = hook;
  },
  inputText(conversationSid: string): string {
    return state.conversationInput[conversationSid]?.inputText ?? '';
  },

  /** Loads a plugin bundle with a `<script>` tag, like Flex; resolves once the script has run. */
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
  /** Every `Actions.invokeAction` call so far, oldest first. */
  actions(name?: string): RecordedAction[] {
    return state.actions.filter((action) => name === undefined || action.name === name);
  },
};

/** `window.FlexHost`: the embedding page's handle on the host. */
export type FlexHostApi = typeof FlexHost;

declare global {
  interface Window {
    FlexHost?: FlexHostApi;
    /** Set by the host page of `flexHostPage()`: settles once its plugins have loaded. */
    flexHostReady?: Promise<void>;
  }
}
