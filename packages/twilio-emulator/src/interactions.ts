import { type Request, Router } from 'express';
import type { EmulatorContext } from './context.ts';
import { SYSTEM_ACTION } from './context.ts';
import type { ConversationsService } from './conversations.ts';
import { invalidParameter, notFound, TwilioApiError } from './errors.ts';
import { paramsOf } from './http.ts';
import { pageOf } from './paging.ts';
import { newSid } from './sids.ts';
import type {
  InteractionChannelRecord,
  InteractionParticipantRecord,
  InteractionRecord,
  TaskRecord,
} from './store.ts';
import { where } from './store.ts';
import type { TaskRouterService } from './taskrouter.ts';

/**
 * Flex Interactions v1 and the Flex orchestration around it: an interaction wraps a Conversation
 * (its channel's `media_channel_sid`) and a TaskRouter task; an agent accepting the task joins the
 * Conversation; wrap-up and completion move the interaction participant and (by default) close the
 * Conversation.
 *
 * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api
 */

const PUBLIC_BASE = 'https://flex-api.twilio.com/v1';

export interface SendToFlexInput {
  conversationSid?: string | undefined;
  workflowSid?: string | undefined;
  taskChannel?: string | undefined;
  attributes?: Record<string, unknown> | undefined;
  priority?: number | undefined;
  timeout?: number | undefined;
  channelType?: string | undefined;
  initiatedBy?: string | undefined;
  /** The customer's identity in the conversation (the author of the message that asked for Flex). */
  customerIdentity?: string | undefined;
  /** Known-agent routing (an invite's `worker_sid`): only this worker is offered the task. */
  workerSid?: string | undefined;
}

/** An invite: the task it made for another agent on the channel. */
export interface InviteRecord {
  sid: string;
  interactionSid: string;
  channelSid: string;
  routing: Record<string, unknown>;
  taskSid: string;
}

export interface WrapUpOptions {
  /** Close the Conversation (default, as Flex does when the last agent wraps up); otherwise the agent leaves it. */
  closeConversation?: boolean;
}

