import { type Request, Router } from 'express';
import { twilioDate } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import { invalidParameter, missingParameter, notFound, TwilioApiError } from './errors.ts';
import { paramsOf } from './http.ts';
import { pageOf } from './paging.ts';
import { newSid } from './sids.ts';
import type {
  ActivityRecord,
  AgentRecord,
  ReservationRecord,
  TaskAssignmentStatus,
  TaskChannelRecord,
  TaskQueueRecord,
  TaskRecord,
  WorkerRecord,
  WorkflowRecord,
  WorkspaceRecord,
} from './store.ts';
import { where } from './store.ts';
import { ExpressionError, matches, parseExpression, valueAt } from './taskrouter-expressions.ts';
import { TaskRouterStatistics, taskRouterStatisticsRouter } from './taskrouter-statistics.ts';

/**
 * A routing step of a workflow filter: its queue, how long the task waits in it for a worker
 * (`timeout`, seconds) before moving to the next target, and Known Agent Routing's fields, which
 * name a task attribute (`"task.lastAgent"`) holding the one worker the step offers the task to.
 *
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing
 */
interface WorkflowTarget {
  queue?: string;
  timeout?: number;
  known_worker_sid?: string;
  known_worker_friendly_name?: string;
}

/** A workflow's `task_routing`, as far as the emulator routes by it. */
interface WorkflowRouting {
  filters?: { expression?: string; targets?: WorkflowTarget[] }[];
  default_filter?: { queue?: string };
}

/** Where a workflow puts a task: the step it enters and that step's queue. */
interface WorkflowPlacement {
  filter: number | null;
  target: number;
  queue: string;
}

/** 400 / 20001 when `source` is not a TaskRouter expression. */
function checkExpression(source: string, what: string): void {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError)
      throw invalidParameter(`${what} is not a valid expression: ${error.message}`);
    throw error;
  }
}

/**
 * TaskRouter v1 as Flex uses it: one workspace ("Flex Task Assignment") with an "Assign to Anyone"
 * workflow, the Flex task channels, Available/Offline activities, one worker per agent, tasks moving
 * pending → reserved → assigned → wrapping → completed (or canceled), reservations, and the
 * workspace Event Callback URL receiving signed form POSTs.
 *
 * @see https://www.twilio.com/docs/taskrouter/api
 * @see https://www.twilio.com/docs/taskrouter/api/event/reference
 */

const PUBLIC_BASE = 'https://taskrouter.twilio.com/v1';

/** The URL of the resource an event is about (`resource_url`). */
function eventResourceUrl(
  workspaceUrl: string,
  event: { resourceType: string; resourceSid: string; data: Record<string, string> },
): string {
  switch (event.resourceType) {
    case 'task':
      return `${workspaceUrl}/Tasks/${event.resourceSid}`;
    case 'reservation':
      return `${workspaceUrl}/Tasks/${event.data.TaskSid ?? ''}/Reservations/${event.resourceSid}`;
    case 'worker':
      return `${workspaceUrl}/Workers/${event.resourceSid}`;
    default:
      return workspaceUrl;
  }
}

/** An agent to seed: a Flex user with a TaskRouter worker. */
export interface AgentOptions {
  /** Display name, also how the control API refers to the agent ("Dana"). */
  name: string;
  email: string;
  /** Conversations identity; default: the email encoded the way Flex does (`dana_40example_2Ecom`). */
  identity?: string;
  roles?: string[];
  /** Whether the worker starts Available (default) or Offline. */
  available?: boolean;
}

export const DEFAULT_AGENTS: AgentOptions[] = [
  { name: 'Dana', email: 'dana@example.com' },
  { name: 'Leo', email: 'leo@example.com' },
];

