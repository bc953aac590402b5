import {
  type ConversationsWebhook,
  discordUserIdOf,
  isFlexcordTask,
  type OnMessageAdded,
  type TaskRouterEvent,
} from '@flexcord/contracts';
import type { AgentMessages } from '../../domain/chat/agent-messages.ts';
import type { ChatLifecycle, EventOutcome, FlexTaskRef } from '../../domain/chat/chat-lifecycle.ts';
import type { EditOutcome, MessageEdits } from '../../domain/chat/message-edits.ts';

export type { EventOutcome };

/**
 * What Twilio tells the bridge about a chat — Conversations webhooks and TaskRouter events —
 * translated into the chat's lifecycle and its agent messages. Each event carries a stable key,
 * so Twilio's retries and the two "agent joined" signals (Conversations and TaskRouter) change
 * things once.
 */
export class ConversationEvents {
  constructor(
    private readonly deps: { lifecycle: ChatLifecycle; agentMessages: AgentMessages; edits: MessageEdits },
  ) {}

  async handleWebhook(event: ConversationsWebhook): Promise<EventOutcome> {
    const { lifecycle } = this.deps;
    switch (event.EventType) {
      case 'onMessageAdded':
        return this.onMessageAdded(event);
      case 'onMessageUpdated':
        return this.deps.agentMessages.inOrder(event.ConversationSid, async () =>
          editOutcome(
            await this.deps.edits.agentEdited({
              messageSid: event.MessageSid,
              body: await this.deps.agentMessages.editedText(event.ConversationSid, event.Author, event.Body),
              text: event.Body ?? '',
              updatedAt: event.DateUpdated,
            }),
          ),
        );
      case 'onMessageRemoved':
        return this.deps.agentMessages.inOrder(event.ConversationSid, async () =>
          editOutcome(await this.deps.edits.agentRemoved({ messageSid: event.MessageSid })),
        );
      case 'onParticipantAdded': {
        const identity = event.Identity;
        if (!identity || discordUserIdOf(identity)) return this.ignoredIfKnown(event.ConversationSid);
        return lifecycle.agentJoined({
          eventKey: `twilio:participant-added:${event.ParticipantSid}`,
          conversationSid: event.ConversationSid,
          identity,
        });
      }
      case 'onParticipantRemoved': {
        const identity = event.Identity;
        if (!identity || discordUserIdOf(identity)) return this.ignoredIfKnown(event.ConversationSid);
        return lifecycle.agentLeft({
          eventKey: `twilio:participant-removed:${event.ParticipantSid}`,
          conversationSid: event.ConversationSid,
          identity,
          participantSid: event.ParticipantSid,
        });
      }
      case 'onConversationStateUpdated':
        return lifecycle.stateChanged({
          conversationSid: event.ConversationSid,
          stateTo: event.StateTo,
          reason: event.Reason ?? null,
        });
    }
  }

  private onMessageAdded(event: OnMessageAdded): Promise<EventOutcome> {
    return this.deps.agentMessages.handle(event.ConversationSid, {
      sid: event.MessageSid,
      index: event.Index,
      author: event.Author,
      body: event.Body,
      attributes: event.Attributes,
      media: (event.Media ?? []).map((item) => ({
        sid: item.Sid,
        contentType: item.ContentType,
        filename: item.Filename ?? item.Sid,
        size: item.Size,
      })),
      dateCreated: new Date(event.DateCreated),
    });
  }

  /**
   * TaskRouter's workspace events: `reservation.accepted` is the dependable "agent joined" signal
   * (Flex adds the agent to the Conversation itself); `task.created` says which task and
   * Interactions channel hold the chat.
   */
  async handleTaskRouterEvent(event: TaskRouterEvent): Promise<EventOutcome> {
    if (event.EventType !== 'reservation.accepted' && event.EventType !== 'task.created') return 'ignored';
    const conversationSid = event.TaskAttributes?.conversationSid;
    // Flex writes `channelType` itself (`web` for a chat): a task is ours by `customChannelType`.
    if (typeof conversationSid !== 'string' || !isFlexcordTask(event.TaskAttributes)) return 'ignored';
    const eventKey = `taskrouter:${event.Sid ?? `${event.TaskSid}:${event.ReservationSid}:${event.EventType}`}`;
    const task = event.TaskSid ? taskRefOf(event, event.TaskSid) : undefined;
    if (event.EventType === 'task.created')
      return task ? this.deps.lifecycle.taskCreated({ eventKey, conversationSid, task }) : 'ignored';
    const contactUri = event.WorkerAttributes?.contact_uri;
    const identity = typeof contactUri === 'string' ? contactUri : (event.WorkerName ?? 'agent');
    const fullName = event.WorkerAttributes?.full_name;
    const name = typeof fullName === 'string' && fullName ? fullName : event.WorkerName;
    return this.deps.lifecycle.agentJoined({
      eventKey,
      conversationSid,
      identity,
      ...(name ? { name } : {}),
      ...(task ? { task } : {}),
    });
  }

  private async ignoredIfKnown(conversationSid: string): Promise<EventOutcome> {
    await this.deps.lifecycle.ensureKnown(conversationSid);
    return 'ignored';
  }
}

function editOutcome(outcome: EditOutcome): EventOutcome {
  return outcome === 'relayed' ? 'handled' : outcome === 'duplicate' ? 'duplicate' : 'ignored';
}

function taskRefOf(event: TaskRouterEvent, taskSid: string): FlexTaskRef {
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return {
    workspaceSid: event.WorkspaceSid,
    taskSid,
    interactionSid: text(event.TaskAttributes?.flexInteractionSid),
    channelSid: text(event.TaskAttributes?.flexInteractionChannelSid),
  };
}
