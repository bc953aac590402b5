import { create as contentDisposition } from 'content-disposition';
import { type Request, type Response, Router } from 'express';
import type { EmulatorContext } from './context.ts';
import { SYSTEM_ACTION } from './context.ts';
import type { ConversationsService } from './conversations.ts';
import { invalidParameter, notFound } from './errors.ts';
import type { FaultInjector, FaultRule, FaultSummary } from './faults.ts';
import { bodyText } from './http.ts';
import type { FlexTokenService } from './iam.ts';
import type { InteractionsService, WrapUpOptions } from './interactions.ts';
import type { MediaService } from './media.ts';
import type { EmulatorEvent } from './store.ts';
import type { StudioService } from './studio.ts';
import type { TaskRouterService } from './taskrouter.ts';
import type { WebhookDelivery } from './webhooks.ts';

/**
 * The emulator's control API — what a test, or the sandbox's agent desktop, does in place of a
 * Flex agent and of Twilio's console: see agents and tasks, accept/reject/wrap up/complete tasks,
 * chat as an agent (with attachments), close conversations, look at webhook deliveries and flow
 * executions, move the clock, inject faults, and follow everything live over Server-Sent Events.
 * Every method is also an HTTP route under `/_emulator` (JSON in and out).
 */

export interface AgentView {
  name: string;
  email: string;
  identity: string;
  workerSid: string;
  roles: string[];
  activity: string | null;
  available: boolean;
  /** The TaskRouter worker as Flex reads it: `friendlyName` (Flex sets the identity) and attributes (`full_name`…). */
  worker: { friendlyName: string; attributes: Record<string, unknown> } | null;
}

export interface ReservationView {
  sid: string;
  status: string;
  workerSid: string;
  agent: string | null;
}

export interface TaskView {
  sid: string;
  assignmentStatus: string;
  attributes: Record<string, unknown>;
  taskChannel: string | null;
  /** The friendly name of the queue the workflow put the task in. */
  queue: string | null;
  reason: string | null;
  priority: number;
  conversationSid: string | null;
  interactionSid: string | null;
  interactionChannelSid: string | null;
  /** The agent holding the task (accepted or wrapping). */
  agent: string | null;
  reservations: ReservationView[];
  dateCreated: string;
  dateUpdated: string;
}

export interface ConversationView extends Record<string, unknown> {
  sid: string;
  state: string;
  participants: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  webhooks: Record<string, unknown>[];
}

export interface AgentMessageInput {
  body?: string;
  attributes?: Record<string, unknown> | string;
  /** An attachment: uploaded to MCS and sent as the message's media. */
  media?: { contentType: string; filename?: string; data: Uint8Array | string };
  /** Media already uploaded to MCS (as Flex's file attachments do): sent as the message's `MediaSid`. */
  mediaSid?: string;
}

export interface ExecutionView {
  sid: string;
  flowSid: string;
  conversationSid: string | null;
  status: 'active' | 'ended' | 'failed';
  error: string | null;
  context: Record<string, unknown>;
  steps: Array<{ sid: string; name: string; from: string; to: string; context: Record<string, unknown> }>;
  dateCreated: string;
}

export interface DeliveryFilter {
  kind?: WebhookDelivery['kind'];
  eventType?: string;
  conversationSid?: string;
  url?: string;
}

export interface ControlDeps {
  ctx: EmulatorContext;
  conversations: ConversationsService;
  taskRouter: TaskRouterService;
  interactions: InteractionsService;
  studio: StudioService;
  media: MediaService;
  tokens: FlexTokenService;
  faults: FaultInjector;
}

export class EmulatorControl {
  readonly #deps: ControlDeps;

  constructor(deps: ControlDeps) {
    this.#deps = deps;
  }

  // ---- agents --------------------------------------------------------------------------------

  agents(): AgentView[] {
    const { ctx } = this.#deps;
    return [...ctx.store.agents.values()].map((agent) => {
      const worker = ctx.store.workers.get(agent.workerSid);
      const activity = worker ? ctx.store.activities.get(worker.activitySid) : undefined;
      return {
        ...agent,
        activity: activity?.friendlyName ?? null,
        available: activity?.available ?? false,
        worker: worker
          ? {
              friendlyName: worker.friendlyName,
              attributes: JSON.parse(worker.attributes) as Record<string, unknown>,
            }
          : null,
      };
    });
  }

