import { type Request, Router } from 'express';
import type { EmulatorContext } from './context.ts';
import { SYSTEM_ACTION } from './context.ts';
import type { ConversationsService } from './conversations.ts';
import { invalidParameter, missingParameter, notFound, TwilioApiError } from './errors.ts';
import { bodyText, paramsOf } from './http.ts';
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

/** A transfer recorded on a channel (`POST …/Channels/{UO}/Transfers`). */
export interface TransferRecord {
  sid: string;
  interactionSid: string;
  channelSid: string;
  type: 'cold' | 'warm' | 'external';
  status: 'active' | 'completed' | 'failed';
  from: string;
  to: string;
  noteSid: string | null;
  summarySid: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface WrapUpOptions {
  /** Close the Conversation (default, as Flex does when the last agent wraps up); otherwise the agent leaves it. */
  closeConversation?: boolean;
}

export class InteractionsService {
  readonly #invites = new Map<string, InviteRecord>();
  readonly #transfers = new Map<string, TransferRecord>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly conversations: ConversationsService,
    private readonly taskRouter: TaskRouterService,
    private readonly options: { agentJoinWebhooks: boolean } = { agentJoinWebhooks: true },
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
            // Flex adds the agent server side: a REST action, with webhooks (unless told otherwise).
            this.options.agentJoinWebhooks ? SYSTEM_ACTION : { ...SYSTEM_ACTION, webhooks: false },
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
    const initiatedBy = input.initiatedBy ?? 'customer';
    const attributes = this.#taskAttributes(input, conversation.sid, channel, initiatedBy);
    this.ctx.store.interactionChannels.set(channel.sid, channel);
    const task = this.#routeTask(channel, input, attributes);
    const interaction: InteractionRecord = {
      sid: interactionSid,
      channel: {
        type: channel.type,
        initiated_by: initiatedBy,
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
      const attributes = this.#taskAttributes(input, conversation.sid, latest, initiatorOf(interaction));
      latest.status = 'setup';
      return { interaction, task: this.#routeTask(latest, input, attributes) };
    }
    return this.create(input);
  }

  /**
   * The task's attributes: the given ones, then what Flex writes itself on every Conversations task
   * (whatever the given attributes said): `channelType` from the interaction channel's type,
   * `conversations` (Flex Insights' `communication_channel`, `media`, `initiated_by`, `direction`;
   * other keys of a given `conversations` stay), `conversationSid`, `flexInteractionSid`,
   * `flexInteractionChannelSid`, `initiatedBy` and `direction`. `customerName`, `from` and
   * `customerAddress` are filled in only when missing.
   *
   * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api#response
   * @see https://github.com/techmatters/flex-plugins/pull/2320 (a `channelType` set in Send to Flex is ignored)
   */
  #taskAttributes(
    input: SendToFlexInput,
    conversationSid: string,
    channel: { interactionSid: string; sid: string; type: string },
    initiatedBy: string,
  ): Record<string, unknown> {
    const given = input.attributes ?? {};
    const channelType = taskChannelTypeOf(channel.type);
    const initiator = initiatedBy.toLowerCase();
    const direction = initiator === 'agent' ? 'outbound' : 'inbound';
    const attributes: Record<string, unknown> = {
      ...given,
      channelType,
      conversations: {
        ...record(given.conversations),
        communication_channel: capitalized(channelType),
        media: [{ conversation_sid: conversationSid }],
        initiated_by: capitalized(initiator),
        direction: capitalized(direction),
      },
      conversationSid,
      flexInteractionSid: channel.interactionSid,
      flexInteractionChannelSid: channel.sid,
      initiatedBy: initiator,
      direction,
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
    const interaction = this.interaction(channel.interactionSid);
    const inviteSid = newSid('KG');
    const attributes = {
      ...this.#taskAttributes(
        { attributes: record(properties.attributes) },
        channel.conversationSid,
        channel,
        initiatorOf(interaction),
      ),
      flexChannelInviteSid: inviteSid,
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
      sid: inviteSid,
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

  /**
   * `POST …/Channels/{UO}/Participants`: a participant of `Type` joins the channel. Its
   * `MediaProperties` hold exactly one of `identity` (a chat identity: it joins the conversation too)
   * or `address` (an SMS/email/WhatsApp address: recorded, as the emulator has no such bindings).
   *
   * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api/interaction-channel-participants
   * @see https://www.twilio.com/docs/api/errors/45351
   */
  addChannelParticipant(
    channel: InteractionChannelRecord,
    type: string,
    mediaProperties: Record<string, unknown>,
    routingProperties: Record<string, unknown> | null,
  ): InteractionParticipantRecord {
    if (!PARTICIPANT_TYPES.has(type)) {
      throw invalidParameter(
        `Invalid Type ${type}: expected supervisor, customer, external, agent or unknown`,
      );
    }
    if (channel.status === 'closed') throw new TwilioApiError(400, 20001, `Channel ${channel.sid} is closed`);
    const identity = typeof mediaProperties.identity === 'string' ? mediaProperties.identity : null;
    const address = typeof mediaProperties.address === 'string' ? mediaProperties.address : null;
    if ((identity === null) === (address === null)) {
      throw new TwilioApiError(
        400,
        45351,
        `Failed to add Participant to Channel ${channel.sid}. Channel Participant properties must contain exactly one of "identity" or an "address"/"proxy_address" pair.`,
      );
    }
    let conversationParticipantSid: string | null = null;
    const conversation = this.ctx.store.conversations.get(channel.conversationSid);
    if (identity && conversation && conversation.state !== 'closed') {
      const existing = this.conversations.participants(conversation.sid).find((p) => p.identity === identity);
      conversationParticipantSid =
        existing?.sid ??
        this.conversations.addParticipant(conversation.sid, { identity, attributes: '{}' }, SYSTEM_ACTION)
          .sid;
    }
    const str = (value: unknown) => (typeof value === 'string' && value ? value : null);
    return this.#addParticipant(channel, {
      type: type as InteractionParticipantRecord['type'],
      identity: identity ?? address,
      workerSid: str(routingProperties?.worker_sid),
      taskSid: str(routingProperties?.task_sid),
      reservationSid: str(routingProperties?.reservation_sid),
      conversationParticipantSid,
      routingProperties,
    });
  }

