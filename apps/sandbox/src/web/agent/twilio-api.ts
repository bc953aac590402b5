import { ApiError, requestJson } from '../shared/http.ts';

export interface AgentView {
  name: string;
  email: string;
  identity: string;
  workerSid: string;
  /** Flex roles (agent, supervisor, admin), as the Flex token carries them. */
  roles: string[];
  activity: string | null;
  available: boolean;
  /** The TaskRouter worker: `friendlyName` and attributes (`full_name` is the agent's name). */
  worker: { friendlyName: string; attributes: Record<string, unknown> } | null;
}

/** A message's media as the Conversations Message resource lists it. */
export interface ConversationMedia {
  sid: string;
  content_type: string;
  filename: string | null;
  size: number;
}

/** The MCS Media resource (field names as Twilio's). */
export interface MediaResource {
  sid: string;
  content_type: string;
  filename: string | null;
  size: number;
  links: { content: string; content_direct_temporary: string };
}

export interface TaskView {
  sid: string;
  assignmentStatus: 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
  attributes: Record<string, unknown>;
  taskChannel: string | null;
  /** The friendly name of the queue the workflow put the task in. */
  queue: string | null;
  conversationSid: string | null;
  agent: string | null;
  reason: string | null;
  reservations: { sid: string; status: string; agent: string | null }[];
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
  media: ConversationMedia[] | null;
  attributes?: string;
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
  /** End chat: the agent's interaction participant goes to wrapup, the conversation closes, the task wraps. */
  wrapUp(taskSid: string) {
    return requestJson<TaskView>(`${this.base}/tasks/${taskSid}/wrapup`, { body: {} });
  }
  /** Complete: the wrapping task is done. */
  complete(taskSid: string) {
    return requestJson<TaskView>(`${this.base}/tasks/${taskSid}/complete`, { body: {} });
  }
  /** The agent's TaskRouter activity (Available, Unavailable, Offline): only Available agents get tasks. */
  setActivity(agent: string, activity: string) {
    return requestJson<AgentView>(`${this.base}/agents/${encodeURIComponent(agent)}/activity`, {
      body: { activity },
    });
  }
  conversation(sid: string) {
    return requestJson<{ messages: ConversationMessage[]; state: string }>(
      `${this.base}/conversations/${sid}`,
    );
  }
  sendMessage(conversationSid: string, agent: string, content: { body: string } | { mediaSid: string }) {
    return requestJson<ConversationMessage>(`${this.base}/conversations/${conversationSid}/messages`, {
      body: { agent, ...content },
    });
  }
  async conversationsServiceSid(): Promise<string> {
    return (await requestJson<{ conversationsServiceSid: string }>(this.base)).conversationsServiceSid;
  }
}

/**
 * The Media Content Service as the Conversations client SDK in Flex uses it: the agent's token in
 * `X-Twilio-Token`, an upload of the raw bytes, and the media's temporary link for display.
 *
 * @see https://www.twilio.com/docs/conversations/media-support-conversations
 */
export class MediaContentService {
  readonly base: string;
  constructor(
    twilioUrl: string,
    serviceSid: string,
    private readonly token: () => string,
  ) {
    this.base = `${twilioUrl}/mcs/v1/Services/${serviceSid}/Media`;
  }
  upload(file: File) {
    return requestMcs<MediaResource>(this.base, this.token(), {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      url: `${this.base}?Filename=${encodeURIComponent(file.name)}`,
      body: file,
    });
  }
  get(mediaSid: string) {
    return requestMcs<MediaResource>(`${this.base}/${mediaSid}`, this.token());
  }
}

async function requestMcs<T>(
  url: string,
  token: string,
  init: { method?: string; headers?: Record<string, string>; url?: string; body?: Blob } = {},
): Promise<T> {
  const response = await fetch(init.url ?? url, {
    method: init.method ?? 'GET',
    headers: { 'X-Twilio-Token': token, ...(init.headers ?? {}) },
    ...(init.body ? { body: init.body } : {}),
  });
  const data = (await response.json()) as T & { message?: string; code?: number };
  if (!response.ok)
    throw new ApiError(
      data.message ?? `${response.status}`,
      response.status,
      data.code ? String(data.code) : null,
    );
  return data;
}