  /** Issues a Flex token for an agent (what the Flex UI holds after login). */
  issueFlexToken(
    agent: string,
    { ttlSeconds = 3600 }: { ttlSeconds?: number } = {},
  ): { token: string; expiration: string; identity: string; workerSid: string } {
    const record = this.#deps.tokens.issue(this.#deps.taskRouter.agent(agent), ttlSeconds);
    return {
      token: record.token,
      expiration: record.expiration.toISOString(),
      identity: record.identity,
      workerSid: record.workerSid,
    };
  }

  /** Sets an agent Available or Offline (an available agent gets pending tasks reserved). */
  setAgentAvailable(agent: string, available: boolean): AgentView {
    const { taskRouter } = this.#deps;
    const record = taskRouter.agent(agent);
    taskRouter.setWorkerActivity(
      record.workerSid,
      available ? taskRouter.availableActivitySid : taskRouter.offlineActivitySid,
    );
    return this.agents().find((a) => a.workerSid === record.workerSid)!;
  }

  /**
   * Sets an agent's TaskRouter activity by name (Available, Unavailable, Offline, Break): only
   * workers in an activity marked available are offered tasks.
   */
  setAgentActivity(agent: string, activityName: string): AgentView {
    const { ctx, taskRouter } = this.#deps;
    const record = taskRouter.agent(agent);
    const activity = [...ctx.store.activities.values()].find((a) => a.friendlyName === activityName);
    if (!activity) throw invalidParameter(`No activity ${activityName}`);
    taskRouter.setWorkerActivity(record.workerSid, activity.sid);
    return this.agents().find((a) => a.workerSid === record.workerSid)!;
  }

  // ---- tasks ---------------------------------------------------------------------------------

