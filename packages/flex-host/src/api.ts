import type {
  HostMessage,
  HostTaskInput,
  HostWorker,
  RecordedAction,
  SendMediaHook,
  SendMessageHook,
} from './browser/host-state.ts';

/** Types only, for pages that drive `window.FlexHost` (`@flexcord/flex-host/api`: no Node code). */
export type {
  HostConversationState,
  HostMedia,
  HostMessage,
  HostMessageState,
  HostTaskInput,
  HostTaskStatus,
  HostWorker,
  RecordedAction,
  SendMediaHook,
  SendMessageHook,
} from './browser/host-state.ts';

/**
 * `window.FlexHost`: the embedding page's handle on the host page. Everything the host shows comes
 * from here — tasks, the agent's token, messages — nothing is scripted.
 */
export interface FlexHostApi {
  /** The `window.Twilio.Flex` stand-in and its `manager`, for inspection. */
  readonly Flex: unknown;
  readonly manager: unknown;

  /** Replaces the agent's tasks; the first one is selected when none is. */
  setTasks(tasks: HostTaskInput[]): void;
  /** Adds a task, or updates the one with the same `sid` (e.g. new attributes). */
  upsertTask(task: HostTaskInput): void;
  removeTask(sid: string): void;
  /** Selects a task through the `SelectTask` action, as a click in the task list does. */
  selectTask(sid: string): Promise<unknown>;
  selectedTaskSid(): string | null;
  /** Shows a view (`NavigateToView`): `agent-desktop` or a plugin's `View` name. */
  navigate(viewName: string): Promise<unknown>;
  activeView(): string;

  /** Sets `manager.user.token` and emits `tokenUpdated`, as Flex does when it refreshes the token. */
  setToken(token: string): void;
  setUser(user: { identity?: string; roles?: string[] }): void;
  /**
   * The signed-in TaskRouter worker (`manager.workerClient`: sid, `friendlyName`, attributes). The
   * header names the agent by `attributes.full_name`, else the friendly name — never the identity.
   */
  setWorker(worker: HostWorker | null): void;
  /** Merges into `manager.serviceConfiguration` (e.g. `{ ui_attributes: { … } }`). */
  setServiceConfiguration(configuration: {
    ui_attributes?: Record<string, unknown>;
    [key: string]: unknown;
  }): void;

  setMessages(conversationSid: string, messages: HostMessage[]): void;
  addMessage(conversationSid: string, message: HostMessage): void;
  /** A message changed in place (edited: set `edited` for the "(edited)" marker Flex shows). */
  replaceMessage(conversationSid: string, message: HostMessage): void;
  removeMessage(conversationSid: string, messageSid: string): void;
  /**
   * What Send does with the reply box: call `hook` (the sandbox posts it to its backend, then adds
   * the message back with `addMessage`). With no hook, the message is shown locally.
   */
  onSendMessage(hook: SendMessageHook | null): void;
  /**
   * What the attach button does with the chosen file (Flex's `SendMediaMessage` action): `hook({
   * conversationSid, file, task })`, e.g. upload it to MCS and send a message with its `MediaSid`.
   * Without a hook the attach button is not shown (file attachments off, as in Flex by default).
   */
  onSendMedia(hook: SendMediaHook | null): void;
  /** The reply box's text for a conversation (`flex.chat.conversationInput[sid].inputText`). */
  inputText(conversationSid: string): string;

  /** Loads a plugin bundle with a `<script>` tag, like Flex; resolves once the script has run. */
  loadPlugin(src: string): Promise<void>;
  /** Names of the plugins whose `init` ran. */
  plugins(): string[];
  /** Errors the host caught: plugin `init` failures, uncaught errors and rejections. */
  errors(): string[];
  /** Every `Actions.invokeAction` call so far (of one action when `name` is given), oldest first. */
  actions(name?: string): RecordedAction[];
}
