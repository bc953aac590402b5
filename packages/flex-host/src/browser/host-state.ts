/** The host's whole state: what the embedding page gave it and what the plugin did with it. */

export type HostTaskStatus = 'pending' | 'accepted' | 'wrapping' | 'completed';

/** A task as the embedding page describes it (`FlexHost.setTasks([...])`). */
export interface HostTaskInput {
  sid: string;
  attributes?: Record<string, unknown>;
  status?: HostTaskStatus;
  taskChannelUniqueName?: string;
  queueName?: string;
  dateCreated?: string;
  /** Why the chat ended, shown above the disabled reply box once the task is wrapping. */
  endedReason?: string;
}

/** The task as Flex hands it to plugins (the fields of `ITask` a plugin reads). */
export interface HostTask {
  sid: string;
  taskSid: string;
  attributes: Record<string, unknown>;
  status: HostTaskStatus;
  taskStatus: 'reserved' | 'assigned' | 'wrapping' | 'completed';
  taskChannelUniqueName: string;
  channelType: string;
  queueName: string;
  dateCreated: Date;
  dateUpdated: Date;
  age: number;
  priority: number;
  /** What Flex shows when no template says better: `from`, else `name`, else "Customer". */
  defaultFrom: string;
  endedReason: string | null;
}

/** A file on a message, as Flex shows it: inline when it is an image, else a download link. */
export interface HostMedia {
  sid: string;
  filename: string | null;
  contentType: string;
  size: number;
  /** Where the bytes are (e.g. the media's `links.content_direct_temporary`). */
  url: string;
}

export interface HostMessage {
  sid: string;
  /** The name shown (the participant's friendly name). */
  author: string;
  /** The Conversations author (`discord:<id>`, an agent's identity, `system`). */
  authorIdentity?: string;
  /** The message's attributes, parsed (Flex hands plugins `message.source.attributes`). */
  attributes?: Record<string, unknown>;
  body: string;
  dateCreated: string;
  /** Shown on the agent's side of the message list. */
  fromAgent?: boolean;
  media?: HostMedia[];
  /** Changed after it was sent (the author edited it): shown with an "(edited)" marker. */
  edited?: boolean;
}

/**
 * A message as Flex hands it to plugins (`MessageState`): the Conversations message as `source`.
 * `edited` is the host's own (Flex shows no mark).
 */
export interface HostMessageState {
  isFromMe: boolean;
  authorName: string;
  edited?: boolean;
  source: {
    sid: string;
    author: string;
    body: string;
    attributes: Record<string, unknown>;
    dateCreated: Date;
    media: HostMedia[];
  };
}

/** A chat as Flex keeps it (`state.flex.chat.conversations[sid]`, a `ConversationState`): its messages, oldest first. */
export interface HostConversationState {
  messages: readonly HostMessageState[];
}

export function messageState(message: HostMessage): HostMessageState {
  return {
    isFromMe: Boolean(message.fromAgent),
    authorName: message.author,
    ...(message.edited ? { edited: true } : {}),
    source: {
      sid: message.sid,
      author: message.authorIdentity ?? message.author,
      body: message.body,
      attributes: message.attributes ?? {},
      dateCreated: new Date(message.dateCreated),
      media: message.media ?? [],
    },
  };
}

export interface RecordedAction {
  name: string;
  payload: unknown;
  at: number;
}

export interface HostNotification {
  id: string;
  content: unknown;
  type: string;
  context: unknown;
}

export interface MessageInput {
  inputText: string;
  selectionStart: number;
  selectionEnd: number;
}

/** Called when the agent sends the reply box: the sandbox posts it to its own backend. */
export type SendMessageHook = (message: {
  conversationSid: string;
  body: string;
  task: HostTask | null;
}) => unknown;

/** Called when the agent attaches a file (Flex's `SendMediaMessage`): upload it, then send it. */
export type SendMediaHook = (message: {
  conversationSid: string;
  file: File;
  task: HostTask | null;
}) => unknown;

/** The signed-in worker, as Flex's `manager.workerClient` has it (TaskRouter's Worker). */
export interface HostWorker {
  sid: string;
  /** TaskRouter's `friendlyName`. */
  name: string;
  attributes: Record<string, unknown>;
}

const taskStatusOf: Record<HostTaskStatus, HostTask['taskStatus']> = {
  pending: 'reserved',
  accepted: 'assigned',
  wrapping: 'wrapping',
  completed: 'completed',
};