  /**
   * `POST …/Channels/{UO}/Transfers` (a JSON body, as Flex UI sends it: `type` cold | warm |
   * external, `from` the transferring participant `UT…`, `to` the target, `note_sid`,
   * `summary_sid`): a record of the transfer, `active` until updated. The invite that moves the
   * chat is a separate call.
   *
   * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api
   */
  recordTransfer(channel: InteractionChannelRecord, body: Record<string, unknown>): TransferRecord {
    const text = (...names: string[]) => {
      for (const name of names) if (typeof body[name] === 'string' && body[name]) return body[name] as string;
      return null;
    };
    const type = text('type') ?? 'cold';
    if (type !== 'cold' && type !== 'warm' && type !== 'external') {
      throw invalidParameter(`Invalid type ${type}: expected cold, warm or external`);
    }
    const from = text('from');
    const to = text('to');
    if (!from) throw invalidParameter('Missing required parameter from');
    if (!to) throw invalidParameter('Missing required parameter to');
    if (!this.participants(channel.sid).some((p) => p.sid === from)) {
      throw invalidParameter(`from ${from} is not a participant of channel ${channel.sid}`);
    }
    const now = this.ctx.clock.now();
    const transfer: TransferRecord = {
      sid: newSid('UX'),
      interactionSid: channel.interactionSid,
      channelSid: channel.sid,
      type,
      status: 'active',
      from,
      to,
      noteSid: text('note_sid', 'noteSid'),
      summarySid: text('summary_sid', 'summarySid'),
      dateCreated: now,
      dateUpdated: now,
    };
    this.#transfers.set(transfer.sid, transfer);
    return transfer;
  }

  transfer(channel: InteractionChannelRecord, sid: string): TransferRecord {
    const transfer = this.#transfers.get(sid);
    if (!transfer || transfer.channelSid !== channel.sid) {
      throw notFound(`/Interactions/${channel.interactionSid}/Channels/${channel.sid}/Transfers/${sid}`);
    }
    return transfer;
  }

  /** `POST …/Transfers/{UX}` with a JSON `status` (active, completed, failed). */
  updateTransfer(transfer: TransferRecord, body: Record<string, unknown>): TransferRecord {
    const status = body.status;
    if (status !== undefined) {
      if (status !== 'active' && status !== 'completed' && status !== 'failed') {
        throw invalidParameter(`Invalid status ${String(status)}: expected active, completed or failed`);
      }
      transfer.status = status;
      transfer.dateUpdated = this.ctx.clock.now();
    }
    return transfer;
  }

