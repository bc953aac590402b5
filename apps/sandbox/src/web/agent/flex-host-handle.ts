/**
 * The part of `window.FlexHost` (from `@flexcord/flex-host`, see its README) this page drives.
 * Declared here because that package's entry point is its Node server helper.
 */
export type HostTaskStatus = 'pending' | 'accepted' | 'wrapping' | 'completed';

export interface HostTaskInput {
  sid: string;
  attributes?: Record<string, unknown>;
  status?: HostTaskStatus;
  taskChannelUniqueName?: string;
  dateCreated?: string;
}

export interface HostMessage {
  sid: string;
  author: string;
  body: string;
  dateCreated: string;
  fromAgent?: boolean;
}

export interface FlexHostHandle {
  setTasks(tasks: HostTaskInput[]): void;
  selectTask(sid: string): Promise<unknown>;
  selectedTaskSid(): string | null;
  setToken(token: string): void;
  setUser(user: { identity?: string; roles?: string[] }): void;
  setServiceConfiguration(configuration: { ui_attributes?: Record<string, unknown> }): void;
  setMessages(conversationSid: string, messages: HostMessage[]): void;
  addMessage(conversationSid: string, message: HostMessage): void;
  onSendMessage(hook: ((message: { conversationSid: string; body: string }) => unknown) | null): void;
}
