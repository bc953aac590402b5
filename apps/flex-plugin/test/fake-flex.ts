import { EventEmitter } from 'node:events';
import type { ITask, Manager } from '@twilio/flex-ui';
import {
  type ComponentType,
  createContext,
  createElement,
  Fragment,
  type ReactElement,
  type ReactNode,
} from 'react';
import { vi } from 'vitest';
import type { FlexApi } from '../src/agent/with-flex-agent-context.tsx';

/** What a content store was given: `add` or `replace`, the element and its options. */
export interface ContentCall {
  method: 'add' | 'replace';
  element: ReactElement;
  options:
    | { sortOrder?: number; align?: string; if?: (props: Record<string, unknown>) => boolean }
    | undefined;
}

function recordingStore(calls: ContentCall[]) {
  return {
    add: (element: ReactElement, options?: ContentCall['options']) =>
      calls.push({ method: 'add', element, options }),
    replace: (element: ReactElement, options?: ContentCall['options']) =>
      calls.push({ method: 'replace', element, options }),
  };
}

function FakeView({ children }: { name: string; children?: ReactNode }) {
  return createElement(Fragment, null, children);
}

function FakeSideLink({
  children,
  onClick,
}: {
  children?: ReactNode;
  onClick?: () => void;
  isActive?: boolean;
}) {
  return createElement('button', { type: 'button', onClick }, children);
}

/** Flex's task context, for components wrapped by the fake `withTaskContext`. */
export const TaskContext = createContext<{ task?: ITask; conversation?: unknown }>({});

/**
 * A recording stand-in for the `flex` object and the `manager` Flex passes to `init`: just the parts the
 * plugin touches, typed as Flex's through one cast each, so the tests read what the plugin registered.
 */
export function fakeFlex(options: { uiAttributes?: Record<string, unknown>; localeTag?: string } = {}) {
  const registeredChannels: Array<Record<string, unknown>> = [];
  const crm: ContentCall[] = [];
  const inputActions: ContentCall[] = [];
  const bubbles: ContentCall[] = [];
  const views: ContentCall[] = [];
  const sideNav: ContentCall[] = [];
  const providers: Array<Record<string, unknown>> = [];
  const notifications = new Map<string, Record<string, unknown>>();
  const showNotification = vi.fn((_id: string, _context?: Record<string, unknown>) => undefined);
  const registeredActions = new Map<string, (payload: unknown) => Promise<unknown>>();
  /** Flex's own actions the tests watch: `CompleteTask` (the task bar's Complete) completes the task. */
  const flexCompleteTask = vi.fn(async (_payload: unknown) => undefined);
  const builtInActions = new Map<string, (payload: unknown) => Promise<unknown>>([
    ['CompleteTask', flexCompleteTask],
  ]);
  /** `Actions.replaceAction`: the replacement gets the payload and the action it replaces. */
  const replacedActions = new Map<
    string,
    (payload: unknown, original: (payload: unknown) => Promise<unknown>) => Promise<unknown>
  >();
  /**
   * Flex's `invokeAction`: runs the action a plugin registered under that name (or Flex's own),
   * through a plugin's replacement where there is one, and records the call.
   */
  const invokeAction = vi.fn(async (name: string, payload: unknown) => {
    const original = async (given: unknown) => {
      await (registeredActions.get(name) ?? builtInActions.get(name))?.(given);
      return undefined;
    };
    const replacement = replacedActions.get(name);
    await (replacement ? replacement(payload, original) : original(payload));
    return undefined;
  });
  const replaceAction = (
    name: string,
    action: (payload: unknown, original: (payload: unknown) => Promise<unknown>) => Promise<unknown>,
  ) => replacedActions.set(name, action);
  const registerAction = (name: string, action: (payload: unknown) => Promise<unknown>) =>
    registeredActions.set(name, action);
  const conversationInput: Record<string, { inputText: string }> = {};

  const flex = {
    TaskChannels: { register: (definition: Record<string, unknown>) => registeredChannels.push(definition) },
    DefaultTaskChannels: {
      createChatTaskChannel: (config: Record<string, unknown>) => ({
        name: config.name,
        isApplicable: config.isApplicable,
        icons: { list: config.icon, main: config.icon, active: config.iconActive },
        colors: { main: config.color },
        templates: {
          TaskListItem: { secondLine: 'TaskLineChatAssigned' },
          TaskCanvasHeader: { endButton: 'End' },
        },
        capabilities: new Set(['Chat']),
        charLimit: 2000,
        componentProps: {},
        notifications: { override: {} },
      }),
    },
    CRMContainer: { Content: recordingStore(crm) },
    MessageInputActions: { Content: recordingStore(inputActions) },
    MessageBubble: { Content: recordingStore(bubbles) },
    ViewCollection: { Content: recordingStore(views) },
    SideNav: { Content: recordingStore(sideNav) },
    View: FakeView,
    SideLink: FakeSideLink,
    withTaskContext:
      <P extends object>(component: ComponentType<P>) =>
      (props: P) =>
        createElement(TaskContext.Consumer, null, (context: { task?: ITask; conversation?: unknown }) =>
          createElement(component, { ...context, ...props }),
        ),
    setProviders: (value: Record<string, unknown>) => providers.push(value),
    Actions: { invokeAction, registerAction, replaceAction },
    Notifications: {
      registerNotification: (notification: Record<string, unknown>) =>
        notifications.set(String(notification.id), notification),
      showNotification,
    },
  };

  const events = new EventEmitter();
  const manager = {
    strings: { TaskHeaderLine: '{{task.defaultFrom}}' } as Record<string, string>,
    user: { token: 'token-1', identity: 'dana' },
    events,
    store: { getState: () => ({ flex: { chat: { conversationInput } } }) },
    serviceConfiguration: { ui_attributes: { ...options.uiAttributes } as Record<string, unknown> },
    ...(options.localeTag ? { localization: { localeTag: options.localeTag } } : {}),
  };

  return {
    flex: flex as unknown as FlexApi,
    manager: manager as unknown as Manager,
    rawManager: manager,
    registeredChannels,
    crm,
    inputActions,
    bubbles,
    views,
    sideNav,
    providers,
    invokeAction,
    registeredActions,
    replacedActions,
    flexCompleteTask,
    notifications,
    showNotification,
    conversationInput,
  };
}

/** A task as Flex passes it to `isApplicable` and `if` conditions (only the fields the plugin reads). */
export function aTask(attributes: Record<string, unknown>, sid = `WT${'a'.repeat(32)}`): ITask {
  return { sid, taskSid: sid, attributes } as unknown as ITask;
}