  transferJson(t: TransferRecord): Record<string, unknown> {
    return {
      sid: t.sid,
      instance_sid: null,
      account_sid: this.ctx.accountSid,
      interaction_sid: t.interactionSid,
      channel_sid: t.channelSid,
      execution_sid: null,
      type: t.type,
      status: t.status,
      from: t.from,
      to: t.to,
      note_sid: t.noteSid,
      summary_sid: t.summarySid,
      date_created: t.dateCreated.toISOString(),
      date_updated: t.dateUpdated.toISOString(),
      url: `${PUBLIC_BASE}/Interactions/${t.interactionSid}/Channels/${t.channelSid}/Transfers/${t.sid}`,
    };
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

/**
 * The task `channelType` Flex writes for an interaction channel type: the type itself, except a
 * `chat` channel, whose tasks say `web` as Flex's chat tasks do (a custom chat channel handed over
 * by Send to Flex arrives as `web`: techmatters/flex-plugins#2371).
 */
function taskChannelTypeOf(channelType: string): string {
  return channelType === 'chat' ? 'web' : channelType;
}

/** `sms` → `Sms`, as Flex writes the Insights `conversations` values (`"communication_channel":"Sms"`). */
function capitalized(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Who started an interaction (`channel.initiated_by`). */
function initiatorOf(interaction: InteractionRecord): string {
  const by = interaction.channel.initiated_by;
  return typeof by === 'string' && by ? by : 'customer';
}

/** The interaction channel types of the Interactions API. */
const CHANNEL_TYPES: ReadonlySet<string> = new Set([
  'sms',
  'email',
  'chat',
  'whatsapp',
  'web',
  'messenger',
  'gbm',
]);

/** Interaction channel participant types. */
const PARTICIPANT_TYPES: ReadonlySet<string> = new Set([
  'supervisor',
  'customer',
  'external',
  'agent',
  'unknown',
]);

/** A JSON request body (Transfers take `application/json`, as twilio-node and Flex UI send them). */
function jsonBody(req: Request): Record<string, unknown> {
  const text = bodyText(req);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter('The request body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter('The request body must be a JSON object');
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
    const type = str(channel.type);
    if (type === undefined || !CHANNEL_TYPES.has(type)) {
      throw invalidParameter(
        `Invalid Channel.type ${String(channel.type)}: expected sms, email, chat, whatsapp, web, messenger or gbm`,
      );
    }
    const { interaction } = service.create({
      conversationSid: str(channelProperties.media_channel_sid),
      channelType: type,
      initiatedBy: str(channel.initiated_by),
      workflowSid: str(routingProperties.workflow_sid),
      taskChannel: str(routingProperties.task_channel_unique_name) ?? str(routingProperties.task_channel_sid),
      attributes: record(routingProperties.attributes),
      priority: num(routingProperties.priority),
      timeout: num(routingProperties.timeout),
    });
    // "a 200 response only indicates that the server has accepted the request" (Interactions resource).
    res.json(service.interactionJson(interaction));
  });
  router.get('/Interactions/:sid', (req, res) => {
    res.json(service.interactionJson(service.interaction(req.params.sid)));
  });
  router.post('/Interactions/:sid', (req, res) => {
    const interaction = service.interaction(req.params.sid);
    const ttid = paramsOf(req).get('WebhookTtid');
    if (ttid !== undefined) interaction.webhookTtid = ttid === '' ? null : ttid;
    res.json(service.interactionJson(interaction));
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
    res.json(service.inviteJson(service.invite(channel, routing)));
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
  router.post('/Interactions/:sid/Channels/:channelSid/Participants', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const params = paramsOf(req);
    const type = params.required('Type');
    const media = jsonParam(req, 'MediaProperties');
    if (!media) throw missingParameter('MediaProperties');
    const participant = service.addChannelParticipant(
      channel,
      type,
      media,
      jsonParam(req, 'RoutingProperties') ?? null,
    );
    res.json(service.participantJson(participant));
  });
  router.post('/Interactions/:sid/Channels/:channelSid/Transfers', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    res.status(201).json(service.transferJson(service.recordTransfer(channel, jsonBody(req))));
  });
  router.get('/Interactions/:sid/Channels/:channelSid/Transfers/:transferSid', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    res.json(service.transferJson(service.transfer(channel, req.params.transferSid)));
  });
  router.post('/Interactions/:sid/Channels/:channelSid/Transfers/:transferSid', (req, res) => {
    const channel = service.channel(req.params.sid, req.params.channelSid);
    const transfer = service.transfer(channel, req.params.transferSid);
    res.json(service.transferJson(service.updateTransfer(transfer, jsonBody(req))));
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