export class InteractionsService {
  readonly #invites = new Map<string, InviteRecord>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly conversations: ConversationsService,
    private readonly taskRouter: TaskRouterService,
  ) {
    taskRouter.hooks.reservationAccepted = (task, reservation, worker) => {
      const channel = this.channelOfTask(task.sid);
      if (!channel) return;
      const agent = this.ctx.store.agents.get(worker.sid);
      const identity = agent?.identity ?? worker.friendlyName;
      const conversation = this.ctx.store.conversations.get(channel.conversationSid);
      let conversationParticipantSid: string | null = null;
      if (conversation && conversation.state !== 'closed') {
        const existing = this.conversations
          .participants(conversation.sid)
          .find((p) => p.identity === identity);
        conversationParticipantSid =
          existing?.sid ??
          this.conversations.addParticipant(
            conversation.sid,
            { identity, attributes: '{}' },
            // Flex adds the agent server side: a REST action, with webhooks.
            SYSTEM_ACTION,
          ).sid;
      }
      this.#addParticipant(channel, {
        type: 'agent',
        identity,
        workerSid: worker.sid,
        taskSid: task.sid,
        reservationSid: reservation.sid,
        conversationParticipantSid,
        routingProperties: {
          workspace_sid: task.workspaceSid,
          task_sid: task.sid,
          reservation_sid: reservation.sid,
        },
      });
      if (channel.status === 'setup') channel.status = 'active';
    };
    taskRouter.hooks.taskWrapping = (task) => this.#setAgentStatus(task, 'wrapup');
    taskRouter.hooks.taskCompleted = (task) => this.#setAgentStatus(task, 'closed');
  }

  interaction(sid: string): InteractionRecord {
    const interaction = this.ctx.store.interactions.get(sid);
    if (!interaction) throw notFound(`/Interactions/${sid}`);
    return interaction;
  }

  channel(interactionSid: string, channelSid: string): InteractionChannelRecord {
    const channel = this.ctx.store.interactionChannels.get(channelSid);
    if (!channel || channel.interactionSid !== interactionSid) {
      throw notFound(`/Interactions/${interactionSid}/Channels/${channelSid}`);
    }
    return channel;
  }

  channelOfTask(taskSid: string): InteractionChannelRecord | undefined {
    for (const channel of this.ctx.store.interactionChannels.values()) {
      if (channel.taskSids.includes(taskSid)) return channel;
    }
    return undefined;
  }

  participants(channelSid: string): InteractionParticipantRecord[] {
    return where(this.ctx.store.interactionParticipants, (p) => p.channelSid === channelSid);
  }

  /**
   * Creates an interaction for a conversation (a new one when none is given) and routes a task for
   * it. Task attributes are the given ones plus what Flex adds.
   */
  create(input: SendToFlexInput): {
    interaction: InteractionRecord;
    channel: InteractionChannelRecord;
    task: TaskRecord;
  } {
    const conversation = input.conversationSid
      ? this.conversations.conversation(input.conversationSid)
      : this.conversations.createConversation({ friendlyName: 'Flex interaction' }, SYSTEM_ACTION);
    const interactionSid = newSid('KD');
    const channelSid = newSid('UO');
    const attributes = this.#taskAttributes(input, conversation.sid, interactionSid, channelSid);
    const now = this.ctx.clock.now();
    const channel: InteractionChannelRecord = {
      sid: channelSid,
      interactionSid,
      type: input.channelType ?? 'chat',
      status: 'setup',
      conversationSid: conversation.sid,
      taskSids: [],
      dateCreated: now,
    };
    this.ctx.store.interactionChannels.set(channel.sid, channel);
    const task = this.#routeTask(channel, input, attributes);
    const interaction: InteractionRecord = {
      sid: interactionSid,
      channel: {
        type: channel.type,
        initiated_by: input.initiatedBy ?? 'customer',
        properties: { media_channel_sid: conversation.sid },
        sid: channel.sid,
      },
      routing: {
        properties: {
          workspace_sid: task.workspaceSid,
          workflow_sid: task.workflowSid,
          task_channel_unique_name: this.taskRouter.taskChannel(task.taskChannelSid).uniqueName,
          attributes,
        },
      },
      channelSid: channel.sid,
      interactionContextSid: null,
      webhookTtid: null,
      dateCreated: now,
    };
    this.ctx.store.interactions.set(interaction.sid, interaction);
    const customerIdentity =
      input.customerIdentity ??
      this.conversations.participants(conversation.sid).find((p) => p.identity !== null)?.identity ??
      null;
    this.#addParticipant(channel, {
      type: 'customer',
      identity: customerIdentity,
      workerSid: null,
      taskSid: null,
      reservationSid: null,
      conversationParticipantSid:
        this.conversations.participants(conversation.sid).find((p) => p.identity === customerIdentity)?.sid ??
        null,
      routingProperties: null,
    });
    this.ctx.store.emit('interaction.created', {
      interaction: this.interactionJson(interaction),
      taskSid: task.sid,
    });
    return { interaction, channel, task };
  }

  /**
   * What Studio's Send to Flex does for a conversation: a new interaction and task — unless the
   * conversation already has an open interaction (its channel set up or active), which keeps its
   * task and gets no new one; an `inactive` channel gets a new task on the same interaction.
   */
  sendToFlex(input: SendToFlexInput & { conversationSid: string }): {
    interaction: InteractionRecord;
    task: TaskRecord;
  } {
    const conversation = this.conversations.conversation(input.conversationSid);
    const latest = where(
      this.ctx.store.interactionChannels,
      (c) => c.conversationSid === conversation.sid,
    ).at(-1);
    const interaction = latest ? this.ctx.store.interactions.get(latest.interactionSid) : undefined;
    if (latest && interaction && (latest.status === 'setup' || latest.status === 'active')) {
      const task = this.ctx.store.tasks.get(latest.taskSids.at(-1) ?? '');
      if (task) {
        this.ctx.store.emit('interaction.reused', { interactionSid: interaction.sid, taskSid: task.sid });
        return { interaction, task };
      }
    }
    if (latest && interaction && latest.status === 'inactive') {
      const attributes = this.#taskAttributes(input, conversation.sid, interaction.sid, latest.sid);
      latest.status = 'setup';
      return { interaction, task: this.#routeTask(latest, input, attributes) };
    }
    return this.create(input);
  }

  #taskAttributes(
    input: SendToFlexInput,
    conversationSid: string,
    interactionSid: string,
    channelSid: string,
  ): Record<string, unknown> {
    const given = input.attributes ?? {};
    const attributes: Record<string, unknown> = {
      ...given,
      channelType:
        given.channelType ?? (input.channelType && input.channelType !== 'chat' ? input.channelType : 'web'),
      conversationSid,
      flexInteractionSid: interactionSid,
      flexInteractionChannelSid: channelSid,
      direction: 'inbound',
    };
    if (given.customerName === undefined && typeof given.name === 'string')
      attributes.customerName = given.name;
    if (given.from === undefined && input.customerIdentity) attributes.from = input.customerIdentity;
    if (given.customerAddress === undefined && typeof attributes.from === 'string') {
      attributes.customerAddress = attributes.from;
    }
    return attributes;
  }

  #routeTask(
    channel: InteractionChannelRecord,
    input: SendToFlexInput,
    attributes: Record<string, unknown>,
  ): TaskRecord {
    // The channel knows the task before TaskRouter reserves it, so hooks can find the conversation.
    const task = this.taskRouter.createTask(
      {
        attributes: JSON.stringify(attributes),
        workflowSid: input.workflowSid,
        taskChannel: input.taskChannel ?? 'chat',
        priority: input.priority,
        timeout: input.timeout,
        routingTarget: input.workerSid,
      },
      (created) => channel.taskSids.push(created.sid),
    );
    return task;
  }

  /**
   * `POST …/Channels/{UO}/Invites`: a new task for the channel's conversation (another agent joins
   * it once they accept), routed by `Routing.properties` — with `worker_sid`, to that agent only.
   */
  invite(channel: InteractionChannelRecord, routing: Record<string, unknown>): InviteRecord {
    const properties = record(routing.properties);
    const workspaceSid = properties.workspace_sid;
    if (typeof workspaceSid !== 'string')
      throw invalidParameter('Routing.properties.workspace_sid is required');
    if (workspaceSid !== this.taskRouter.workspaceSid)
      throw new TwilioApiError(400, 20001, `Workspace ${workspaceSid} does not exist`);
    if (channel.status === 'closed') throw new TwilioApiError(400, 20001, `Channel ${channel.sid} is closed`);
    const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    const workerSid = str(properties.worker_sid);
    if (workerSid) this.taskRouter.worker(workerSid);
    const attributes = {
      ...record(properties.attributes),
      conversationSid: channel.conversationSid,
      flexInteractionSid: channel.interactionSid,
      flexInteractionChannelSid: channel.sid,
    };
    const task = this.#routeTask(
      channel,
      {
        workflowSid: str(properties.workflow_sid),
        taskChannel: str(properties.task_channel_unique_name) ?? str(properties.task_channel_sid),
        workerSid,
      },
      attributes,
    );
    const invite: InviteRecord = {
      sid: newSid('KG'),
      interactionSid: channel.interactionSid,
      channelSid: channel.sid,
      routing: { properties: { ...properties, attributes } },
      taskSid: task.sid,
    };
    this.#invites.set(invite.sid, invite);
    return invite;
  }

  /** The invites made on a channel, oldest first (`GET …/Channels/{UO}/Invites`). */
  invites(channelSid: string): InviteRecord[] {
    return [...this.#invites.values()].filter((invite) => invite.channelSid === channelSid);
  }

  inviteJson(invite: InviteRecord): Record<string, unknown> {
    return {
      sid: invite.sid,
      interaction_sid: invite.interactionSid,
      channel_sid: invite.channelSid,
      routing: invite.routing,
      url: `${PUBLIC_BASE}/Interactions/${invite.interactionSid}/Channels/${invite.channelSid}/Invites/${invite.sid}`,
    };
  }

  /** The agent of a task wraps up; by default Flex closes the conversation too. */
  wrapUp(taskSid: string, { closeConversation = true }: WrapUpOptions = {}): TaskRecord {
    const task = this.taskRouter.wrapTask(taskSid);
    const channel = this.channelOfTask(task.sid);
    if (!channel) return task;
    const conversation = this.ctx.store.conversations.get(channel.conversationSid);
    if (!conversation || conversation.state === 'closed') return task;
    if (closeConversation) {
      this.conversations.setState(conversation, 'closed', 'API', SYSTEM_ACTION);
      channel.status = 'closed';
    } else {
      const agent = this.participants(channel.sid).find((p) => p.taskSid === task.sid && p.type === 'agent');
      const member = agent?.identity
        ? this.conversations.participants(conversation.sid).find((p) => p.identity === agent.identity)
        : undefined;
      if (member) this.conversations.removeParticipant(conversation.sid, member.sid, SYSTEM_ACTION);
    }
    return task;
  }

  /** Completes a task (wrapping it up first when still assigned). */
  complete(taskSid: string, options: WrapUpOptions = {}): TaskRecord {
    const task = this.taskRouter.task(taskSid);
    if (task.assignmentStatus === 'assigned') this.wrapUp(task.sid, options);
    return this.taskRouter.completeTask(task.sid);
  }

  /**
   * `POST /Interactions/{KD}/Channels/{UO}` with `Status` (`closed` or `inactive`) and optional
   * `Routing`: the channel's tasks still waiting are canceled; assigned ones go to `wrapping`, or to
   * `completed` with `Routing={"status":"closed"}` (required with `inactive`). Closing the channel
   * closes its conversation.
   */
  updateChannelStatus(channel: InteractionChannelRecord, status: string, routingStatus?: string): void {
    if (status !== 'closed' && status !== 'inactive') {
      throw invalidParameter(`Invalid Status ${status}: expected closed or inactive`);
    }
    if (routingStatus !== undefined && routingStatus !== 'closed') {
      throw invalidParameter(`Invalid Routing status ${routingStatus}: expected closed`);
    }
    if (status === 'inactive' && routingStatus === undefined) {
      throw invalidParameter('Routing status is required when the channel status is inactive');
    }
    for (const taskSid of channel.taskSids) {
      const task = this.ctx.store.tasks.get(taskSid);
      if (!task) continue;
      if (task.assignmentStatus === 'pending' || task.assignmentStatus === 'reserved') {
        this.taskRouter.cancelTask(task.sid, `Interaction channel ${status}`);
      } else if (task.assignmentStatus === 'assigned') {
        this.taskRouter.wrapTask(task.sid, `Interaction channel ${status}`);
      }
      if (routingStatus === 'closed' && task.assignmentStatus === 'wrapping') {
        this.taskRouter.completeTask(task.sid, `Interaction channel ${status}`);
      }
    }
    channel.status = status;
    if (status === 'closed') {
      for (const participant of this.participants(channel.sid)) participant.status = 'closed';
      const conversation = this.ctx.store.conversations.get(channel.conversationSid);
      if (conversation && conversation.state !== 'closed') {
        this.conversations.setState(conversation, 'closed', 'API', SYSTEM_ACTION);
      }
    }
  }

  /** `POST /Interactions/{KD}/Channels/{UO}/Participants/{UT}` with `Status` wrapup|closed. */
  updateParticipantStatus(participant: InteractionParticipantRecord, status: string): void {
    if (status !== 'wrapup' && status !== 'closed') {
      throw invalidParameter(`Invalid Status ${status}: expected wrapup or closed`);
    }
    const task = participant.taskSid ? this.ctx.store.tasks.get(participant.taskSid) : undefined;
    if (task && status === 'wrapup' && task.assignmentStatus === 'assigned')
      this.taskRouter.wrapTask(task.sid);
    if (
      task &&
      status === 'closed' &&
      (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping')
    ) {
      this.taskRouter.completeTask(task.sid);
    }
    participant.status = status;
    // The agent leaves the conversation; the customer and any other agent stay in it.
    if (participant.type === 'agent' && participant.conversationParticipantSid) {
      const channel = this.ctx.store.interactionChannels.get(participant.channelSid);
      const member = channel
        ? this.conversations
            .participants(channel.conversationSid)
            .find((p) => p.sid === participant.conversationParticipantSid)
        : undefined;
      if (channel && member)
        this.conversations.removeParticipant(channel.conversationSid, member.sid, SYSTEM_ACTION);
    }
  }

  #setAgentStatus(task: TaskRecord, status: 'wrapup' | 'closed'): void {
    const channel = this.channelOfTask(task.sid);
    if (!channel) return;
    for (const participant of this.participants(channel.sid)) {
      if (participant.taskSid === task.sid && participant.type === 'agent') participant.status = status;
    }
  }

  #addParticipant(
    channel: InteractionChannelRecord,
    fields: Omit<
      InteractionParticipantRecord,
      'sid' | 'interactionSid' | 'channelSid' | 'status' | 'dateCreated'
    >,
  ): InteractionParticipantRecord {
    const participant: InteractionParticipantRecord = {
      sid: newSid('UT'),
      interactionSid: channel.interactionSid,
      channelSid: channel.sid,
      status: 'joined',
      dateCreated: this.ctx.clock.now(),
      ...fields,
    };
    this.ctx.store.interactionParticipants.set(participant.sid, participant);
    return participant;
  }

  // ---- JSON as Twilio returns it -------------------------------------------------------------

  interactionJson(i: InteractionRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Interactions/${i.sid}`;
    const channel = this.ctx.store.interactionChannels.get(i.channelSid);
    const taskSid = channel?.taskSids[0];
    const task = taskSid ? this.ctx.store.tasks.get(taskSid) : undefined;
    const routingProperties = (i.routing.properties ?? {}) as Record<string, unknown>;
    return {
      sid: i.sid,
      channel: i.channel,
      routing: {
        ...i.routing,
        properties: task
          ? { ...this.taskRouter.taskJson(task), ...routingProperties, attributes: task.attributes }
          : routingProperties,
      },
      url,
      links: { channels: `${url}/Channels` },
      interaction_context_sid: i.interactionContextSid,
      webhook_ttid: i.webhookTtid,
    };
  }

  channelJson(c: InteractionChannelRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Interactions/${c.interactionSid}/Channels/${c.sid}`;
    return {
      sid: c.sid,
      interaction_sid: c.interactionSid,
      type: c.type,
      status: c.status,
      error_code: null,
      error_message: null,
      url,
      links: {
        participants: `${url}/Participants`,
        invites: `${url}/Invites`,
        transfers: `${url}/Transfers`,
      },
    };
  }

  participantJson(p: InteractionParticipantRecord): Record<string, unknown> {
    return {
      sid: p.sid,
      type: p.type,
      interaction_sid: p.interactionSid,
      channel_sid: p.channelSid,
      url: `${PUBLIC_BASE}/Interactions/${p.interactionSid}/Channels/${p.channelSid}/Participants/${p.sid}`,
      routing_properties: p.routingProperties,
    };
  }
}