/** Flex's chat identity for a username: every character outside [A-Za-z0-9] as `_` + hex. */
export function flexIdentity(username: string): string {
  return username.replace(
    /[^A-Za-z0-9]/g,
    (ch) => `_${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

export interface CreateTaskInput {
  attributes: string;
  workflowSid?: string | undefined;
  taskChannel?: string | undefined;
  priority?: number | undefined;
  timeout?: number | undefined;
  /** Known-agent routing: only this worker (WK…) is offered the task. */
  routingTarget?: string | undefined;
}

/** Hooks Flex (interactions.ts) hangs its behaviour on. */
export interface TaskRouterHooks {
  reservationAccepted?(task: TaskRecord, reservation: ReservationRecord, worker: WorkerRecord): void;
  taskWrapping?(task: TaskRecord): void;
  taskCompleted?(task: TaskRecord): void;
  taskCanceled?(task: TaskRecord): void;
}

export class TaskRouterService {
  readonly workspaceSid: string;
  readonly workflowSid: string;
  readonly taskQueueSid: string;
  readonly availableActivitySid: string;
  readonly offlineActivitySid: string;
  readonly hooks: TaskRouterHooks = {};

  constructor(
    private readonly ctx: EmulatorContext,
    agents: readonly AgentOptions[],
  ) {
    const { store } = ctx;
    const now = ctx.clock.now();
    ctx.clock.onAdvance(() => this.checkStepTimeouts());
    this.workspaceSid = newSid('WS');
    const activities: Array<[string, boolean]> = [
      ['Offline', false],
      ['Available', true],
      ['Unavailable', false],
      ['Break', false],
    ];
    const activitySids: Record<string, string> = {};
    for (const [friendlyName, available] of activities) {
      const activity: ActivityRecord = {
        sid: newSid('WA'),
        workspaceSid: this.workspaceSid,
        friendlyName,
        available,
        dateCreated: now,
      };
      store.activities.set(activity.sid, activity);
      activitySids[friendlyName] = activity.sid;
    }
    this.availableActivitySid = activitySids.Available!;
    this.offlineActivitySid = activitySids.Offline!;
    store.workspaces.set(this.workspaceSid, {
      sid: this.workspaceSid,
      friendlyName: 'Flex Task Assignment',
      eventCallbackUrl: null,
      eventsFilter: null,
      defaultActivitySid: this.offlineActivitySid,
      timeoutActivitySid: this.offlineActivitySid,
      multiTaskEnabled: true,
      prioritizeQueueOrder: 'FIFO',
      dateCreated: now,
      dateUpdated: now,
    });
    this.taskQueueSid = newSid('WQ');
    store.taskQueues.set(this.taskQueueSid, {
      sid: this.taskQueueSid,
      workspaceSid: this.workspaceSid,
      friendlyName: 'Everyone',
      targetWorkers: '1==1',
      dateCreated: now,
    });
    this.workflowSid = newSid('WW');
    store.workflows.set(this.workflowSid, {
      sid: this.workflowSid,
      workspaceSid: this.workspaceSid,
      friendlyName: 'Assign to Anyone',
      configuration: JSON.stringify({
        task_routing: { filters: [], default_filter: { queue: this.taskQueueSid } },
      }),
      taskReservationTimeout: 120,
      assignmentCallbackUrl: null,
      dateCreated: now,
      dateUpdated: now,
    });
    for (const [uniqueName, friendlyName] of [
      ['default', 'Default'],
      ['voice', 'Voice'],
      ['chat', 'Programmable Chat'],
      ['sms', 'SMS'],
      ['video', 'Video'],
      ['email', 'Email'],
    ] as const) {
      const sid = newSid('TC');
      store.taskChannels.set(sid, {
        sid,
        workspaceSid: this.workspaceSid,
        uniqueName,
        friendlyName,
        dateCreated: now,
      });
    }
    for (const agent of agents) this.addAgent(agent);
  }

  get chatTaskChannelSid(): string {
    return this.taskChannel('chat').sid;
  }

  addAgent(options: AgentOptions): AgentRecord {
    const identity = options.identity ?? flexIdentity(options.email);
    const now = this.ctx.clock.now();
    const worker: WorkerRecord = {
      sid: newSid('WK'),
      workspaceSid: this.workspaceSid,
      // Flex names a user's worker by their username (here, their email); their chat identity
      // (contact_uri) is that username encoded. Known Agent Routing by friendly name matches this.
      friendlyName: options.email,
      attributes: JSON.stringify({
        contact_uri: `client:${identity}`,
        full_name: options.name,
        email: options.email,
        image_url: null,
        roles: options.roles ?? ['agent'],
        routing: { skills: [], levels: {} },
      }),
      activitySid: options.available === false ? this.offlineActivitySid : this.availableActivitySid,
      dateStatusChanged: now,
      dateCreated: now,
      dateUpdated: now,
    };
    this.ctx.store.workers.set(worker.sid, worker);
    const agent: AgentRecord = {
      name: options.name,
      email: options.email,
      identity,
      workerSid: worker.sid,
      roles: options.roles ?? ['agent'],
    };
    this.ctx.store.agents.set(worker.sid, agent);
    return agent;
  }

  /** An agent by name (case-insensitive), email, identity or worker SID. */
  agent(ref: string): AgentRecord {
    const lower = ref.toLowerCase();
    for (const agent of this.ctx.store.agents.values()) {
      if (
        agent.name.toLowerCase() === lower ||
        agent.email.toLowerCase() === lower ||
        agent.identity === ref ||
        agent.workerSid === ref
      ) {
        return agent;
      }
    }
    throw new TwilioApiError(404, 20404, `No agent ${ref}`);
  }

  workspace(sid: string): WorkspaceRecord {
    const workspace = this.ctx.store.workspaces.get(sid);
    if (!workspace) throw notFound(`/Workspaces/${sid}`);
    return workspace;
  }

  task(sid: string): TaskRecord {
    const task = this.ctx.store.tasks.get(sid);
    if (!task) throw notFound(`/Workspaces/${this.workspaceSid}/Tasks/${sid}`);
    return task;
  }

  activity(sid: string): ActivityRecord {
    const activity = this.ctx.store.activities.get(sid);
    if (!activity) throw notFound(`/Workspaces/${this.workspaceSid}/Activities/${sid}`);
    return activity;
  }

  createActivity(input: {
    friendlyName?: string | undefined;
    available?: boolean | undefined;
  }): ActivityRecord {
    if (!input.friendlyName) throw missingParameter('FriendlyName');
    const activity: ActivityRecord = {
      sid: newSid('WA'),
      workspaceSid: this.workspaceSid,
      friendlyName: input.friendlyName,
      available: input.available ?? true,
      dateCreated: this.ctx.clock.now(),
    };
    this.ctx.store.activities.set(activity.sid, activity);
    return activity;
  }

  readonly #afterRead = new Map<string, Array<() => void>>();

  /**
   * Has another writer (Flex) change a task right after its next `GET` is answered: the reader's
   * copy is then stale, as when Flex writes the same task between a client's read and its write.
   */
  changeTaskAfterNextRead(taskSid: string, change: (task: TaskRecord) => void): void {
    const task = this.task(taskSid);
    const pending = this.#afterRead.get(task.sid) ?? [];
    pending.push(() => change(task));
    this.#afterRead.set(task.sid, pending);
  }

  /** Runs the changes waiting for a read of this task (see {@link changeTaskAfterNextRead}). */
  afterTaskRead(taskSid: string): void {
    const pending = this.#afterRead.get(taskSid);
    if (!pending) return;
    this.#afterRead.delete(taskSid);
    for (const change of pending) change();
  }

  worker(sid: string): WorkerRecord {
    const worker = this.ctx.store.workers.get(sid);
    if (!worker) throw notFound(`/Workspaces/${this.workspaceSid}/Workers/${sid}`);
    return worker;
  }

  /** A task channel by SID or unique name. */
  taskChannel(ref: string) {
    for (const channel of this.ctx.store.taskChannels.values()) {
      if (channel.sid === ref || channel.uniqueName === ref) return channel;
    }
    throw invalidParameter(`Task channel ${ref} does not exist`);
  }

  reservations(taskSid: string): ReservationRecord[] {
    return where(this.ctx.store.reservations, (r) => r.taskSid === taskSid);
  }

  /** The reservation of a task that a worker holds (accepted or wrapping), if any. */
  activeReservation(taskSid: string): ReservationRecord | undefined {
    return this.reservations(taskSid).find((r) => r.status === 'accepted' || r.status === 'wrapping');
  }

  // ---- task lifecycle ------------------------------------------------------------------------

  /** Creates a task and routes it; `beforeRouting` sees the task before any reservation is made. */
  createTask(input: CreateTaskInput, beforeRouting?: (task: TaskRecord) => void): TaskRecord {
    const workflowSid = input.workflowSid ?? this.workflowSid;
    if (!this.ctx.store.workflows.has(workflowSid))
      throw invalidParameter(`Workflow ${workflowSid} does not exist`);
    try {
      JSON.parse(input.attributes);
    } catch (error) {
      throw new TwilioApiError(400, 20001, 'Attributes must be a valid JSON string', { cause: error });
    }
    const channel = this.taskChannel(input.taskChannel ?? 'default');
    const now = this.ctx.clock.now();
    const placement = this.#enterWorkflow(workflowSid, input.attributes);
    const task: TaskRecord = {
      sid: newSid('WT'),
      workspaceSid: this.workspaceSid,
      workflowSid,
      taskQueueSid: placement.queue,
      taskChannelSid: channel.sid,
      attributes: input.attributes,
      assignmentStatus: 'pending',
      reason: null,
      priority: input.priority ?? 0,
      timeout: input.timeout ?? 86_400,
      routingTarget: input.routingTarget ?? null,
      routingStep: { filter: placement.filter, target: placement.target, since: now },
      taskQueueEnteredDate: now,
      dateCreated: now,
      dateUpdated: now,
      version: 0,
    };
    this.ctx.store.tasks.set(task.sid, task);
    beforeRouting?.(task);
    this.ctx.store.emit('task.updated', { task: this.taskJson(task) });
    this.#event('task.created', 'task', task.sid, `Task ${task.sid} created`, { task });
    this.#event('task-queue.entered', 'task', task.sid, `Task ${task.sid} entered the queue`, { task });
    this.assign(task);
    return task;
  }

  /**
   * "Assign to Anyone": reserves the task for the first available worker of its queue that has not
   * turned it down and that its routing step offers it to (a Known Agent Routing step: only the
   * worker its task attribute names).
   */
  assign(task: TaskRecord): ReservationRecord | undefined {
    if (task.assignmentStatus !== 'pending') return undefined;
    const declined = new Set(this.reservations(task.sid).map((r) => r.workerSid));
    const worker = [...this.ctx.store.workers.values()].find(
      (w) =>
        this.#isAvailable(w) &&
        !declined.has(w.sid) &&
        this.#inQueue(task.taskQueueSid, w) &&
        this.#isKnownWorker(task, w) &&
        (task.routingTarget === null || task.routingTarget === w.sid),
    );
    return worker ? this.#reserve(task, worker) : undefined;
  }

  /**
   * Moves every waiting task whose routing step's `timeout` has passed to the next target of its
   * filter (after the last one, to the default filter's queue), rescinding its pending
   * reservations, and offers it there. The emulator runs it every second and whenever the clock
   * is moved.
   *
   * @see https://www.twilio.com/docs/taskrouter/task-evaluation
   */
  checkStepTimeouts(): void {
    const now = this.ctx.clock.now().getTime();
    for (const task of this.inAssignmentOrder([...this.ctx.store.tasks.values()])) {
      if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') continue;
      const timeout = this.#currentTarget(task)?.timeout;
      if (timeout === undefined || now < task.routingStep.since.getTime() + timeout * 1000) continue;
      const next = this.#nextStep(task);
      for (const r of this.reservations(task.sid))
        if (r.status === 'pending') this.#setReservation(task, r, 'rescinded');
      const moved = next.queue !== task.taskQueueSid;
      task.routingStep = { filter: next.filter, target: next.target, since: new Date(now) };
      task.taskQueueSid = next.queue;
      if (moved) task.taskQueueEnteredDate = new Date(now);
      this.#setTask(task, 'pending', { silent: true });
      if (moved)
        this.#event('task-queue.moved', 'task', task.sid, `Task ${task.sid} moved to another queue`, {
          task,
        });
      this.assign(task);
    }
  }

  /** A worker accepts a task: their pending reservation, or a new one (rescinding others). */
  acceptTask(taskSid: string, workerSid: string): ReservationRecord {
    const task = this.task(taskSid);
    const worker = this.worker(workerSid);
    if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') {
      throw new TwilioApiError(
        400,
        20001,
        `Task ${task.sid} is ${task.assignmentStatus}, it cannot be accepted`,
      );
    }
    let reservation = this.reservations(task.sid).find(
      (r) => r.workerSid === worker.sid && r.status === 'pending',
    );
    if (!reservation) {
      for (const other of this.reservations(task.sid)) {
        if (other.status === 'pending') this.#setReservation(task, other, 'rescinded');
      }
      this.#setTask(task, 'pending', { silent: true });
      reservation = this.#reserve(task, worker);
    }
    return this.acceptReservation(reservation.sid);
  }

  acceptReservation(reservationSid: string): ReservationRecord {
    const reservation = this.#reservation(reservationSid);
    if (reservation.status !== 'pending') {
      throw new TwilioApiError(400, 20001, `Reservation ${reservation.sid} is ${reservation.status}`);
    }
    const task = this.task(reservation.taskSid);
    const worker = this.worker(reservation.workerSid);
    this.#setReservation(task, reservation, 'accepted');
    for (const other of this.reservations(task.sid)) {
      if (other !== reservation && other.status === 'pending') this.#setReservation(task, other, 'rescinded');
    }
    this.#setTask(task, 'assigned');
    this.hooks.reservationAccepted?.(task, reservation, worker);
    return reservation;
  }

  rejectReservation(reservationSid: string): ReservationRecord {
    const reservation = this.#reservation(reservationSid);
    if (reservation.status !== 'pending') {
      throw new TwilioApiError(400, 20001, `Reservation ${reservation.sid} is ${reservation.status}`);
    }
    const task = this.task(reservation.taskSid);
    this.#setReservation(task, reservation, 'rejected');
    if (!this.reservations(task.sid).some((r) => r.status === 'pending')) {
      this.#setTask(task, 'pending', { silent: true });
      this.assign(task);
    }
    return reservation;
  }

  /** A worker turns a task down: their pending reservation is rejected (one is made if needed). */
  rejectTask(taskSid: string, workerSid: string): ReservationRecord {
    const task = this.task(taskSid);
    const worker = this.worker(workerSid);
    let reservation = this.reservations(task.sid).find(
      (r) => r.workerSid === worker.sid && r.status === 'pending',
    );
    if (!reservation) {
      if (task.assignmentStatus !== 'pending') {
        throw new TwilioApiError(400, 20001, `Task ${task.sid} is ${task.assignmentStatus}`);
      }
      reservation = this.#reserve(task, worker);
    }
    return this.rejectReservation(reservation.sid);
  }

  wrapTask(taskSid: string, reason?: string): TaskRecord {
    const task = this.task(taskSid);
    if (task.assignmentStatus === 'wrapping') return task;
    if (task.assignmentStatus !== 'assigned') {
      throw new TwilioApiError(400, 20001, `Task ${task.sid} is ${task.assignmentStatus}, it cannot wrap up`);
    }
    const reservation = this.activeReservation(task.sid);
    if (reservation) this.#setReservation(task, reservation, 'wrapping');
    this.#setTask(task, 'wrapping', { reason });
    this.hooks.taskWrapping?.(task);
    return task;
  }

  completeTask(taskSid: string, reason = 'Task completed'): TaskRecord {
    const task = this.task(taskSid);
    if (task.assignmentStatus !== 'assigned' && task.assignmentStatus !== 'wrapping') {
      throw new TwilioApiError(
        400,
        20001,
        `Task ${task.sid} is ${task.assignmentStatus}, it cannot complete`,
      );
    }
    const reservation = this.activeReservation(task.sid);
    if (reservation) this.#setReservation(task, reservation, 'completed');
    this.#setTask(task, 'completed', { reason });
    this.hooks.taskCompleted?.(task);
    return task;
  }

  cancelTask(taskSid: string, reason = 'Task canceled'): TaskRecord {
    const task = this.task(taskSid);
    if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') {
      throw new TwilioApiError(
        400,
        20001,
        `Task ${task.sid} is ${task.assignmentStatus}, it cannot be canceled`,
      );
    }
    for (const r of this.reservations(task.sid))
      if (r.status === 'pending') this.#setReservation(task, r, 'canceled');
    this.#setTask(task, 'canceled', { reason });
    this.hooks.taskCanceled?.(task);
    return task;
  }

  updateTaskAttributes(taskSid: string, attributes: string): TaskRecord {
    const task = this.task(taskSid);
    try {
      JSON.parse(attributes);
    } catch (error) {
      throw new TwilioApiError(400, 20001, 'Attributes must be a valid JSON string', { cause: error });
    }
    task.attributes = attributes;
    task.dateUpdated = this.ctx.clock.now();
    this.#taskChanged(task);
    this.#event('task.updated', 'task', task.sid, `Task ${task.sid} updated`, { task });
    return task;
  }

  setTaskPriority(taskSid: string, priority: number): TaskRecord {
    const task = this.task(taskSid);
    task.priority = priority;
    task.dateUpdated = this.ctx.clock.now();
    this.#taskChanged(task);
    return task;
  }

  /**
   * `If-Match` on a task write: the write goes ahead only if the header is the task's current
   * version (its `ETag`); otherwise 412 / 20412 and nothing changes. Without the header, no check.
   *
   * @see https://www.twilio.com/docs/taskrouter/api/task (Task Version)
   * @see https://www.twilio.com/docs/usage/mutation-and-conflict-resolution
   */
  checkVersion(task: TaskRecord, ifMatch: string | undefined): void {
    if (ifMatch === undefined) return;
    const wanted = ifMatch
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
    if (wanted !== String(task.version)) {
      throw new TwilioApiError(
        412,
        20412,
        'Precondition Failed: the Task has changed (its ETag is not If-Match)',
      );
    }
  }

  /**
   * A worker moves to another activity. With `rejectPendingReservations` and an unavailable
   * activity, the worker's pending reservations are rejected (their tasks offered to others).
   *
   * @see https://www.twilio.com/docs/taskrouter/api/worker#update-a-worker-resource
   */
  setWorkerActivity(workerSid: string, activitySid: string, rejectPendingReservations = false): WorkerRecord {
    const worker = this.worker(workerSid);
    const activity = this.ctx.store.activities.get(activitySid);
    if (!activity) throw invalidParameter(`Activity ${activitySid} does not exist`);
    if (rejectPendingReservations && !activity.available) {
      for (const reservation of where(
        this.ctx.store.reservations,
        (r) => r.workerSid === worker.sid && r.status === 'pending',
      )) {
        this.rejectReservation(reservation.sid);
      }
    }
    if (worker.activitySid === activitySid) return worker;
    worker.activitySid = activitySid;
    worker.dateStatusChanged = this.ctx.clock.now();
    worker.dateUpdated = worker.dateStatusChanged;
    this.#event(
      'worker.activity.update',
      'worker',
      worker.sid,
      `Worker ${worker.friendlyName} is ${activity.friendlyName}`,
      {
        worker,
      },
    );
    if (activity.available) {
      for (const task of this.inAssignmentOrder([...this.ctx.store.tasks.values()]))
        if (task.assignmentStatus === 'pending') this.assign(task);
    }
    return worker;
  }

  #routing(workflowSid: string): WorkflowRouting | undefined {
    const workflow = this.ctx.store.workflows.get(workflowSid)!;
    return (JSON.parse(workflow.configuration) as { task_routing?: WorkflowRouting }).task_routing;
  }

  /**
   * Where a workflow puts a new task: the first target of the first filter whose expression the
   * task's attributes match, else the default filter. Targets' own `expression`, `priority`,
   * `order_by` and `skip_if` are not modelled; `timeout` and Known Agent Routing are.
   */
  #enterWorkflow(workflowSid: string, attributes: string): WorkflowPlacement {
    const routing = this.#routing(workflowSid);
    const filters = routing?.filters ?? [];
    for (const [index, filter] of filters.entries()) {
      const targets = filter.targets ?? [];
      if (targets.some((target) => target.queue) && matches(filter.expression ?? '1==1', attributes))
        return { filter: index, target: 0, queue: this.#targetQueue(targets, 0) };
    }
    return { filter: null, target: 0, queue: routing?.default_filter?.queue ?? this.taskQueueSid };
  }

  /** A target's queue; a target without one stays in the queue of the target before it. */
  #targetQueue(targets: readonly WorkflowTarget[], index: number): string {
    for (let i = index; i >= 0; i--) if (targets[i]?.queue) return targets[i]!.queue!;
    return targets.find((target) => target.queue)?.queue ?? this.taskQueueSid;
  }

  /** The filter target a task is at (undefined in the default filter). */
  #currentTarget(task: TaskRecord): WorkflowTarget | undefined {
    const { filter, target } = task.routingStep;
    if (filter === null) return undefined;
    return this.#routing(task.workflowSid)?.filters?.[filter]?.targets?.[target];
  }

  /** The step after a task's current one: its filter's next target, else the default filter. */
  #nextStep(task: TaskRecord): WorkflowPlacement {
    const routing = this.#routing(task.workflowSid);
    const { filter, target } = task.routingStep;
    const targets = filter === null ? [] : (routing?.filters?.[filter]?.targets ?? []);
    if (filter !== null && target + 1 < targets.length)
      return { filter, target: target + 1, queue: this.#targetQueue(targets, target + 1) };
    return { filter: null, target: 0, queue: routing?.default_filter?.queue ?? this.taskQueueSid };
  }

  /**
   * Known Agent Routing: whether a task's routing step offers it to this worker. A step with
   * `known_worker_sid` (or `known_worker_friendly_name`) names a task attribute; only the worker
   * whose SID (or friendly name) is its value is offered the task. When the attribute is missing or
   * empty, or names no worker of the step's queue, nobody is: the task waits out the step's timeout.
   *
   * @see https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing
   */
  #isKnownWorker(task: TaskRecord, worker: WorkerRecord): boolean {
    const target = this.#currentTarget(task);
    const key = target?.known_worker_sid ?? target?.known_worker_friendly_name;
    if (key === undefined) return true;
    const value = valueAt(task.attributes, key.replace(/^task\./, ''));
    if (typeof value !== 'string' || value === '') return false;
    return target?.known_worker_sid !== undefined ? worker.sid === value : worker.friendlyName === value;
  }

  /** Whether a worker is one of a queue's (its `TargetWorkers` expression over their attributes). */
  #inQueue(queueSid: string, worker: WorkerRecord): boolean {
    const queue = this.ctx.store.taskQueues.get(queueSid);
    return !queue || matches(queue.targetWorkers || '1==1', worker.attributes);
  }

  createTaskQueue(input: {
    friendlyName?: string | undefined;
    targetWorkers?: string | undefined;
  }): TaskQueueRecord {
    if (!input.friendlyName) throw missingParameter('FriendlyName');
    const targetWorkers = input.targetWorkers || '1==1';
    checkExpression(targetWorkers, 'TargetWorkers');
    const queue: TaskQueueRecord = {
      sid: newSid('WQ'),
      workspaceSid: this.workspaceSid,
      friendlyName: input.friendlyName,
      targetWorkers,
      dateCreated: this.ctx.clock.now(),
    };
    this.ctx.store.taskQueues.set(queue.sid, queue);
    return queue;
  }

  createTaskChannel(input: {
    friendlyName?: string | undefined;
    uniqueName?: string | undefined;
  }): TaskChannelRecord {
    if (!input.friendlyName) throw missingParameter('FriendlyName');
    if (!input.uniqueName) throw missingParameter('UniqueName');
    if ([...this.ctx.store.taskChannels.values()].some((c) => c.uniqueName === input.uniqueName))
      throw invalidParameter(`A Task Channel with UniqueName ${input.uniqueName} already exists`);
    const channel: TaskChannelRecord = {
      sid: newSid('TC'),
      workspaceSid: this.workspaceSid,
      uniqueName: input.uniqueName,
      friendlyName: input.friendlyName,
      dateCreated: this.ctx.clock.now(),
    };
    this.ctx.store.taskChannels.set(channel.sid, channel);
    return channel;
  }

  createWorkflow(input: {
    friendlyName?: string | undefined;
    configuration?: string | undefined;
    taskReservationTimeout?: number | undefined;
    assignmentCallbackUrl?: string | undefined;
  }): WorkflowRecord {
    if (!input.friendlyName) throw missingParameter('FriendlyName');
    if (!input.configuration) throw missingParameter('Configuration');
    this.#checkConfiguration(input.configuration);
    const now = this.ctx.clock.now();
    const workflow: WorkflowRecord = {
      sid: newSid('WW'),
      workspaceSid: this.workspaceSid,
      friendlyName: input.friendlyName,
      configuration: input.configuration,
      taskReservationTimeout: input.taskReservationTimeout ?? 120,
      assignmentCallbackUrl: input.assignmentCallbackUrl ?? null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.ctx.store.workflows.set(workflow.sid, workflow);
    return workflow;
  }

  /**
   * A workflow configuration as TaskRouter checks it: JSON with `task_routing`, each filter's
   * expression valid, each target queue in the workspace.
   */
  #checkConfiguration(configuration: string): void {
    let routing: WorkflowRouting | undefined;
    try {
      routing = (JSON.parse(configuration) as { task_routing?: WorkflowRouting }).task_routing;
    } catch (error) {
      throw new TwilioApiError(400, 20001, 'Configuration must be a valid JSON string', { cause: error });
    }
    if (!routing) throw invalidParameter('Configuration must have task_routing');
    const queues = [
      ...(routing.filters ?? []).flatMap((filter) => {
        checkExpression(filter.expression ?? '1==1', 'Configuration filter expression');
        return (filter.targets ?? []).map((target) => target.queue);
      }),
      routing.default_filter?.queue,
    ].filter((queue): queue is string => Boolean(queue));
    for (const queue of queues)
      if (!this.ctx.store.taskQueues.has(queue)) throw invalidParameter(`TaskQueue ${queue} does not exist`);
  }

  /**
   * `POST …/Workflows/{WW}`: changes the given fields; a new `Configuration` is checked as on create
   * and routes the tasks created after it.
   *
   * @see https://www.twilio.com/docs/taskrouter/api/workflow#update-a-workflow-resource
   */
  updateWorkflow(
    sid: string,
    input: {
      friendlyName?: string | undefined;
      configuration?: string | undefined;
      taskReservationTimeout?: number | undefined;
      assignmentCallbackUrl?: string | undefined;
    },
  ): WorkflowRecord {
    const workflow = this.ctx.store.workflows.get(sid);
    if (!workflow || workflow.workspaceSid !== this.workspaceSid)
      throw notFound(`/Workspaces/${this.workspaceSid}/Workflows/${sid}`);
    if (input.configuration !== undefined) {
      this.#checkConfiguration(input.configuration);
      workflow.configuration = input.configuration;
    }
    if (input.friendlyName) workflow.friendlyName = input.friendlyName;
    if (input.taskReservationTimeout !== undefined)
      workflow.taskReservationTimeout = input.taskReservationTimeout;
    if (input.assignmentCallbackUrl !== undefined)
      workflow.assignmentCallbackUrl = input.assignmentCallbackUrl || null;
    workflow.dateUpdated = this.ctx.clock.now();
    return workflow;
  }

  /**
   * Tasks in the order a TaskQueue assigns them: higher priority first, then the one that entered
   * the queue first.
   *
   * @see https://www.twilio.com/docs/taskrouter/api/task-queue#task-assignment-precedence
   */
  inAssignmentOrder(tasks: TaskRecord[]): TaskRecord[] {
    return tasks.sort(
      (a, b) =>
        b.priority - a.priority || a.taskQueueEnteredDate.getTime() - b.taskQueueEnteredDate.getTime(),
    );
  }

  /**
   * `GET …/TaskQueues/{WQ}/RealTimeStatistics`: the queue right now — its open tasks by status and
   * priority, the longest waiting one, and its workers (those its `TargetWorkers` selects) by
   * activity: `total_eligible_workers` whatever their activity, `total_available_workers` the
   * available ones.
   *
   * @see https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics#taskqueue-realtime-statistics
   */
  realTimeStatisticsJson(queueSid: string, taskChannel?: string): Record<string, unknown> {
    const queue = this.ctx.store.taskQueues.get(queueSid);
    if (!queue) throw notFound(`/Workspaces/${this.workspaceSid}/TaskQueues/${queueSid}`);
    const channelSid = taskChannel ? this.taskChannel(taskChannel).sid : null;
    const now = this.ctx.clock.now().getTime();
    const open = where(
      this.ctx.store.tasks,
      (t) =>
        t.taskQueueSid === queue.sid &&
        (!channelSid || t.taskChannelSid === channelSid) &&
        ['pending', 'reserved', 'assigned', 'wrapping'].includes(t.assignmentStatus),
    );
    const byStatus: Record<string, number> = { reserved: 0, pending: 0, assigned: 0, wrapping: 0 };
    const byPriority: Record<string, number> = {};
    for (const t of open) {
      byStatus[t.assignmentStatus] = (byStatus[t.assignmentStatus] ?? 0) + 1;
      byPriority[String(t.priority)] = (byPriority[String(t.priority)] ?? 0) + 1;
    }
    const waiting = open.filter((t) => t.assignmentStatus === 'pending' || t.assignmentStatus === 'reserved');
    const oldest = [...waiting].sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())[0];
    const longestInQueue = [...waiting].sort(
      (a, b) => a.taskQueueEnteredDate.getTime() - b.taskQueueEnteredDate.getTime(),
    )[0];
    // The queue's workers are those its TargetWorkers expression selects, not the workspace's.
    const workers = where(
      this.ctx.store.workers,
      (w) => w.workspaceSid === queue.workspaceSid && this.#inQueue(queue.sid, w),
    );
    const activities = where(this.ctx.store.activities, (a) => a.workspaceSid === queue.workspaceSid);
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: queue.workspaceSid,
      task_queue_sid: queue.sid,
      longest_task_waiting_age: oldest ? Math.floor((now - oldest.dateCreated.getTime()) / 1000) : 0,
      longest_task_waiting_sid: oldest?.sid ?? null,
      longest_relative_task_age_in_queue: longestInQueue
        ? Math.floor((now - longestInQueue.taskQueueEnteredDate.getTime()) / 1000)
        : 0,
      longest_relative_task_sid_in_queue: longestInQueue?.sid ?? null,
      tasks_by_status: byStatus,
      tasks_by_priority: byPriority,
      total_tasks: open.length,
      total_available_workers: workers.filter((w) => this.#isAvailable(w)).length,
      total_eligible_workers: workers.length,
      activity_statistics: activities.map((a) => ({
        sid: a.sid,
        friendly_name: a.friendlyName,
        workers: workers.filter((w) => w.activitySid === a.sid).length,
      })),
      url: `${PUBLIC_BASE}/Workspaces/${queue.workspaceSid}/TaskQueues/${queue.sid}/RealTimeStatistics`,
    };
  }

  /**
   * `GET …/TaskQueues/{WQ}/CumulativeStatistics`: what happened in the queue over an interval
   * (`Minutes`, default 15, or `StartDate`/`EndDate`) — tasks entered, reservations by outcome and
   * the wait until a task was accepted (`avg`/`min`/`max`/`total` seconds, from the task's creation).
   *
   * @see https://www.twilio.com/docs/taskrouter/api/taskqueue-statistics#taskqueue-cumulative-statistics
   */
  cumulativeStatisticsJson(
    queueSid: string,
    interval: { minutes?: number | undefined; startDate?: Date | undefined; endDate?: Date | undefined },
  ): Record<string, unknown> {
    const queue = this.ctx.store.taskQueues.get(queueSid);
    if (!queue) throw notFound(`/Workspaces/${this.workspaceSid}/TaskQueues/${queueSid}`);
    const end = interval.endDate ?? this.ctx.clock.now();
    const start = interval.startDate ?? new Date(end.getTime() - (interval.minutes ?? 15) * 60_000);
    const events = this.ctx.store.taskRouterEvents.filter(
      (e) => e.data.TaskQueueSid === queue.sid && e.date >= start && e.date <= end,
    );
    const count = (type: string) => events.filter((e) => e.eventType === type).length;
    const durations = (type: string) =>
      events.filter((e) => e.eventType === type).map((e) => Number(e.data.TaskAge ?? 0));
    const stats = (values: number[]) =>
      values.length === 0
        ? { avg: 0, min: 0, max: 0, total: 0 }
        : {
            avg: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
            min: Math.min(...values),
            max: Math.max(...values),
            total: values.reduce((a, b) => a + b, 0),
          };
    const accepted = durations('reservation.accepted');
    const acceptedStats = stats(accepted);
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: queue.workspaceSid,
      task_queue_sid: queue.sid,
      start_time: twilioDate(start),
      end_time: twilioDate(end),
      avg_task_acceptance_time: acceptedStats.avg,
      tasks_entered: count('task-queue.entered'),
      tasks_canceled: count('task.canceled'),
      tasks_completed: count('task.completed'),
      tasks_deleted: count('task.deleted'),
      tasks_moved: count('task-queue.moved'),
      reservations_created: count('reservation.created'),
      reservations_accepted: accepted.length,
      reservations_rejected: count('reservation.rejected'),
      reservations_timed_out: count('reservation.timeout'),
      reservations_canceled: count('reservation.canceled'),
      reservations_rescinded: count('reservation.rescinded'),
      wait_duration_until_accepted: acceptedStats,
      wait_duration_until_canceled: stats(durations('task.canceled')),
      wait_duration_in_queue_until_accepted: acceptedStats,
      split_by_wait_time: null,
      url: `${PUBLIC_BASE}/Workspaces/${queue.workspaceSid}/TaskQueues/${queue.sid}/CumulativeStatistics`,
    };
  }

  #isAvailable(worker: WorkerRecord): boolean {
    return this.ctx.store.activities.get(worker.activitySid)?.available === true;
  }

  #reservation(sid: string): ReservationRecord {
    const reservation = this.ctx.store.reservations.get(sid);
    if (!reservation) throw notFound(`/Workspaces/${this.workspaceSid}/Reservations/${sid}`);
    return reservation;
  }

  #reserve(task: TaskRecord, worker: WorkerRecord): ReservationRecord {
    const now = this.ctx.clock.now();
    const reservation: ReservationRecord = {
      sid: newSid('WR'),
      workspaceSid: this.workspaceSid,
      taskSid: task.sid,
      workerSid: worker.sid,
      status: 'pending',
      dateCreated: now,
      dateUpdated: now,
    };
    this.ctx.store.reservations.set(reservation.sid, reservation);
    this.#setTask(task, 'reserved', { silent: true });
    this.ctx.store.emit('reservation.created', { reservation: this.reservationJson(reservation) });
    this.#event(
      'reservation.created',
      'reservation',
      reservation.sid,
      `Task ${task.sid} reserved for ${worker.friendlyName}`,
      {
        task,
        worker,
        reservation,
      },
    );
    return reservation;
  }

  #setReservation(
    task: TaskRecord,
    reservation: ReservationRecord,
    status: ReservationRecord['status'],
  ): void {
    reservation.status = status;
    reservation.dateUpdated = this.ctx.clock.now();
    const worker = this.worker(reservation.workerSid);
    this.ctx.store.emit('reservation.updated', { reservation: this.reservationJson(reservation) });
    const eventType = status === 'wrapping' ? 'reservation.wrapup' : `reservation.${status}`;
    this.#event(eventType, 'reservation', reservation.sid, `Reservation ${reservation.sid} ${status}`, {
      task,
      worker,
      reservation,
    });
  }

  #setTask(
    task: TaskRecord,
    status: TaskAssignmentStatus,
    { reason, silent = false }: { reason?: string | undefined; silent?: boolean } = {},
  ): void {
    task.assignmentStatus = status;
    if (reason !== undefined) task.reason = reason;
    task.dateUpdated = this.ctx.clock.now();
    this.#taskChanged(task);
    if (silent) return;
    const eventType =
      status === 'wrapping'
        ? 'task.wrapup'
        : status === 'assigned' || status === 'reserved'
          ? null
          : `task.${status}`;
    if (eventType) this.#event(eventType, 'task', task.sid, `Task ${task.sid} ${status}`, { task });
  }

  #taskChanged(task: TaskRecord): void {
    task.version += 1;
    this.ctx.store.emit('task.updated', { task: this.taskJson(task) });
  }

  /** Records a workspace event and sends it to the Event Callback URL. */
  #event(
    eventType: string,
    resourceType: string,
    resourceSid: string,
    description: string,
    about: { task?: TaskRecord; worker?: WorkerRecord; reservation?: ReservationRecord },
  ): void {
    const workspace = this.workspace(this.workspaceSid);
    const now = this.ctx.clock.now();
    const sid = newSid('EV');
    const data: Record<string, string> = {
      Sid: sid,
      EventType: eventType,
      AccountSid: this.ctx.accountSid,
      WorkspaceSid: workspace.sid,
      WorkspaceName: workspace.friendlyName,
      EventDescription: description,
      ResourceType: resourceType,
      ResourceSid: resourceSid,
      Timestamp: String(Math.floor(now.getTime() / 1000)),
      TimestampMs: String(now.getTime()),
    };
    const { task, worker, reservation } = about;
    if (task) {
      const channel = this.ctx.store.taskChannels.get(task.taskChannelSid);
      const workflow = this.ctx.store.workflows.get(task.workflowSid);
      const queue = this.ctx.store.taskQueues.get(task.taskQueueSid);
      Object.assign(data, {
        TaskSid: task.sid,
        TaskAttributes: task.attributes,
        TaskAge: String(Math.floor((now.getTime() - task.dateCreated.getTime()) / 1000)),
        TaskPriority: String(task.priority),
        TaskAssignmentStatus: task.assignmentStatus,
        TaskDateCreated: String(Math.floor(task.dateCreated.getTime() / 1000)),
        TaskChannelSid: task.taskChannelSid,
        TaskChannelUniqueName: channel?.uniqueName ?? '',
        TaskQueueSid: task.taskQueueSid,
        TaskQueueName: queue?.friendlyName ?? '',
        WorkflowSid: task.workflowSid,
        WorkflowName: workflow?.friendlyName ?? '',
      });
      if (task.assignmentStatus === 'completed') data.TaskCompletedReason = task.reason ?? '';
      if (task.assignmentStatus === 'canceled') data.TaskCanceledReason = task.reason ?? '';
      if (task.reason !== null) data.Reason = task.reason;
    }
    if (worker) {
      const activity = this.ctx.store.activities.get(worker.activitySid);
      Object.assign(data, {
        WorkerSid: worker.sid,
        WorkerName: worker.friendlyName,
        WorkerAttributes: worker.attributes,
        WorkerActivitySid: worker.activitySid,
        WorkerActivityName: activity?.friendlyName ?? '',
      });
    }
    if (reservation) data.ReservationSid = reservation.sid;
    this.ctx.store.taskRouterEvents.push({
      sid,
      eventType,
      resourceType,
      resourceSid,
      description,
      data,
      date: now,
    });
    this.ctx.store.emit('taskrouter.event', { eventType, resourceSid, data });
    const filter = workspace.eventsFilter?.split(',').map((e) => e.trim());
    if (workspace.eventCallbackUrl && (!filter || filter.includes(eventType))) {
      this.ctx.dispatcher.enqueue({
        kind: 'taskrouter',
        url: workspace.eventCallbackUrl,
        method: 'POST',
        eventType,
        params: data,
        orderingKey: workspace.sid,
        conversationSid: null,
        retryCountParam: false,
      });
    }
  }

  // ---- JSON as Twilio returns it -------------------------------------------------------------

  workspaceJson(w: WorkspaceRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Workspaces/${w.sid}`;
    const activity = (sid: string) => this.ctx.store.activities.get(sid)?.friendlyName ?? null;
    return {
      account_sid: this.ctx.accountSid,
      sid: w.sid,
      friendly_name: w.friendlyName,
      event_callback_url: w.eventCallbackUrl,
      events_filter: w.eventsFilter,
      default_activity_sid: w.defaultActivitySid,
      default_activity_name: activity(w.defaultActivitySid),
      timeout_activity_sid: w.timeoutActivitySid,
      timeout_activity_name: activity(w.timeoutActivitySid),
      multi_task_enabled: w.multiTaskEnabled,
      prioritize_queue_order: w.prioritizeQueueOrder,
      date_created: twilioDate(w.dateCreated),
      date_updated: twilioDate(w.dateUpdated),
      url,
      links: {
        activities: `${url}/Activities`,
        events: `${url}/Events`,
        task_channels: `${url}/TaskChannels`,
        task_queues: `${url}/TaskQueues`,
        tasks: `${url}/Tasks`,
        workers: `${url}/Workers`,
        workflows: `${url}/Workflows`,
      },
    };
  }

  workflowJson(sid: string): Record<string, unknown> {
    const w = this.ctx.store.workflows.get(sid);
    if (!w) throw notFound(`/Workspaces/${this.workspaceSid}/Workflows/${sid}`);
    const url = `${PUBLIC_BASE}/Workspaces/${w.workspaceSid}/Workflows/${w.sid}`;
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: w.workspaceSid,
      sid: w.sid,
      friendly_name: w.friendlyName,
      configuration: w.configuration,
      assignment_callback_url: w.assignmentCallbackUrl,
      fallback_assignment_callback_url: null,
      task_reservation_timeout: w.taskReservationTimeout,
      document_content_type: 'application/json',
      date_created: twilioDate(w.dateCreated),
      date_updated: twilioDate(w.dateUpdated),
      url,
      links: { statistics: `${url}/Statistics` },
    };
  }

  taskQueueJson(sid: string): Record<string, unknown> {
    const q = this.ctx.store.taskQueues.get(sid);
    if (!q) throw notFound(`/Workspaces/${this.workspaceSid}/TaskQueues/${sid}`);
    const workspace = `${PUBLIC_BASE}/Workspaces/${q.workspaceSid}`;
    const url = `${workspace}/TaskQueues/${q.sid}`;
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: q.workspaceSid,
      sid: q.sid,
      friendly_name: q.friendlyName,
      target_workers: q.targetWorkers,
      task_order: 'FIFO',
      max_reserved_workers: 1,
      // Flex's queues leave the worker's activity alone on reservation and assignment.
      assignment_activity_sid: null,
      assignment_activity_name: null,
      reservation_activity_sid: null,
      reservation_activity_name: null,
      date_created: twilioDate(q.dateCreated),
      date_updated: twilioDate(q.dateCreated),
      url,
      links: {
        workspace,
        statistics: `${url}/Statistics`,
        real_time_statistics: `${url}/RealTimeStatistics`,
        cumulative_statistics: `${url}/CumulativeStatistics`,
        list_statistics: `${workspace}/TaskQueues/Statistics`,
        bulk_real_time_statistics: `${workspace}/TaskQueues/RealTimeStatistics`,
      },
    };
  }

  taskChannelJson(ref: string): Record<string, unknown> {
    const c = this.taskChannel(ref);
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: c.workspaceSid,
      sid: c.sid,
      friendly_name: c.friendlyName,
      unique_name: c.uniqueName,
      channel_optimized_routing: null,
      date_created: twilioDate(c.dateCreated),
      date_updated: twilioDate(c.dateCreated),
      url: `${PUBLIC_BASE}/Workspaces/${c.workspaceSid}/TaskChannels/${c.sid}`,
      links: { workspace: `${PUBLIC_BASE}/Workspaces/${c.workspaceSid}` },
    };
  }

  activityJson(a: ActivityRecord): Record<string, unknown> {
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: a.workspaceSid,
      sid: a.sid,
      friendly_name: a.friendlyName,
      available: a.available,
      date_created: twilioDate(a.dateCreated),
      date_updated: twilioDate(a.dateCreated),
      url: `${PUBLIC_BASE}/Workspaces/${a.workspaceSid}/Activities/${a.sid}`,
      links: { workspace: `${PUBLIC_BASE}/Workspaces/${a.workspaceSid}` },
    };
  }

  workerJson(w: WorkerRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Workspaces/${w.workspaceSid}/Workers/${w.sid}`;
    const activity = this.ctx.store.activities.get(w.activitySid);
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: w.workspaceSid,
      sid: w.sid,
      friendly_name: w.friendlyName,
      attributes: w.attributes,
      activity_sid: w.activitySid,
      activity_name: activity?.friendlyName ?? null,
      available: activity?.available ?? false,
      date_status_changed: twilioDate(w.dateStatusChanged),
      date_created: twilioDate(w.dateCreated),
      date_updated: twilioDate(w.dateUpdated),
      url,
      links: { reservations: `${url}/Reservations`, channels: `${url}/Channels` },
    };
  }

  taskJson(t: TaskRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Workspaces/${t.workspaceSid}/Tasks/${t.sid}`;
    const channel = this.ctx.store.taskChannels.get(t.taskChannelSid);
    const workflow = this.ctx.store.workflows.get(t.workflowSid);
    const queue = this.ctx.store.taskQueues.get(t.taskQueueSid);
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: t.workspaceSid,
      sid: t.sid,
      age: Math.floor((this.ctx.clock.now().getTime() - t.dateCreated.getTime()) / 1000),
      assignment_status: t.assignmentStatus,
      attributes: t.attributes,
      addons: '{}',
      priority: t.priority,
      reason: t.reason,
      timeout: t.timeout,
      task_channel_sid: t.taskChannelSid,
      task_channel_unique_name: channel?.uniqueName ?? null,
      task_queue_sid: t.taskQueueSid,
      task_queue_friendly_name: queue?.friendlyName ?? null,
      task_queue_entered_date: twilioDate(t.taskQueueEnteredDate),
      workflow_sid: t.workflowSid,
      workflow_friendly_name: workflow?.friendlyName ?? null,
      routing_target: t.routingTarget,
      ignore_capacity: false,
      virtual_start_time: twilioDate(t.dateCreated),
      date_created: twilioDate(t.dateCreated),
      date_updated: twilioDate(t.dateUpdated),
      url,
      links: {
        reservations: `${url}/Reservations`,
        workspace: `${PUBLIC_BASE}/Workspaces/${t.workspaceSid}`,
        workflow: `${PUBLIC_BASE}/Workspaces/${t.workspaceSid}/Workflows/${t.workflowSid}`,
        task_queue: `${PUBLIC_BASE}/Workspaces/${t.workspaceSid}/TaskQueues/${t.taskQueueSid}`,
      },
    };
  }

  reservationJson(r: ReservationRecord): Record<string, unknown> {
    const worker = this.ctx.store.workers.get(r.workerSid);
    const url = `${PUBLIC_BASE}/Workspaces/${r.workspaceSid}/Tasks/${r.taskSid}/Reservations/${r.sid}`;
    return {
      account_sid: this.ctx.accountSid,
      workspace_sid: r.workspaceSid,
      task_sid: r.taskSid,
      sid: r.sid,
      reservation_status: r.status,
      worker_sid: r.workerSid,
      worker_name: worker?.friendlyName ?? null,
      date_created: twilioDate(r.dateCreated),
      date_updated: twilioDate(r.dateUpdated),
      url,
      links: {
        task: `${PUBLIC_BASE}/Workspaces/${r.workspaceSid}/Tasks/${r.taskSid}`,
        worker: `${PUBLIC_BASE}/Workspaces/${r.workspaceSid}/Workers/${r.workerSid}`,
        workspace: `${PUBLIC_BASE}/Workspaces/${r.workspaceSid}`,
      },
    };
  }
}