export function toHostTask(input: HostTaskInput): HostTask {
  const attributes = { ...(input.attributes ?? {}) };
  const created = input.dateCreated ? new Date(input.dateCreated) : new Date();
  const status = input.status ?? 'accepted';
  const from = attributes.from ?? attributes.name;
  return {
    sid: input.sid,
    taskSid: input.sid,
    attributes,
    status,
    taskStatus: taskStatusOf[status],
    taskChannelUniqueName: input.taskChannelUniqueName ?? 'chat',
    channelType: typeof attributes.channelType === 'string' ? attributes.channelType : 'web',
    queueName: input.queueName ?? 'Everyone',
    dateCreated: created,
    dateUpdated: created,
    age: Math.max(0, Math.round((Date.now() - created.getTime()) / 1000)),
    priority: 0,
    defaultFrom: typeof from === 'string' && from !== '' ? from : 'Customer',
    endedReason: input.endedReason ?? null,
  };
}

/** A small change feed: the host page re-renders on every change. */
export class Signal {
  #listeners = new Set<() => void>();
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Node-style events, enough for `manager.events` (`tokenUpdated`, `pluginsLoaded`…). */
export class Emitter {
  #listeners = new Map<string, Array<(...args: unknown[]) => void>>();
  addListener(event: string, listener: (...args: unknown[]) => void): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  on(event: string, listener: (...args: unknown[]) => void): this {
    return this.addListener(event, listener);
  }
  once(event: string, listener: (...args: unknown[]) => void): this {
    const wrapped = (...args: unknown[]) => {
      this.removeListener(event, wrapped);
      listener(...args);
    };
    return this.addListener(event, wrapped);
  }
  removeListener(event: string, listener: (...args: unknown[]) => void): this {
    this.#listeners.set(
      event,
      (this.#listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  off(event: string, listener: (...args: unknown[]) => void): this {
    return this.removeListener(event, listener);
  }
  removeAllListeners(event?: string): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const listeners = this.#listeners.get(event) ?? [];
    for (const listener of [...listeners]) listener(...args);
    return listeners.length > 0;
  }
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
}

export class HostState {
  readonly changes = new Signal();
  tasks: HostTask[] = [];
  selectedTaskSid: string | null = null;
  /** The view on show (`NavigateToView`): the agent desktop, or a plugin's view. */
  activeView = 'agent-desktop';
  messages = new Map<string, HostMessage[]>();
  conversationInput: Record<string, MessageInput> = {};
  actions: RecordedAction[] = [];
  notifications: HostNotification[] = [];
  plugins: string[] = [];
  errors: string[] = [];
  sendMessageHook: SendMessageHook | null = null;
  sendMediaHook: SendMediaHook | null = null;
  worker: HostWorker | null = null;

  /** Each chat's state as Flex's, kept as one object per change so a reader sees a new one when it changes. */
  #conversations = new Map<string, { list: HostMessage[] | undefined; state: HostConversationState }>();

  /** The chat's state as Flex keeps it (`state.flex.chat.conversations[sid]`). */
  conversationState(conversationSid: string): HostConversationState {
    const list = this.messages.get(conversationSid);
    const kept = this.#conversations.get(conversationSid);
    if (kept && kept.list === list) return kept.state;
    const state = { messages: (list ?? []).map(messageState) };
    this.#conversations.set(conversationSid, { list, state });
    return state;
  }

  /** Every chat's state, by conversation SID (`state.flex.chat.conversations`). */
  conversationStates(): Record<string, HostConversationState> {
    return Object.fromEntries([...this.messages.keys()].map((sid) => [sid, this.conversationState(sid)]));
  }

  get selectedTask(): HostTask | null {
    return this.tasks.find((task) => task.sid === this.selectedTaskSid) ?? null;
  }

  update(change: (state: this) => void): void {
    change(this);
    this.changes.notify();
  }

  setInput(conversationSid: string, input: Partial<MessageInput> & { inputText: string }): void {
    this.update((state) => {
      state.conversationInput = {
        ...state.conversationInput,
        [conversationSid]: {
          inputText: input.inputText,
          selectionStart: input.selectionStart ?? input.inputText.length,
          selectionEnd: input.selectionEnd ?? input.inputText.length,
        },
      };
    });
  }

  addMessage(conversationSid: string, message: HostMessage): void {
    this.update((state) => {
      state.messages.set(conversationSid, [...(state.messages.get(conversationSid) ?? []), message]);
    });
  }

  /** A message changed in place (an edit): same position, new content. */
  replaceMessage(conversationSid: string, message: HostMessage): void {
    this.update((state) => {
      const list = state.messages.get(conversationSid) ?? [];
      state.messages.set(
        conversationSid,
        list.map((candidate) => (candidate.sid === message.sid ? message : candidate)),
      );
    });
  }

  removeMessage(conversationSid: string, messageSid: string): void {
    this.update((state) => {
      const list = state.messages.get(conversationSid) ?? [];
      state.messages.set(
        conversationSid,
        list.filter((candidate) => candidate.sid !== messageSid),
      );
    });
  }

  reportError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    console.error('[flex-host]', error);
    this.update((state) => {
      state.errors = [...state.errors, message];
    });
  }
}
