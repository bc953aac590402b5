import type { ReactNode } from 'react';
import type { HostTask, Signal } from './host-state.ts';

/** A value that may depend on the task: itself, a function of the task, or one per reservation status. */
export type StatusBased<T> =
  | T
  | ((task: HostTask, componentType?: unknown) => T)
  | Partial<Record<string, T>>;

type Templates = Record<string, Record<string, StatusBased<string>> | undefined>;

/** The parts of Flex's `TaskChannelDefinition` the host renders. */
export interface HostTaskChannel {
  name: string;
  isApplicable: (task: HostTask) => boolean;
  icons?: { list?: StatusBased<ReactNode>; main?: StatusBased<ReactNode>; active?: StatusBased<ReactNode> };
  colors?: { main?: StatusBased<string> };
  templates?: Templates;
  capabilities: Set<string>;
  charLimit: number;
  componentProps: Record<string, unknown>;
  notifications: { override: Record<string, unknown> };
  [other: string]: unknown;
}

/** `createChatTaskChannel`'s options (the object form Flex 2 documents). */
export interface ChatTaskChannelOptions {
  name: string;
  isApplicable: (task: HostTask) => boolean;
  icon?: ReactNode;
  iconActive?: ReactNode;
  color?: string;
  charLimit?: number;
  taskHeaderAcceptedTemplate?: string;
  taskLineChatAssignedTemplate?: string;
}

const statusKeys: Record<HostTask['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  wrapping: 'Wrapping',
  completed: 'Completed',
};

/** Resolves a status-based value for a task, as Flex's `TaskChannelHelper` does. */
export function forTask<T>(value: StatusBased<T> | undefined, task: HostTask): T | undefined {
  if (typeof value === 'function') return (value as (task: HostTask) => T)(task);
  if (value !== null && typeof value === 'object' && !isReactElementLike(value)) {
    return (value as Partial<Record<string, T>>)[statusKeys[task.status]];
  }
  return value as T | undefined;
}

function isReactElementLike(value: object): boolean {
  return '$$typeof' in value;
}

/** Flex's chat channel defaults, reduced to what the host shows. */
export function createChatTaskChannel(
  options: ChatTaskChannelOptions | string,
  ...args: unknown[]
): HostTaskChannel {
  const config: ChatTaskChannelOptions =
    typeof options === 'string'
      ? { name: options, isApplicable: (args[0] as ChatTaskChannelOptions['isApplicable']) ?? (() => false) }
      : options;
  const icon = config.icon ?? 'Message';
  return {
    name: config.name,
    isApplicable: config.isApplicable,
    icons: { list: icon, main: icon, active: config.iconActive ?? icon },
    colors: { main: config.color ?? '#1976d2' },
    templates: {
      IncomingTaskCanvas: { firstLine: 'TaskHeaderLine', secondLine: 'TaskLineChatReserved' },
      TaskListItem: {
        firstLine: 'TaskHeaderLine',
        secondLine: config.taskLineChatAssignedTemplate ?? 'HostTaskLine',
      },
      TaskCanvasHeader: {
        title: 'TaskHeaderLine',
        secondLine: config.taskHeaderAcceptedTemplate ?? 'HostTaskLine',
      },
      TaskCard: { firstLine: 'TaskHeaderLine', secondLine: 'HostTaskLine' },
    },
    capabilities: new Set(['Chat', 'Info', 'Wrapup']),
    charLimit: config.charLimit ?? 2000,
    componentProps: {},
    notifications: { override: {} },
  };
}

/** Flex's `TaskChannels`: the last registered channel that applies wins; the default chat channel backs all. */
export class TaskChannelRegistry {
  #registered: HostTaskChannel[] = [];
  readonly #fallback = createChatTaskChannel({ name: 'default', isApplicable: () => true });
  #changes: Signal;

  constructor(changes: Signal) {
    this.#changes = changes;
  }

  register(definition: HostTaskChannel): void {
    this.#registered = [definition, ...this.#registered.filter((d) => d !== definition)];
    this.#changes.notify();
  }

  unregister(definition: HostTaskChannel): void {
    this.#registered = this.#registered.filter((d) => d !== definition);
    this.#changes.notify();
  }

  getRegistered(): HostTaskChannel[] {
    return [...this.#registered];
  }

  getForTask(task: HostTask): HostTaskChannel {
    return this.#registered.find((definition) => safeApplies(definition, task)) ?? this.#fallback;
  }
}

function safeApplies(definition: HostTaskChannel, task: HostTask): boolean {
  try {
    return definition.isApplicable(task);
  } catch (error) {
    console.error(`[flex-host] task channel ${definition.name}: isApplicable threw`, error);
    return false;
  }
}