/** TaskRouter routes relative to `/taskrouter/v1`. */
export function taskRouterRouter(service: TaskRouterService, ctx: EmulatorContext): Router {
  const router = Router();
  const page = <T>(req: Request, items: readonly T[], key: string) => pageOf(req, items, key, ctx.baseUrl());
  const ws = (req: Request) => service.workspace(String(req.params.ws)).sid;
  router.use(taskRouterStatisticsRouter(new TaskRouterStatistics(ctx, service), service, ctx));

  router.get('/Workspaces', (req, res) => {
    res.json(
      page(
        req,
        [...ctx.store.workspaces.values()].map((w) => service.workspaceJson(w)),
        'workspaces',
      ),
    );
  });
  router.get('/Workspaces/:ws', (req, res) => {
    res.json(service.workspaceJson(service.workspace(req.params.ws)));
  });
  router.post('/Workspaces/:ws', (req, res) => {
    const workspace = service.workspace(req.params.ws);
    const params = paramsOf(req);
    if (params.has('EventCallbackUrl')) workspace.eventCallbackUrl = params.get('EventCallbackUrl') || null;
    if (params.has('EventsFilter')) workspace.eventsFilter = params.get('EventsFilter') || null;
    const friendlyName = params.get('FriendlyName');
    if (friendlyName) workspace.friendlyName = friendlyName;
    const multiTask = params.bool('MultiTaskEnabled');
    if (multiTask !== undefined) workspace.multiTaskEnabled = multiTask;
    workspace.dateUpdated = ctx.clock.now();
    res.json(service.workspaceJson(workspace));
  });

  router.get('/Workspaces/:ws/Workflows', (req, res) => {
    const sid = ws(req);
    const items = where(ctx.store.workflows, (w) => w.workspaceSid === sid).map((w) =>
      service.workflowJson(w.sid),
    );
    res.json(page(req, items, 'workflows'));
  });
  router.post('/Workspaces/:ws/Workflows', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const workflow = service.createWorkflow({
      friendlyName: params.get('FriendlyName'),
      configuration: params.get('Configuration'),
      taskReservationTimeout: params.int('TaskReservationTimeout'),
      assignmentCallbackUrl: params.get('AssignmentCallbackUrl'),
    });
    res.status(201).json(service.workflowJson(workflow.sid));
  });
  router.post('/Workspaces/:ws/TaskQueues', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const queue = service.createTaskQueue({
      friendlyName: params.get('FriendlyName'),
      targetWorkers: params.get('TargetWorkers'),
    });
    res.status(201).json(service.taskQueueJson(queue.sid));
  });
  router.post('/Workspaces/:ws/TaskChannels', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const channel = service.createTaskChannel({
      friendlyName: params.get('FriendlyName'),
      uniqueName: params.get('UniqueName'),
    });
    res.status(201).json(service.taskChannelJson(channel.sid));
  });
  router.get('/Workspaces/:ws/Workflows/:sid', (req, res) => {
    ws(req);
    res.json(service.workflowJson(req.params.sid));
  });
  router.post('/Workspaces/:ws/Workflows/:sid', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const workflow = service.updateWorkflow(req.params.sid, {
      friendlyName: params.get('FriendlyName'),
      configuration: params.get('Configuration'),
      taskReservationTimeout: params.int('TaskReservationTimeout'),
      assignmentCallbackUrl: params.get('AssignmentCallbackUrl'),
    });
    res.json(service.workflowJson(workflow.sid));
  });
  router.get('/Workspaces/:ws/TaskQueues', (req, res) => {
    const sid = ws(req);
    const items = where(ctx.store.taskQueues, (q) => q.workspaceSid === sid).map((q) =>
      service.taskQueueJson(q.sid),
    );
    res.json(page(req, items, 'task_queues'));
  });
  router.get('/Workspaces/:ws/TaskQueues/:sid', (req, res) => {
    ws(req);
    res.json(service.taskQueueJson(req.params.sid));
  });
  router.get('/Workspaces/:ws/TaskQueues/:sid/RealTimeStatistics', (req, res) => {
    ws(req);
    res.json(service.realTimeStatisticsJson(req.params.sid, paramsOf(req).get('TaskChannel')));
  });
  router.get('/Workspaces/:ws/TaskQueues/:sid/CumulativeStatistics', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const date = (name: string) => {
      const value = params.get(name);
      if (value === undefined) return undefined;
      const parsed = new Date(value);
      if (Number.isNaN(parsed.getTime())) throw invalidParameter(`${name} must be an ISO 8601 date-time`);
      return parsed;
    };
    res.json(
      service.cumulativeStatisticsJson(req.params.sid, {
        minutes: params.int('Minutes'),
        startDate: date('StartDate'),
        endDate: date('EndDate'),
      }),
    );
  });
  router.get('/Workspaces/:ws/TaskChannels', (req, res) => {
    const sid = ws(req);
    const items = where(ctx.store.taskChannels, (c) => c.workspaceSid === sid).map((c) =>
      service.taskChannelJson(c.sid),
    );
    res.json(page(req, items, 'channels'));
  });
  router.get('/Workspaces/:ws/TaskChannels/:sid', (req, res) => {
    ws(req);
    try {
      res.json(service.taskChannelJson(req.params.sid));
    } catch {
      throw notFound(`/Workspaces/${req.params.ws}/TaskChannels/${req.params.sid}`);
    }
  });
  router.get('/Workspaces/:ws/Activities/:sid', (req, res) => {
    ws(req);
    res.json(service.activityJson(service.activity(req.params.sid)));
  });
  router.post('/Workspaces/:ws/Activities/:sid', (req, res) => {
    ws(req);
    const activity = service.activity(req.params.sid);
    const friendlyName = paramsOf(req).get('FriendlyName');
    if (friendlyName) activity.friendlyName = friendlyName;
    res.json(service.activityJson(activity));
  });
  router.post('/Workspaces/:ws/Activities', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    res.status(201).json(
      service.activityJson(
        service.createActivity({
          friendlyName: params.get('FriendlyName'),
          available: params.bool('Available'),
        }),
      ),
    );
  });
  router.get('/Workspaces/:ws/Activities', (req, res) => {
    const sid = ws(req);
    const friendlyName = paramsOf(req).get('FriendlyName');
    const items = where(
      ctx.store.activities,
      (a) => a.workspaceSid === sid && (!friendlyName || a.friendlyName === friendlyName),
    ).map((a) => service.activityJson(a));
    res.json(page(req, items, 'activities'));
  });

  router.get('/Workspaces/:ws/Workers', (req, res) => {
    const sid = ws(req);
    const params = paramsOf(req);
    const activityName = params.get('ActivityName');
    const friendlyName = params.get('FriendlyName');
    const available = params.bool('Available');
    const items = where(ctx.store.workers, (w) => {
      const activity = ctx.store.activities.get(w.activitySid);
      return (
        w.workspaceSid === sid &&
        (!activityName || activity?.friendlyName === activityName) &&
        (!friendlyName || w.friendlyName === friendlyName) &&
        (available === undefined || activity?.available === available)
      );
    }).map((w) => service.workerJson(w));
    res.json(page(req, items, 'workers'));
  });
  router.get('/Workspaces/:ws/Workers/:sid', (req, res) => {
    ws(req);
    res.json(service.workerJson(service.worker(req.params.sid)));
  });
  router.post('/Workspaces/:ws/Workers/:sid', (req, res) => {
    ws(req);
    const worker = service.worker(req.params.sid);
    const params = paramsOf(req);
    const activitySid = params.get('ActivitySid');
    if (activitySid)
      service.setWorkerActivity(worker.sid, activitySid, params.bool('RejectPendingReservations'));
    const attributes = params.get('Attributes');
    if (attributes !== undefined) {
      try {
        JSON.parse(attributes);
      } catch (error) {
        throw new TwilioApiError(400, 20001, 'Attributes must be a valid JSON string', { cause: error });
      }
      worker.attributes = attributes;
    }
    const friendlyName = params.get('FriendlyName');
    if (friendlyName) worker.friendlyName = friendlyName;
    worker.dateUpdated = ctx.clock.now();
    res.json(service.workerJson(worker));
  });
  router.get('/Workspaces/:ws/Workers/:sid/Reservations', (req, res) => {
    ws(req);
    const worker = service.worker(req.params.sid);
    const status = paramsOf(req).get('ReservationStatus');
    const items = where(
      ctx.store.reservations,
      (r) => r.workerSid === worker.sid && (!status || r.status === status),
    ).map((r) => service.reservationJson(r));
    res.json(page(req, items, 'reservations'));
  });

  router.post('/Workspaces/:ws/Tasks', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const task = service.createTask({
      attributes: params.get('Attributes') ?? '{}',
      workflowSid: params.get('WorkflowSid'),
      taskChannel: params.get('TaskChannel'),
      priority: params.int('Priority'),
      timeout: params.int('Timeout'),
    });
    res.status(201).setHeader('ETag', String(task.version)).json(service.taskJson(task));
  });
  router.get('/Workspaces/:ws/Tasks', (req, res) => {
    const sid = ws(req);
    const params = paramsOf(req);
    const statuses = params.all('AssignmentStatus');
    const workflowSid = params.get('WorkflowSid');
    const queueSid = params.get('TaskQueueSid');
    // Tasks whose attributes match a TaskRouter expression (`EvaluateTaskAttributes`).
    const evaluate = params.get('EvaluateTaskAttributes');
    if (evaluate) checkExpression(evaluate, 'EvaluateTaskAttributes');
    const order = taskOrdering(params.get('Ordering'));
    const items = where(
      ctx.store.tasks,
      (t) =>
        t.workspaceSid === sid &&
        (statuses.length === 0 || statuses.includes(t.assignmentStatus)) &&
        (!workflowSid || t.workflowSid === workflowSid) &&
        (!queueSid || t.taskQueueSid === queueSid) &&
        (!evaluate || matches(evaluate, t.attributes)),
    )
      .sort(order)
      .map((t) => service.taskJson(t));
    res.json(page(req, items, 'tasks'));
  });
  router.get('/Workspaces/:ws/Tasks/:sid', (req, res) => {
    ws(req);
    const task = service.task(req.params.sid);
    res.setHeader('ETag', String(task.version)).json(service.taskJson(task));
    service.afterTaskRead(task.sid);
  });
  router.post('/Workspaces/:ws/Tasks/:sid', (req, res) => {
    ws(req);
    const params = paramsOf(req);
    const task = service.task(req.params.sid);
    service.checkVersion(task, req.get('If-Match'));
    const attributes = params.get('Attributes');
    if (attributes !== undefined) service.updateTaskAttributes(task.sid, attributes);
    const priority = params.int('Priority');
    if (priority !== undefined) service.setTaskPriority(task.sid, priority);
    const status = params.get('AssignmentStatus');
    const reason = params.get('Reason');
    if (status === 'canceled') service.cancelTask(task.sid, reason);
    else if (status === 'wrapping') service.wrapTask(task.sid, reason);
    else if (status === 'completed') service.completeTask(task.sid, reason);
    else if (status !== undefined) throw invalidParameter(`Invalid AssignmentStatus ${status}`);
    res.setHeader('ETag', String(task.version)).json(service.taskJson(task));
  });
  router.delete('/Workspaces/:ws/Tasks/:sid', (req, res) => {
    ws(req);
    const task = service.task(req.params.sid);
    service.checkVersion(task, req.get('If-Match'));
    ctx.store.tasks.delete(task.sid);
    ctx.store.emit('task.deleted', { taskSid: task.sid });
    res.status(204).end();
  });
  router.get('/Workspaces/:ws/Tasks/:sid/Reservations', (req, res) => {
    ws(req);
    const task = service.task(req.params.sid);
    const status = paramsOf(req).get('ReservationStatus');
    const items = service
      .reservations(task.sid)
      .filter((r) => !status || r.status === status)
      .map((r) => service.reservationJson(r));
    res.json(page(req, items, 'reservations'));
  });
  router.get('/Workspaces/:ws/Tasks/:sid/Reservations/:reservationSid', (req, res) => {
    ws(req);
    const reservation = service
      .reservations(service.task(req.params.sid).sid)
      .find((r) => r.sid === req.params.reservationSid);
    if (!reservation) throw notFound(`/Reservations/${req.params.reservationSid}`);
    res.json(service.reservationJson(reservation));
  });
  router.post('/Workspaces/:ws/Tasks/:sid/Reservations/:reservationSid', (req, res) => {
    ws(req);
    const task = service.task(req.params.sid);
    const reservation = service.reservations(task.sid).find((r) => r.sid === req.params.reservationSid);
    if (!reservation) throw notFound(`/Reservations/${req.params.reservationSid}`);
    const status = paramsOf(req).get('ReservationStatus');
    if (status === 'accepted') service.acceptReservation(reservation.sid);
    else if (status === 'rejected') service.rejectReservation(reservation.sid);
    else if (status === 'wrapping') service.wrapTask(task.sid);
    else if (status === 'completed') service.completeTask(task.sid);
    else if (status !== undefined) throw invalidParameter(`Invalid ReservationStatus ${status}`);
    res.json(service.reservationJson(reservation));
  });

  router.get('/Workspaces/:ws/Events', (req, res) => {
    const sid = ws(req);
    const eventType = paramsOf(req).get('EventType');
    const items = ctx.store.taskRouterEvents
      .filter((e) => !eventType || e.eventType === eventType)
      .map((e) => ({
        account_sid: ctx.accountSid,
        workspace_sid: sid,
        sid: e.sid,
        event_type: e.eventType,
        resource_type: e.resourceType,
        resource_sid: e.resourceSid,
        description: e.description,
        event_data: e.data,
        event_date: twilioDate(e.date),
        event_date_ms: e.date.getTime(),
        source: 'twilio',
        source_ip_address: null,
        // Events the emulator records are TaskRouter's own (no API caller or agent is their actor).
        actor_sid: null,
        actor_type: null,
        actor_url: null,
        resource_url: eventResourceUrl(`${PUBLIC_BASE}/Workspaces/${sid}`, e),
        url: `${PUBLIC_BASE}/Workspaces/${sid}/Events/${e.sid}`,
      }));
    res.json(page(req, items, 'events'));
  });

  return router;
}

