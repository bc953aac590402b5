import { type ComponentType, createContext, type ReactNode } from 'react';
import { Emitter, type HostConversationState, HostState, type HostTask } from './host-state.ts';
import { TaskChannelRegistry } from './task-channels.tsx';
import { renderTemplate } from './templates.ts';

/**
 * The host's singletons — one page hosts one Flex, as `window.Twilio.Flex` is one object: the state,
 * the registries plugins write to, the `manager`, `Actions` and `Notifications`.
 */
export const hostState = new HostState();

export const TaskChannels = new TaskChannelRegistry(hostState.changes);

export interface TaskContextValue {
  task?: HostTask;
  /** The task's chat (`ConversationState`), as Flex's task context carries it. */
  conversation?: HostConversationState;
}

/** Flex's task context: the selected task, read by `withTaskContext`. */
export const TaskContext = createContext<TaskContextValue>({});

export type ProviderComponent = ComponentType<{ baseTheme?: string; children?: ReactNode }>;
export type RootWrapper = (root: ComponentType) => ComponentType;

/** What `setProviders` was given: Paste's `CustomizationProvider`, a custom root wrapper. */
export const providers: { PasteThemeProvider?: ProviderComponent; CustomProvider?: RootWrapper } = {};

/** The strings the host's own templates name; a plugin adds its own through `manager.strings`. */
const defaultStrings: Record<string, string> = {
  TaskHeaderLine: '{{task.defaultFrom}}',
  HostTaskLine: '{{task.queueName}} · {{task.status}}',
  TaskLineChatReserved: 'Incoming chat request',
  TaskTabHeaderChat: 'Chat',
  TaskTabHeaderInfo: 'Info',
};
let strings: Record<string, string> = { ...defaultStrings };

/** Flex's `Manager` instance, as far as plugins use it. */
export const manager = {
  user: {
    identity: 'agent',
    roles: ['agent'],
    token: '',
    tokenExpirationDate: new Date(Date.now() + 3_600_000),
    permissions: {},
  },
  /** The TaskRouter worker (`FlexHost.setWorker`), as Flex's `manager.workerClient`. */
  get workerClient() {
    return hostState.worker;
  },
  events: new Emitter(),
  get strings(): Record<string, string> {
    return strings;
  },
  set strings(value: Record<string, string>) {
    strings = { ...value };
    hostState.changes.notify();
  },
  store: {
    getState: () => ({
      flex: {
        chat: {
          conversationInput: hostState.conversationInput,
          conversations: hostState.conversationStates(),
        },
        view: { activeView: hostState.activeView },
      },
    }),
    dispatch: <A>(action: A): A => action,
    subscribe: (listener: () => void) => hostState.changes.subscribe(listener),
  },
  serviceConfiguration: { ui_attributes: {} } as {
    ui_attributes: Record<string, unknown>;
    [key: string]: unknown;
  },
  configuration: {},
};

/** Renders a template — a string key of `manager.strings`, else the template itself — for a context. */
export function stringText(code: string | undefined, context: unknown): string {
  return code === undefined ? '' : renderTemplate(strings[code] ?? code, context);
}

type ActionHandler = (payload: unknown) => Promise<unknown>;
type ActionReplacement = (payload: unknown, original: ActionHandler) => Promise<unknown>;

const actionEvents = new Emitter();
const replacedActions = new Map<string, ActionReplacement>();
const actionHandlers = new Map<string, ActionHandler>([
  [
    'SetInputText',
    async (payload) => {
      const { body, conversationSid, selectionStart, selectionEnd } = payload as {
        body: string;
        conversationSid: string;
        selectionStart?: number;
        selectionEnd?: number;
      };
      hostState.setInput(conversationSid, {
        inputText: body,
        ...(selectionStart === undefined ? {} : { selectionStart }),
        ...(selectionEnd === undefined ? {} : { selectionEnd }),
      });
    },
  ],
  [
    'SendMessage',
    async (payload) => {
      const { conversationSid, body } = payload as { conversationSid: string; body: string };
      if (!body.trim()) return;
      const task = hostState.tasks.find((t) => t.attributes.conversationSid === conversationSid) ?? null;
      if (hostState.sendMessageHook) {
        await hostState.sendMessageHook({ conversationSid, body, task });
      } else {
        hostState.addMessage(conversationSid, {
          sid: `local-${Date.now()}`,
          author: manager.user.identity,
          body,
          dateCreated: new Date().toISOString(),
          fromAgent: true,
        });
      }
      hostState.setInput(conversationSid, { inputText: '' });
    },
  ],
  [
    'SendMediaMessage',
    async (payload) => {
      const { conversationSid, file } = payload as { conversationSid: string; file: File };
      const task = hostState.tasks.find((t) => t.attributes.conversationSid === conversationSid) ?? null;
      if (!hostState.sendMediaHook) throw new Error('file attachments are not enabled');
      await hostState.sendMediaHook({ conversationSid, file, task });
    },
  ],
  [
    'SelectTask',
    async (payload) => {
      const { sid, taskSid } = payload as { sid?: string; taskSid?: string };
      hostState.update((s) => {
        s.selectedTaskSid = taskSid ?? sid ?? null;
      });
    },
  ],
]);

/** Flex's `Actions`: every call is recorded (`FlexHost.actions()`), then run like Flex would. */
export const Actions = {
  async invokeAction(name: string, payload: unknown = {}): Promise<unknown> {
    hostState.update((s) => {
      s.actions = [...s.actions, { name, payload: snapshot(payload), at: Date.now() }];
    });
    actionEvents.emit(`before${name}`, payload);
    const original = actionHandlers.get(name) ?? (async () => undefined);
    const replacement = replacedActions.get(name);
    const result = await (replacement ? replacement(payload, original) : original(payload));
    actionEvents.emit(`after${name}`, payload);
    return result;
  },
  addListener(event: string, listener: (payload: unknown) => void): void {
    actionEvents.addListener(event, (payload) => listener(payload));
  },
  removeAllListeners(event?: string): void {
    actionEvents.removeAllListeners(event);
  },
  registerAction(name: string, action: ActionHandler): void {
    actionHandlers.set(name, action);
  },
  replaceAction(name: string, action: ActionReplacement): void {
    replacedActions.set(name, action);
  },
};

interface NotificationDefinition {
  id: string;
  content?: unknown;
  type?: string;
  timeout?: number;
}

const notificationDefinitions = new Map<string, NotificationDefinition>();

/** Flex's `Notifications`: shown at the top right of the host page. */
export const Notifications = {
  registeredNotifications: notificationDefinitions,
  registerNotification(definition: NotificationDefinition): void {
    notificationDefinitions.set(definition.id, definition);
  },
  showNotification(id: string, context?: unknown): void {
    const definition = notificationDefinitions.get(id);
    hostState.update((s) => {
      s.notifications = [
        ...s.notifications.filter((n) => n.id !== id),
        { id, content: definition?.content ?? id, type: definition?.type ?? 'info', context },
      ];
    });
    if (definition?.timeout) setTimeout(() => Notifications.dismissNotificationById(id), definition.timeout);
  },
  dismissNotificationById(id: string): void {
    hostState.update((s) => {
      s.notifications = s.notifications.filter((n) => n.id !== id);
    });
  },
};

function snapshot(payload: unknown): unknown {
  try {
    return structuredClone(payload);
  } catch {
    return payload;
  }
}
