import { requestJson } from '../shared/http.ts';

export interface AgentView {
  name: string;
  email: string;
  identity: string;
  workerSid: string;
  available: boolean;
}

export interface TaskView {
  sid: string;
  assignmentStatus: 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
  attributes: Record<string, unknown>;
  taskChannel: string | null;
  conversationSid: string | null;
  agent: string | null;
  dateCreated: string;
}

/** A Conversations message as the emulator's control API shows it (wire field names). */
export interface ConversationMessage {
  sid: string;
  index: number;
  author: string;
  body: string | null;
  date_created: string;
  conversation_sid: string;
}

/** The Twilio emulator's control API, playing the Flex agent (`/_emulator`, CORS open). */
export class TwilioControl {
  readonly base: string;
  constructor(twilioUrl: string) {
    this.base = `${twilioUrl}/_emulator`;
  }
  async agents(): Promise<AgentView[]> {
    return (await requestJson<{ agents: AgentView[] }>(`${this.base}/agents`)).agents;
  }
  token(agent: string) {
    return requestJson<{ token: string; expiration: string; identity: string }>(
      `${this.base}/agents/${encodeURIComponent(agent)}/token`,
      { body: {} },
    );
  }
  async tasks(): Promise<TaskView[]> {
    return (await requestJson<{ tasks: TaskView[] }>(`${this.base}/tasks`)).tasks;
  }
  accept(taskSid: string, agent: string) {
    return requestJson<TaskView>(`${this.base}/tasks/${taskSid}/accept`, { body: { agent } });
  }
  reject(taskSid: string, agent: string) {
    return requestJson<TaskView>(`${this.base}/tasks/${taskSid}/reject`, { body: { agent } });
  }
  /** End chat: wrap-up closes the conversation, then the task completes. */
  complete(taskSid: string) {
    return requestJson<TaskView>(`${this.base}/tasks/${taskSid}/complete`, { body: {} });
  }
  conversation(sid: string) {
    return requestJson<{ messages: ConversationMessage[]; state: string }>(
      `${this.base}/conversations/${sid}`,
    );
  }
  sendMessage(conversationSid: string, agent: string, body: string) {
    return requestJson<ConversationMessage>(`${this.base}/conversations/${conversationSid}/messages`, {
      body: { agent, body },
    });
  }
}