function jsonParam(req: Request, name: string): Record<string, unknown> | undefined {
  const value = paramsOf(req).json(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Flex API routes relative to `/flex-api/v1`. */
export function interactionsRouter(
  service: InteractionsService,
  taskRouter: TaskRouterService,
  ctx: EmulatorContext,
): Router {
  const router = Router();

  router.get('/Configuration', (_req, res) => {
    res.json({
      account_sid: ctx.accountSid,
      status: 'ok',
      taskrouter_workspace_sid: taskRouter.workspaceSid,
      taskrouter_target_workflow_sid: taskRouter.workflowSid,
      taskrouter_target_taskqueue_sid: taskRouter.taskQueueSid,
      taskrouter_offline_activity_sid: taskRouter.offlineActivitySid,
      chat_service_instance_sid: ctx.conversationsServiceSid,
      conversations_service_sid: ctx.conversationsServiceSid,
      flex_service_instance_sid: ctx.conversationsServiceSid,
      url: `${PUBLIC_BASE}/Configuration`,
    });
  });

  router.post('/Interactions', (req, res) => {
    const channel = jsonParam(req, 'Channel');
    const routing = jsonParam(req, 'Routing');
    if (!channel) throw invalidParameter('Missing required parameter Channel');
    if (!routing) throw invalidParameter('Missing required parameter Routing');
    const channelProperties = record(channel.properties);
    const routingProperties = record(routing.properties);
    const workspaceSid = routingProperties.workspace_sid;
    if (typeof workspaceSid === 'string' && workspaceSid !== taskRouter.workspaceSid) {
      throw new TwilioApiError(400, 20001, `Workspace ${workspaceSid} does not exist`);
    }
    const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
    const { interaction } = service.create({
      conversationSid: str(channelProperties.media_channel_sid),
      channelType: str(channel.type),
      initiatedBy: str(channel.initiated_by),
      workflowSid: str(routingProperties.workflow_sid),
      taskChannel: str(routingProperties.task_channel_unique_name) ?? str(routingProperties.task_channel_sid),
      attributes: record(routingProperties.attributes),
      priority: num(routingProperties.priority),
      timeout: num(routingProperties.timeout),
    });
    res.status(201).json(service.interactionJson(interaction));
  });
  router.get('/Interactions/:sid', (req, res) => {
    res.json(service.interactionJson(service.interaction(req.params.sid)));
  });
  router.get('/Interactions/:sid/Channels', (req, res) => {
    const interaction = service.interaction(req.params.sid);
    const items = where(ctx.store.interactionChannels, (c) => c.interactionSid === interaction.sid).map((c) =>
      service.channelJson(c),
    );
    res.json(pageOf(req, items, 'channels', ctx.baseUrl()));
  });
  router.get('/Interactions/:sid/Channels/:channelSid', (req, res) => {
    res.json(service.channelJson(service.channel(req.params.sid, req.params.channelSid)));
  });
  router.post('/Interactions/:sid/Channels/:channelSid', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const routing = jsonParam(req, 'Routing');
    const routingStatus = routing?.status;
    service.updateChannelStatus(
      channel,
      paramsOf(req).required('Status'),
      routing === undefined ? undefined : typeof routingStatus === 'string' ? routingStatus : '',
    );
    res.json(service.channelJson(channel));
  });
  router.post('/Interactions/:sid/Channels/:channelSid/Invites', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const routing = jsonParam(req, 'Routing');
    if (!routing) throw invalidParameter('Missing required parameter Routing');
    res.status(201).json(service.inviteJson(service.invite(channel, routing)));
  });
  router.get('/Interactions/:sid/Channels/:channelSid/Invites', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const items = service.invites(channel.sid).map((invite) => service.inviteJson(invite));
    res.json(pageOf(req, items, 'invites', ctx.baseUrl()));
  });
  router.get('/Interactions/:sid/Channels/:channelSid/Participants', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const items = service.participants(channel.sid).map((p) => service.participantJson(p));
    res.json(pageOf(req, items, 'participants', ctx.baseUrl()));
  });
  router.post('/Interactions/:sid/Channels/:channelSid/Participants/:participantSid', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const participant = service.participants(channel.sid).find((p) => p.sid === req.params.participantSid);
    if (!participant) throw notFound(`/Participants/${req.params.participantSid}`);
    service.updateParticipantStatus(participant, paramsOf(req).required('Status'));
    res.json(service.participantJson(participant));
  });

  return router;
}