  tasks(filter: { status?: string } = {}): TaskView[] {
    return [...this.#deps.ctx.store.tasks.values()]
      .filter((t) => !filter.status || t.assignmentStatus === filter.status)
      .map((t) => this.task(t.sid));
  }

  task(sid: string): TaskView {
    const { ctx, taskRouter, interactions } = this.#deps;
    const task = taskRouter.task(sid);
    const channel = interactions.channelOfTask(task.sid);
    const agentName = (workerSid: string) => ctx.store.agents.get(workerSid)?.name ?? null;
    const holding = taskRouter.activeReservation(task.sid);
    let attributes: Record<string, unknown> = {};
    try {
      attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    } catch {
      // createTask only stores valid JSON.
    }
    return {
      sid: task.sid,
      assignmentStatus: task.assignmentStatus,
      attributes,
      taskChannel: ctx.store.taskChannels.get(task.taskChannelSid)?.uniqueName ?? null,
      queue: ctx.store.taskQueues.get(task.taskQueueSid)?.friendlyName ?? null,
      reason: task.reason,
      priority: task.priority,
      conversationSid:
        channel?.conversationSid ??
        (typeof attributes.conversationSid === 'string' ? attributes.conversationSid : null),
      interactionSid: channel?.interactionSid ?? null,
      interactionChannelSid: channel?.sid ?? null,
      agent: holding ? agentName(holding.workerSid) : null,
      reservations: taskRouter.reservations(task.sid).map((r) => ({
        sid: r.sid,
        status: r.status,
        workerSid: r.workerSid,
        agent: agentName(r.workerSid),
      })),
      dateCreated: task.dateCreated.toISOString(),
      dateUpdated: task.dateUpdated.toISOString(),
    };
  }

  /**
   * Flex writes the task's attributes right after the next `GET` of the task is answered (as an
   * agent's Flex UI does between a client's read and its write): `change` gets the attributes as
   * they then are and returns the new ones. The task's version (its `ETag`) moves on, so the
   * reader's `If-Match` no longer matches.
   */
  writeTaskAttributesAfterNextRead(
    taskSid: string,
    change: (attributes: Record<string, unknown>) => Record<string, unknown>,
  ): void {
    this.#deps.taskRouter.changeTaskAfterNextRead(taskSid, (task) => {
      const current = JSON.parse(task.attributes) as Record<string, unknown>;
      this.#deps.taskRouter.updateTaskAttributes(task.sid, JSON.stringify(change(current)));
    });
  }

  /** The agent accepts the task: reservation accepted, task assigned, agent joins the conversation. */
  acceptTask(taskSid: string, agent: string): TaskView {
    const { taskRouter } = this.#deps;
    taskRouter.acceptTask(taskSid, taskRouter.agent(agent).workerSid);
    return this.task(taskSid);
  }

  rejectTask(taskSid: string, agent: string): TaskView {
    const { taskRouter } = this.#deps;
    taskRouter.rejectTask(taskSid, taskRouter.agent(agent).workerSid);
    return this.task(taskSid);
  }

  /** Wrap-up: the interaction participant goes to wrapup and (by default) the conversation closes. */
  wrapUpTask(taskSid: string, options: WrapUpOptions = {}): TaskView {
    this.#deps.interactions.wrapUp(taskSid, options);
    return this.task(taskSid);
  }

  /** Completes the task (wrapping it up first, with `options`, when still assigned). */
  completeTask(taskSid: string, options: WrapUpOptions = {}): TaskView {
    this.#deps.interactions.complete(taskSid, options);
    return this.task(taskSid);
  }

  // ---- conversations -------------------------------------------------------------------------

  /**
   * An agent writes in a conversation from the Flex UI: `Source=SDK`, `ClientIdentity` = the agent.
   * `target` is a conversation SID or a task SID (the task's conversation).
   */
  sendAgentMessage(agent: string, target: string, input: AgentMessageInput): Record<string, unknown> {
    const { conversations, taskRouter, media } = this.#deps;
    const record = taskRouter.agent(agent);
    const conversationSid = target.startsWith('WT') ? this.task(target).conversationSid : target;
    if (!conversationSid) throw invalidParameter(`Task ${target} has no conversation`);
    const mediaSids: string[] = input.mediaSid ? [input.mediaSid] : [];
    if (input.media) {
      const data =
        typeof input.media.data === 'string'
          ? Buffer.from(input.media.data, 'base64')
          : Buffer.from(input.media.data);
      mediaSids.push(
        media.create({
          data,
          contentType: input.media.contentType,
          filename: input.media.filename ?? null,
          author: record.identity,
        }).sid,
      );
    }
    const attributes =
      input.attributes === undefined
        ? undefined
        : typeof input.attributes === 'string'
          ? input.attributes
          : JSON.stringify(input.attributes);
    const message = conversations.addMessage(
      conversationSid,
      { author: record.identity, body: input.body, attributes, mediaSids },
      { source: 'SDK', clientIdentity: record.identity, webhooks: true },
    );
    return conversations.messageJson(message);
  }

  closeConversation(conversationSid: string): ConversationView {
    const { conversations } = this.#deps;
    const conversation = conversations.conversation(conversationSid);
    conversations.setState(conversation, 'closed', 'API', SYSTEM_ACTION);
    return this.conversation(conversation.sid);
  }

  conversations(): ConversationView[] {
    return [...this.#deps.ctx.store.conversations.keys()].map((sid) => this.conversation(sid));
  }

  conversation(sid: string): ConversationView {
    const { conversations } = this.#deps;
    const c = conversations.conversation(sid);
    return {
      ...conversations.conversationJson(c),
      sid: c.sid,
      state: c.state,
      participants: conversations.participants(c.sid).map((p) => conversations.participantJson(p)),
      messages: conversations.messages(c.sid).map((m) => conversations.messageJson(m)),
      webhooks: conversations.webhooks(c.sid).map((w) => conversations.webhookJson(w)),
    };
  }

  // ---- deliveries and executions -------------------------------------------------------------

  deliveries(filter: DeliveryFilter = {}): WebhookDelivery[] {
    return this.#deps.ctx.dispatcher.deliveries.filter((d) => matchesDelivery(d, filter));
  }

  /** The first delivery matching `filter` (or a predicate) once settled; waits up to `timeoutMs`. */
  waitForDelivery(
    filter: DeliveryFilter | ((delivery: WebhookDelivery) => boolean),
    options: { timeoutMs?: number; settled?: boolean } = {},
  ): Promise<WebhookDelivery> {
    const predicate =
      typeof filter === 'function' ? filter : (d: WebhookDelivery) => matchesDelivery(d, filter);
    return this.#deps.ctx.dispatcher.waitFor(predicate, options);
  }

  clearDeliveries(): void {
    this.#deps.ctx.dispatcher.clear();
  }

  executions(filter: { flowSid?: string; conversationSid?: string } = {}): ExecutionView[] {
    return [...this.#deps.ctx.store.executions.values()]
      .filter(
        (e) =>
          (!filter.flowSid || e.flowSid === filter.flowSid) &&
          (!filter.conversationSid || e.conversationSid === filter.conversationSid),
      )
      .map((e) => ({
        sid: e.sid,
        flowSid: e.flowSid,
        conversationSid: e.conversationSid,
        status: e.status,
        error: e.error,
        context: e.context,
        steps: e.steps.map((s) => ({
          sid: s.sid,
          name: s.name,
          from: s.transitionedFrom,
          to: s.transitionedTo,
          context: s.context,
        })),
        dateCreated: e.dateCreated.toISOString(),
      }));
  }

  /** Resolves once no flow execution and no webhook delivery is in flight. */
  async settle(): Promise<void> {
    const { studio, ctx } = this.#deps;
    for (let round = 0; round < 20; round += 1) {
      await studio.idle();
      await ctx.dispatcher.idle();
      await new Promise((resolve) => setImmediate(resolve));
      if (ctx.dispatcher.deliveries.every((d) => d.status !== 'pending')) {
        await studio.idle();
        return;
      }
    }
  }

  // ---- clock and faults ----------------------------------------------------------------------

  now(): Date {
    return this.#deps.ctx.clock.now();
  }

  /** Moves the clock (ms or an ISO-8601 duration); due conversation timers fire. */
  advanceClock(by: number | string): Date {
    return this.#deps.ctx.clock.advance(by);
  }

  injectFault(rule: FaultRule): number {
    return this.#deps.faults.add(rule);
  }

  faults(): FaultSummary[] {
    return this.#deps.faults.list();
  }

  removeFault(id: number): boolean {
    return this.#deps.faults.remove(id);
  }

  clearFaults(): void {
    this.#deps.faults.clear();
  }

  /** Follows the emulator's events (tasks, messages, conversation states, deliveries, executions). */
  subscribe(listener: (event: EmulatorEvent) => void): () => void {
    return this.#deps.ctx.store.subscribe(listener);
  }
}

function matchesDelivery(d: WebhookDelivery, filter: DeliveryFilter): boolean {
  return (
    (!filter.kind || d.kind === filter.kind) &&
    (!filter.eventType || d.eventType === filter.eventType) &&
    (!filter.conversationSid || d.conversationSid === filter.conversationSid) &&
    (!filter.url || d.url === filter.url)
  );
}

function jsonBody(req: Request): Record<string, unknown> {
  const text = bodyText(req);
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidParameter('The body must be a JSON object');
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || !value) throw invalidParameter(`"${name}" is required`);
  return value;
}