/**
 * List Tasks' `Ordering`: `Attribute:Order` pairs, comma-separated (`Priority:desc,DateCreated:asc`),
 * where Attribute is `DateCreated`, `Priority` or `VirtualStartTime` and Order `asc` or `desc`;
 * DateCreated and VirtualStartTime may not be paired. By default, ascending DateCreated.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task#read-multiple-task-resources
 */
function taskOrdering(value: string | undefined): (a: TaskRecord, b: TaskRecord) => number {
  const keys: Record<string, (t: TaskRecord) => number> = {
    DateCreated: (t) => t.dateCreated.getTime(),
    // The emulator's tasks start when they are created.
    VirtualStartTime: (t) => t.dateCreated.getTime(),
    Priority: (t) => t.priority,
  };
  const pairs = (value ?? 'DateCreated:asc').split(',').map((pair) => {
    const [attribute = '', order = ''] = pair.trim().split(':');
    const key = keys[attribute];
    if (!key || (order !== 'asc' && order !== 'desc'))
      throw invalidParameter(
        `Invalid Ordering ${pair.trim()}: use Attribute:asc|desc with DateCreated, Priority or VirtualStartTime`,
      );
    return { attribute, key, sign: order === 'asc' ? 1 : -1 };
  });
  const names = pairs.map((p) => p.attribute);
  if (names.includes('DateCreated') && names.includes('VirtualStartTime'))
    throw invalidParameter('Ordering may not pair DateCreated and VirtualStartTime');
  return (a, b) => {
    for (const { key, sign } of pairs) {
      const difference = (key(a) - key(b)) * sign;
      if (difference !== 0) return difference;
    }
    return 0;
  };
}
