import { EventEmitter } from 'node:events';

/**
 * The emulator's in-memory state: plain records, one map per resource, and an event feed for the
 * control API's Server-Sent Events. The API-area modules hold the behaviour; this file only holds
 * data, so a test or the sandbox can look at everything in one place.
 */

export type ConversationState = 'active' | 'inactive' | 'closed';

export interface ConversationRecord {
  sid: string;
  friendlyName: string | null;
  uniqueName: string | null;
  attributes: string;
  state: ConversationState;
  messagingServiceSid: string;
  /** `Timers.Inactive` / `Timers.Closed` in ms, counted from {@link lastActivity}. */
  timers: { inactiveMs?: number; closedMs?: number };
  lastActivity: Date;
  nextMessageIndex: number;
  createdBy: string;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface ParticipantRecord {
  sid: string;
  conversationSid: string;
  identity: string | null;
  attributes: string;
  roleSid: string;
  messagingBinding: Record<string, string> | null;
  lastReadMessageIndex: number | null;
  lastReadTimestamp: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface MessageRecord {
  sid: string;
  conversationSid: string;
  index: number;
  author: string;
  body: string | null;
  attributes: string;
  participantSid: string | null;
  mediaSids: string[];
  dateCreated: Date;
  dateUpdated: Date;
}

export type ConversationWebhookTarget = 'webhook' | 'studio' | 'trigger';

export interface ConversationWebhookRecord {
  sid: string;
  conversationSid: string;
  target: ConversationWebhookTarget;
  url: string | null;
  method: 'GET' | 'POST';
  filters: string[];
  triggers: string[];
  flowSid: string | null;
  replayAfter: number | null;
  dateCreated: Date;
  dateUpdated: Date;
}

/**
 * A Conversations webhook configuration: the service's (`/v1/Services/{IS}/Configuration/Webhooks`)
 * or, with a `target`, the account's (`/v1/Configuration/Webhooks`). Twilio keeps the two apart.
 */
export interface ServiceWebhookConfig {
  method: 'GET' | 'POST';
  filters: string[];
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
}

/** The account-level (global) webhook configuration: a service's plus where it goes. */
export interface AccountWebhookConfig extends ServiceWebhookConfig {
  target: 'webhook' | 'flex';
}

export interface MediaRecord {
  sid: string;
  serviceSid: string;
  contentType: string;
  filename: string | null;
  size: number;
  data: Buffer;
  author: string;
  messageSid: string | null;
  conversationSid: string | null;
  dateCreated: Date;
}

export interface FlowError {
  message: string;
  property_path: string;
}

export interface FlowRevisionRecord {
  revision: number;
  friendlyName: string;
  status: 'draft' | 'published';
  definition: unknown;
  commitMessage: string | null;
  valid: boolean;
  errors: FlowError[];
  warnings: FlowError[];
  dateCreated: Date;
}

export interface FlowRecord {
  sid: string;
  revisions: FlowRevisionRecord[];
  dateCreated: Date;
  dateUpdated: Date;
}

export interface ExecutionStepRecord {
  sid: string;
  name: string;
  type: string | null;
  transitionedFrom: string;
  transitionedTo: string;
  event: string;
  context: Record<string, unknown>;
  dateCreated: Date;
}

export interface ExecutionRecord {
  sid: string;
  flowSid: string;
  flowRevision: number;
  conversationSid: string | null;
  contactChannelAddress: string | null;
  status: 'active' | 'ended' | 'failed';
  context: Record<string, unknown>;
  steps: ExecutionStepRecord[];
  error: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

export type InteractionChannelStatus = 'setup' | 'active' | 'failed' | 'closed' | 'inactive';

export interface InteractionRecord {
  sid: string;
  channel: Record<string, unknown>;
  routing: Record<string, unknown>;
  channelSid: string;
  interactionContextSid: string | null;
  webhookTtid: string | null;
  dateCreated: Date;
}

export interface InteractionChannelRecord {
  sid: string;
  interactionSid: string;
  type: string;
  status: InteractionChannelStatus;
  conversationSid: string;
  taskSids: string[];
  dateCreated: Date;
}

export type InteractionParticipantStatus = 'joined' | 'wrapup' | 'closed' | 'left';

export interface InteractionParticipantRecord {
  sid: string;
  interactionSid: string;
  channelSid: string;
  type: 'customer' | 'agent' | 'external' | 'supervisor' | 'unknown';
  status: InteractionParticipantStatus;
  identity: string | null;
  workerSid: string | null;
  taskSid: string | null;
  reservationSid: string | null;
  conversationParticipantSid: string | null;
  routingProperties: Record<string, unknown> | null;
  dateCreated: Date;
}

export interface WorkspaceRecord {
  sid: string;
  friendlyName: string;
  eventCallbackUrl: string | null;
  eventsFilter: string | null;
  defaultActivitySid: string;
  timeoutActivitySid: string;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: 'FIFO' | 'LIFO';
  dateCreated: Date;
  dateUpdated: Date;
}

export interface WorkflowRecord {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  configuration: string;
  taskReservationTimeout: number;
  assignmentCallbackUrl: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface TaskQueueRecord {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  targetWorkers: string;
  dateCreated: Date;
}

export interface TaskChannelRecord {
  sid: string;
  workspaceSid: string;
  uniqueName: string;
  friendlyName: string;
  dateCreated: Date;
}

export interface ActivityRecord {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  available: boolean;
  dateCreated: Date;
}

export interface WorkerRecord {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  attributes: string;
  activitySid: string;
  dateStatusChanged: Date;
  dateCreated: Date;
  dateUpdated: Date;
}

export type TaskAssignmentStatus =
  | 'pending'
  | 'reserved'
  | 'assigned'
  | 'wrapping'
  | 'completed'
  | 'canceled';

export interface TaskRecord {
  sid: string;
  workspaceSid: string;
  workflowSid: string;
  taskQueueSid: string;
  taskChannelSid: string;
  attributes: string;
  assignmentStatus: TaskAssignmentStatus;
  reason: string | null;
  priority: number;
  timeout: number;
  routingTarget: string | null;
  /**
   * Where the task is in its workflow: the index of the filter it matched (null: the default
   * filter), of that filter's target it is at, and since when (a target's `timeout` counts from it).
   */
  routingStep: { filter: number | null; target: number; since: Date };
  taskQueueEnteredDate: Date;
  dateCreated: Date;
  dateUpdated: Date;
  /** The task's version, sent as its `ETag` (0 when created, one more on each change). */
  version: number;
}

export type ReservationStatus =
  | 'pending'
  | 'accepted'
  | 'rejected'
  | 'timeout'
  | 'canceled'
  | 'rescinded'
  | 'wrapping'
  | 'completed';

export interface ReservationRecord {
  sid: string;
  workspaceSid: string;
  taskSid: string;
  workerSid: string;
  status: ReservationStatus;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface TaskRouterEventRecord {
  sid: string;
  eventType: string;
  resourceType: string;
  resourceSid: string;
  description: string;
  data: Record<string, string>;
  date: Date;
}

/** An agent of the emulated Flex: a TaskRouter worker with a chat identity. */
export interface AgentRecord {
  name: string;
  email: string;
  /** The Conversations identity Flex gives the agent (`dana_40example_2Ecom`). */
  identity: string;
  workerSid: string;
  roles: string[];
}

export interface FlexTokenRecord {
  token: string;
  identity: string;
  workerSid: string;
  realmUserId: string;
  roles: string[];
  expiration: Date;
}

/** What the control API's event stream carries. */
export interface EmulatorEvent {
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export class Store {
  readonly conversations = new Map<string, ConversationRecord>();
  readonly participants = new Map<string, ParticipantRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly conversationWebhooks = new Map<string, ConversationWebhookRecord>();
  /** Conversations User SIDs by identity. */
  readonly users = new Map<string, string>();
  serviceWebhooks: ServiceWebhookConfig = {
    method: 'POST',
    filters: [],
    preWebhookUrl: null,
    postWebhookUrl: null,
  };
  accountWebhooks: AccountWebhookConfig = {
    target: 'webhook',
    method: 'POST',
    filters: [],
    preWebhookUrl: null,
    postWebhookUrl: null,
  };
  readonly media = new Map<string, MediaRecord>();
  readonly flows = new Map<string, FlowRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionChannels = new Map<string, InteractionChannelRecord>();
  readonly interactionParticipants = new Map<string, InteractionParticipantRecord>();
  readonly workspaces = new Map<string, WorkspaceRecord>();
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly taskQueues = new Map<string, TaskQueueRecord>();
  readonly taskChannels = new Map<string, TaskChannelRecord>();
  readonly activities = new Map<string, ActivityRecord>();
  readonly workers = new Map<string, WorkerRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly reservations = new Map<string, ReservationRecord>();
  readonly taskRouterEvents: TaskRouterEventRecord[] = [];
  readonly agents = new Map<string, AgentRecord>();
  readonly flexTokens = new Map<string, FlexTokenRecord>();

  readonly #feed = new EventEmitter();

  constructor(private readonly now: () => Date) {
    this.#feed.setMaxListeners(0);
  }

  /** Publishes an event to the control API's stream. */
  emit(type: string, data: Record<string, unknown>): void {
    const event: EmulatorEvent = { type, data, at: this.now().toISOString() };
    this.#feed.emit('event', event);
  }

  /** Subscribes to every {@link emit}; returns the unsubscribe function. */
  subscribe(listener: (event: EmulatorEvent) => void): () => void {
    this.#feed.on('event', listener);
    return () => this.#feed.off('event', listener);
  }
}

/** Values of `map` for which `predicate` holds, in insertion (creation) order. */
export function where<T>(map: Map<string, T>, predicate: (value: T) => boolean): T[] {
  return [...map.values()].filter(predicate);
}