function wrapUpOptions(body: Record<string, unknown>): WrapUpOptions {
  return typeof body.closeConversation === 'boolean' ? { closeConversation: body.closeConversation } : {};
}

function query(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** The control API routes, mounted at `/_emulator` (no auth; loopback only). */
export function controlRouter(
  control: EmulatorControl,
  info: () => Record<string, unknown>,
  media: MediaService,
): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    next();
  });
  router.options('/{*path}', (_req, res) => {
    res.status(204).end();
  });

  router.get('/', (_req, res) => {
    res.json(info());
  });

  router.get('/agents', (_req, res) => {
    res.json({ agents: control.agents() });
  });
  router.post('/agents/:agent/token', (req, res) => {
    const body = jsonBody(req);
    const ttlSeconds = typeof body.ttlSeconds === 'number' ? body.ttlSeconds : undefined;
    res
      .status(201)
      .json(control.issueFlexToken(req.params.agent, ttlSeconds === undefined ? {} : { ttlSeconds }));
  });
  router.post('/agents/:agent/availability', (req, res) => {
    const body = jsonBody(req);
    if (typeof body.available !== 'boolean') throw invalidParameter('"available" must be a boolean');
    res.json(control.setAgentAvailable(req.params.agent, body.available));
  });

  router.post('/agents/:agent/activity', (req, res) => {
    res.json(control.setAgentActivity(req.params.agent, stringField(jsonBody(req), 'activity')));
  });

  router.get('/tasks', (req, res) => {
    const status = query(req, 'status');
    res.json({ tasks: control.tasks(status ? { status } : {}) });
  });
  router.get('/tasks/:sid', (req, res) => {
    res.json(control.task(req.params.sid));
  });
  router.post('/tasks/:sid/accept', (req, res) => {
    res.json(control.acceptTask(req.params.sid, stringField(jsonBody(req), 'agent')));
  });
  router.post('/tasks/:sid/reject', (req, res) => {
    res.json(control.rejectTask(req.params.sid, stringField(jsonBody(req), 'agent')));
  });
  router.post('/tasks/:sid/wrapup', (req, res) => {
    res.json(control.wrapUpTask(req.params.sid, wrapUpOptions(jsonBody(req))));
  });
  router.post('/tasks/:sid/complete', (req, res) => {
    res.json(control.completeTask(req.params.sid, wrapUpOptions(jsonBody(req))));
  });

  router.get('/conversations', (_req, res) => {
    res.json({ conversations: control.conversations() });
  });
  router.get('/conversations/:sid', (req, res) => {
    res.json(control.conversation(req.params.sid));
  });
  router.post('/conversations/:sid/messages', (req, res) => {
    const body = jsonBody(req);
    const input: AgentMessageInput = {};
    if (typeof body.body === 'string') input.body = body.body;
    if (
      typeof body.attributes === 'string' ||
      (typeof body.attributes === 'object' && body.attributes !== null)
    ) {
      input.attributes = body.attributes as Record<string, unknown> | string;
    }
    if (typeof body.mediaSid === 'string') input.mediaSid = body.mediaSid;
    const media = body.media;
    if (typeof media === 'object' && media !== null) {
      const m = media as Record<string, unknown>;
      if (typeof m.contentType !== 'string' || typeof m.base64 !== 'string') {
        throw invalidParameter('"media" needs contentType and base64');
      }
      input.media = {
        contentType: m.contentType,
        data: m.base64,
        ...(typeof m.filename === 'string' ? { filename: m.filename } : {}),
      };
    }
    res.status(201).json(control.sendAgentMessage(stringField(body, 'agent'), req.params.sid, input));
  });
  router.post('/conversations/:sid/close', (req, res) => {
    res.json(control.closeConversation(req.params.sid));
  });

  router.get('/deliveries', (req, res) => {
    const filter: DeliveryFilter = {};
    const kind = query(req, 'kind');
    if (kind === 'conversations' || kind === 'taskrouter' || kind === 'studio') filter.kind = kind;
    const eventType = query(req, 'eventType');
    if (eventType) filter.eventType = eventType;
    const conversationSid = query(req, 'conversationSid');
    if (conversationSid) filter.conversationSid = conversationSid;
    res.json({ deliveries: control.deliveries(filter) });
  });
  router.delete('/deliveries', (_req, res) => {
    control.clearDeliveries();
    res.status(204).end();
  });

  router.get('/executions', (req, res) => {
    const filter: { flowSid?: string; conversationSid?: string } = {};
    const flowSid = query(req, 'flowSid');
    if (flowSid) filter.flowSid = flowSid;
    const conversationSid = query(req, 'conversationSid');
    if (conversationSid) filter.conversationSid = conversationSid;
    res.json({ executions: control.executions(filter) });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: control.now().toISOString() });
  });
  router.post('/clock/advance', (req, res) => {
    const by = jsonBody(req).by;
    if (typeof by !== 'number' && typeof by !== 'string') {
      throw invalidParameter('"by" must be milliseconds or an ISO-8601 duration');
    }
    try {
      res.json({ now: control.advanceClock(by).toISOString() });
    } catch (error) {
      throw invalidParameter(error instanceof Error ? error.message : String(error));
    }
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: control.faults() });
  });
  router.post('/faults', (req, res) => {
    const body = jsonBody(req);
    const rule: FaultRule = { match: stringField(body, 'match') };
    for (const key of ['status', 'code', 'retryAfterSeconds', 'delayMs', 'times', 'probability'] as const) {
      const value = body[key];
      if (value !== undefined) {
        if (typeof value !== 'number') throw invalidParameter(`"${key}" must be a number`);
        rule[key] = value;
      }
    }
    if (body.reset !== undefined) {
      if (typeof body.reset !== 'boolean') throw invalidParameter('"reset" must be a boolean');
      rule.reset = body.reset;
    }
    res.status(201).json({ id: control.injectFault(rule) });
  });
  router.delete('/faults', (_req, res) => {
    control.clearFaults();
    res.status(204).end();
  });
  router.delete('/faults/:id', (req, res) => {
    if (!control.removeFault(Number(req.params.id))) throw notFound(`/_emulator/faults/${req.params.id}`);
    res.status(204).end();
  });

  router.get('/events', (_req, res) => streamEvents(res, control));

  router.get('/media/:sid', (req, res) => {
    const item = media.get(req.params.sid);
    if (item.filename)
      res.setHeader('Content-Disposition', contentDisposition(item.filename, { type: 'inline' }));
    res.type(item.contentType).send(item.data);
  });

  return router;
}

/** `GET /_emulator/events`: one SSE event per emulator event, plus a heartbeat comment every 15 s. */
function streamEvents(res: Response, control: EmulatorControl): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'Access-Control-Allow-Origin': '*',
  });
  res.write(`: connected\n\n`);
  const unsubscribe = control.subscribe((event) => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify({ ...event.data, at: event.at })}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000);
  heartbeat.unref();
  // The response closes when the client goes away (the request may close as soon as it is read).
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
