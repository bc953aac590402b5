import {
  type AuditSource,
  type CaseActor,
  type DiscordUser,
  type Disposition,
  discordIdentity,
  type HandoverRequest,
} from '@flexcord/contracts';
import {
  type ConversationPhase,
  type ConversationRow,
  countConversations,
  findConversation,
  findConversationOfTask,
  findOpenConversation,
  findOpenConversationInOrFrom,
  insertConversation,
  latestConversationOfCase,
  moveConversationChannel,
  updateConversation,
} from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Tx } from '../../infrastructure/db/database.ts';
import { findMember, type MemberRow, upsertMember } from '../../infrastructure/db/members-repository.ts';
import { claimEvent } from '../../infrastructure/db/processed-events.ts';
import { isUniqueViolation } from '../../infrastructure/db/rows.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { ConflictError } from '../../infrastructure/util/domain-errors.ts';
import { KeyedQueue } from '../../infrastructure/util/keyed-queue.ts';
import type { CaseService } from '../cases/case-service.ts';
import { ordinal, t } from '../i18n/messages.ts';
import type { TopicSnapshot } from '../topics/help-topics.ts';
import { agentNameFromIdentity, normalizeAgentIdentity } from './agent-identity.ts';
import { type ChatChannel, SYSTEM_AUTHOR, UnknownConversationError } from './chat-channel.ts';
import type { ChatSurvey } from './chat-survey.ts';
import { conversationAttributes } from './conversation-attributes.ts';
import { SupportHours } from './support-hours.ts';

export type EventOutcome = 'handled' | 'ignored' | 'duplicate';

/** The Flex task that holds a chat, as TaskRouter's events name it. */
export interface FlexTaskRef {
  workspaceSid: string;
  taskSid: string;
  interactionSid: string | null;
  channelSid: string | null;
}

export class ChatStillLiveError extends ConflictError {
  constructor(readonly caseNumber: number) {
    super(
      'chat_still_live',
      `the chat of case #${caseNumber} is still live: end the chat before wrapping up`,
    );
  }
}

export class ChatNotTransferableError extends ConflictError {
  constructor(readonly caseNumber: number) {
    super('chat_not_transferable', `the chat of case #${caseNumber} has no agent to transfer from right now`);
  }
}

export class ChatNotOfCaseError extends ConflictError {
  constructor(readonly caseNumber: number) {
    super('task_not_of_case', `that task's chat is not linked to case #${caseNumber}`);
  }
}

export interface ChatLifecycleDeps {
  db: Database;
  outbox: Outbox;
  channel: ChatChannel;
  cases: CaseService;
  logger: Logger;
  /** When the team is there; default always. Outside the hours a request waits (`after_hours`). */
  hours?: SupportHours;
  /** Help topics with their own support hours, by topic id (the others follow {@link hours}). */
  topicHours?: ReadonlyMap<string, SupportHours>;
  now?: () => Date;
  /** The least time between two queue-position notices to one member (default 30 s). */
  queueUpdateMs?: number;
  /** The satisfaction survey offered when a chat with an agent ends (none when absent). */
  survey?: ChatSurvey;
}

/** Where a waiting member stands in the Flex queue, as TaskRouter's statistics tell it. */
export interface QueueStanding {
  conversationSid: string;
  taskSid: string;
  /** 1 for the next one to be offered to an agent. */
  position: number;
  /** Estimated minutes until an agent accepts, or null when the statistics cannot tell. */
  waitMinutes: number | null;
}

export const memberActor = (user: DiscordUser): CaseActor => ({
  kind: 'member',
  id: user.id,
  name: user.displayName,
});

const TWILIO_ACTOR: CaseActor = { kind: 'system', id: 'twilio', name: 'Twilio' };
const HOURS_ACTOR: CaseActor = { kind: 'system', id: 'support-hours', name: 'Support hours' };
const DISCORD_ACTOR: CaseActor = { kind: 'system', id: 'discord', name: 'Discord' };

/** The open chat a private thread is opened for, as the thread's opener needs it. */
export interface ChatToMove {
  conversationSid: string;
  discordUserId: string;
  displayName: string;
  locale: string | null;
}

/**
 * The one owner of a chat's lifecycle: `bot` → `handover` (the member asked for a person) →
 * `queued` (sent to Flex) → `agent` (an agent joined) → `ended`, and back to `queued` when the
 * agent leaves. Every transition is a method here, with its rules, its timeline entries and its
 * messages to the member, in one transaction; nothing else writes a chat's phase.
 *
 * One member's events run one at a time, in order ({@link ChatLifecycle.memberQueue}).
 */
export class ChatLifecycle {
  /** Per member: their DM messages, /helpme and button presses, one after the other. */
  readonly memberQueue = new KeyedQueue();
  readonly hours: SupportHours;
  private readonly now: () => Date;

  constructor(private readonly deps: ChatLifecycleDeps) {
    this.hours = deps.hours ?? new SupportHours(null);
    this.now = deps.now ?? (() => new Date());
  }

  /** When the team of this chat's help topic is there: the topic's own hours, else the brand's. */
  hoursFor(conversation: Pick<ConversationRow, 'help_topic'>): SupportHours {
    const id = conversation.help_topic?.id;
    return (id && this.deps.topicHours?.get(id)) || this.hours;
  }

  /** "we're back Monday 9:00 (CET)" in the member's language, or "we'll be back soon". */
  private backText(locale: string | null, hours: SupportHours = this.hours): string {
    const when = hours.describeReturn(this.now(), locale);
    return when ? t(locale, 'hours.backAt', { when }) : t(locale, 'hours.backSoon');
  }

  /**
   * The member's open chat, or a new one (`bot`): a Conversation with the member as participant and
   * both webhooks, linked to the member's open support case if they have one.
   */
  async open(input: {
    user: DiscordUser;
    dmChannelId: string;
    guildId: string | null;
    locale: string | null;
    topic?: string | null;
    /** The help topic picked in /helpme and its form's answers. */
    helpTopic?: TopicSnapshot | null;
  }): Promise<{ conversation: ConversationRow; created: boolean }> {
    const { db, channel, cases } = this.deps;
    const existing = await findOpenConversation(db, input.user.id);
    if (existing) return { conversation: existing, created: false };

    await upsertMember(db, input.user, input.locale);
    const openCase = await cases.findOpenSupportCase(db, input.user.id);
    const attempt = (await countConversations(db, input.user.id)) + 1;
    const row = {
      dm_channel_id: input.dmChannelId,
      guild_id: input.guildId,
      case_number: openCase?.number ?? null,
      locale: input.locale,
      topic: input.topic ?? null,
    };
    const sid = await channel.openConversation({
      // Unique per attempt: a retry after a crash finds the conversation instead of making another.
      uniqueName: `discord-${input.user.id}-${attempt}`,
      friendlyName: `Discord: ${input.user.displayName} (@${input.user.username})`,
      attributes: conversationAttributes(row, {
        discord_user_id: input.user.id,
        username: input.user.username,
        display_name: input.user.displayName,
        avatar_url: input.user.avatarUrl,
      }),
      memberIdentity: discordIdentity(input.user.id),
    });
    try {
      await db.transaction(async (tx) => {
        await insertConversation(tx, {
          sid,
          discord_user_id: input.user.id,
          ...row,
          help_topic: input.helpTopic ?? null,
        });
        if (openCase)
          await cases.record(tx, openCase.number, 'conversation_linked', memberActor(input.user), {
            conversationSid: sid,
          });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another instance opened a chat for this member meanwhile: use theirs.
      const winner = await findOpenConversation(db, input.user.id);
      if (winner) return { conversation: winner, created: false };
      throw error;
    }
    const conversation = await findConversation(db, sid);
    this.deps.logger.info(
      { conversationSid: sid, discordUserId: input.user.id, caseNumber: row.case_number },
      'chat opened',
    );
    return { conversation: conversation!, created: true };
  }

  /**
   * The member picked a help topic while their chat is with the virtual agent (the bot offered the
   * topics, or /helpme again): the chat is about that topic from now on, and its case will be.
   * Returns the chat's place, or null when there is no chat with the bot to note it on.
   */
  async chooseTopic(
    discordUserId: string,
    input: { topic: string; helpTopic: TopicSnapshot },
  ): Promise<{ dmChannelId: string } | null> {
    return this.deps.db.transaction(async (tx) => {
      const open = await findOpenConversation(tx, discordUserId);
      if (!open || open.phase !== 'bot') return null;
      await updateConversation(tx, open.sid, { topic: input.topic, help_topic: input.helpTopic });
      return { dmChannelId: open.dm_channel_id };
    });
  }

  /**
   * What /helpme finds when the member already has a live chat with a person (or is waiting for
   * one): who they talk to and where — so /helpme points there instead of greeting them again.
   */
  async liveChat(discordUserId: string): Promise<{
    phase: 'agent' | 'waiting';
    agent: string | null;
    caseNumber: number | null;
    dmChannelId: string;
    /** The queue position the member was last told, if any. */
    position: number | null;
  } | null> {
    const open = await findOpenConversation(this.deps.db, discordUserId);
    if (!open || open.phase === 'bot' || open.phase === 'ended') return null;
    return {
      phase: open.phase === 'agent' ? 'agent' : 'waiting',
      agent: open.phase === 'agent' ? open.agent_name : null,
      caseNumber: open.case_number,
      dmChannelId: open.dm_channel_id,
      position: open.phase === 'queued' ? open.queue_position : null,
    };
  }

  /**
   * /helpme: the member's chat (opened or reused), in their DM or in a private thread; a new chat
   * linked to an open case says so. A chat moved to a thread because the member's DMs are closed
   * is told to the agent in the Conversation and recorded on the case.
   */
  async startFromHelpme(input: {
    interactionId: string;
    user: DiscordUser;
    /** The DM channel, or the private thread the chat happens in. */
    dmChannelId: string;
    guildId: string | null;
    locale: string | null;
    topic: string | null;
    helpTopic?: TopicSnapshot | null;
    /** Set when the chat is in a private thread, and why. */
    thread?: { reason: 'dms_closed' | 'configured' };
  }): Promise<void> {
    await upsertMember(this.deps.db, input.user, input.locale);
    const { conversation, created } = await this.open(input);
    if (!created) return;
    const caseNumber = conversation.case_number;
    const movedForClosedDms = input.thread?.reason === 'dms_closed';
    if (!caseNumber && !movedForClosedDms) return;
    await this.deps.db.transaction(async (tx) => {
      if (caseNumber)
        await this.deps.outbox.enqueue(tx, {
          kind: 'discord.message',
          key: `helpme:${input.interactionId}:linked`,
          payload: {
            channelId: input.dmChannelId,
            content: t(input.locale, 'helpme.linkedCase', { caseNumber }),
          },
        });
      if (!movedForClosedDms) return;
      await this.deps.outbox.enqueue(tx, {
        kind: 'twilio.message',
        key: `helpme:${input.interactionId}:thread-note`,
        payload: {
          conversationSid: conversation.sid,
          author: SYSTEM_AUTHOR,
          body: "The member's DMs are closed; continuing in a private thread of the Discord server.",
          attributes: { discord: { place: 'thread', channelId: input.dmChannelId } },
        },
      });
      if (caseNumber)
        await this.deps.cases.record(tx, caseNumber, 'chat_moved_to_thread', memberActor(input.user), {
          conversationSid: conversation.sid,
          threadId: input.dmChannelId,
        });
    });
  }

  /**
   * Discord refused a message for the member's DM with 50007 (their DMs are closed now, in the
   * middle of a chat): the chat goes on in a private thread. `openThread` opens it (and tells the
   * member there why); then, in one transaction, the chat's place becomes the thread, the DM's
   * undelivered messages (the refused one first) move to the thread in their order, the agent is
   * told in the Conversation and the case records it. Resolves the channel to deliver to now, or
   * null when `dmChannelId` holds no open chat. Called again for a DM the chat already left (a
   * retry, a straggler), it moves what is still queued there and opens nothing.
   */
  async continueInThread(input: {
    dmChannelId: string;
    openThread: (chat: ChatToMove) => Promise<string>;
  }): Promise<string | null> {
    const { db, outbox, cases, logger } = this.deps;
    const chat = await findOpenConversationInOrFrom(db, input.dmChannelId);
    if (!chat) return null;
    const moveQueued = (tx: Tx, to: string) =>
      outbox.retarget(tx, 'discord.message', { channelId: input.dmChannelId }, { channelId: to });
    if (chat.dm_channel_id !== input.dmChannelId) {
      await db.transaction((tx) => moveQueued(tx, chat.dm_channel_id));
      return chat.dm_channel_id;
    }
    const member = await findMember(db, chat.discord_user_id);
    const threadId = await input.openThread({
      conversationSid: chat.sid,
      discordUserId: chat.discord_user_id,
      displayName: member?.display_name ?? member?.username ?? 'member',
      locale: chat.locale ?? member?.locale ?? null,
    });
    return db.transaction(async (tx) => {
      const current = await findConversation(tx, chat.sid, true);
      if (!current || !(await moveConversationChannel(tx, chat.sid, input.dmChannelId, threadId))) {
        // Moved meanwhile by another instance: its thread holds the chat, this one stays empty.
        logger.warn({ conversationSid: chat.sid, threadId }, 'chat already moved: extra thread unused');
        const place = current?.dm_channel_id ?? threadId;
        await moveQueued(tx, place);
        return place;
      }
      await moveQueued(tx, threadId);
      const key = `chat:${chat.sid}:moved-to:${threadId}`;
      await outbox.enqueue(tx, [
        {
          kind: 'twilio.message',
          key: `${key}:note`,
          payload: {
            conversationSid: chat.sid,
            author: SYSTEM_AUTHOR,
            body: "The member's DMs are closed now; the chat continues in a private thread of the Discord server, where the message their DMs refused was delivered.",
            attributes: { discord: { place: 'thread', channelId: threadId, movedFrom: input.dmChannelId } },
          },
        },
        {
          kind: 'twilio.conversation-attributes',
          key: `${key}:attributes`,
          payload: { conversationSid: chat.sid },
        },
      ]);
      if (current.case_number)
        await cases.record(tx, current.case_number, 'chat_moved_to_thread', DISCORD_ACTOR, {
          conversationSid: chat.sid,
          threadId,
          from: input.dmChannelId,
          reason: 'dms_closed_mid_chat',
        });
      logger.info(
        { conversationSid: chat.sid, threadId },
        "member's DMs closed: chat moved to a private thread",
      );
      return threadId;
    });
  }

  /**
   * "Talk to an agent" pressed: `bot` → `handover`, and the request posted into the chat as the
   * member so the flow sends it to Flex (see {@link ChatLifecycle.routeToAgent}). Pressed again
   * while waiting, the member is told they are in line.
   */
  async requestAgentByButton(input: {
    eventKey: string;
    user: DiscordUser;
    dmChannelId: string;
    locale: string | null;
  }): Promise<void> {
    const { conversation: open } = await this.open({
      user: input.user,
      dmChannelId: input.dmChannelId,
      guildId: null,
      locale: input.locale,
    });
    const key = input.eventKey;
    await this.deps.db.transaction(async (tx) => {
      if (!(await claimEvent(tx, key))) return;
      const conversation = await findOpenConversation(tx, input.user.id);
      const member = await findMember(tx, input.user.id);
      if (!conversation || !member || conversation.sid !== open.sid) return;
      const locale = conversation.locale ?? input.locale;
      if (conversation.phase === 'after_hours') {
        await this.deps.outbox.enqueue(tx, {
          kind: 'discord.message',
          key: `${key}:still-closed`,
          payload: {
            channelId: conversation.dm_channel_id,
            content: t(locale, 'hours.stillClosed', {
              caseNumber: conversation.case_number ?? '?',
              back: this.backText(locale, this.hoursFor(conversation)),
            }),
          },
        });
        return;
      }
      if (conversation.phase === 'handover' || conversation.phase === 'queued') {
        await this.deps.outbox.enqueue(tx, {
          kind: 'discord.message',
          key: `${key}:waiting`,
          payload: {
            channelId: conversation.dm_channel_id,
            content: t(locale, 'handover.alreadyWaiting', { caseNumber: conversation.case_number ?? '?' }),
          },
        });
        return;
      }
      if (conversation.phase !== 'bot') return;
      const hoursOpen = this.hoursFor(conversation).isOpen(this.now());
      await this.handover(tx, {
        conversation,
        member,
        source: 'button',
        phase: hoursOpen ? 'handover' : 'after_hours',
        eventKey: key,
      });
      // Outside the hours the request is kept; the waiting room posts it when they open.
      if (!hoursOpen) return;
      await this.deps.outbox.enqueue(tx, {
        kind: 'twilio.message',
        key: `${key}:request`,
        payload: {
          conversationSid: conversation.sid,
          author: discordIdentity(input.user.id),
          body: t(locale, 'handover.request'),
          attributes: { handover: { source: 'button' } satisfies HandoverRequest },
        },
      });
    });
  }

  /**
   * The member asked for a person in words, during a bot turn: `bot` → `queued` at once, or
   * `after_hours` (not routed: the request waits for the hours to open).
   */
  async requestAgentInTurn(
    tx: Tx,
    input: { conversation: ConversationRow; member: MemberRow; eventKey: string },
  ): Promise<{ caseNumber: number; created: boolean; routed: boolean }> {
    const routed = this.hoursFor(input.conversation).isOpen(this.now());
    const result = await this.handover(tx, {
      ...input,
      source: 'text',
      phase: routed ? 'queued' : 'after_hours',
    });
    return { ...result, routed };
  }

  /**
   * The support hours opened on a request kept outside them: `after_hours` → `handover`, the
   * member told, and the request posted into the chat as the member, so the flow sends it to Flex
   * as if they had just asked. Once per chat, whichever bridge instance gets there first.
   */
  async releaseAfterHours(conversationSid: string): Promise<boolean> {
    return this.deps.db.transaction(async (tx) => {
      const conversation = await findConversation(tx, conversationSid, true);
      if (!conversation || conversation.phase !== 'after_hours' || conversation.state === 'closed')
        return false;
      await this.setPhase(tx, conversation.sid, 'handover');
      const caseNumber = conversation.case_number;
      if (caseNumber)
        await this.deps.cases.record(tx, caseNumber, 'routed_at_opening', HOURS_ACTOR, {
          conversationSid: conversation.sid,
        });
      const locale = conversation.locale;
      const key = `after-hours:${conversation.sid}:${caseNumber ?? 'none'}`;
      await this.deps.outbox.enqueue(tx, [
        {
          kind: 'discord.message',
          key: `${key}:opened`,
          payload: {
            channelId: conversation.dm_channel_id,
            content: t(locale, 'hours.opened', { caseNumber: caseNumber ?? '?' }),
          },
        },
        {
          kind: 'twilio.message',
          key: `${key}:request`,
          payload: {
            conversationSid: conversation.sid,
            author: discordIdentity(conversation.discord_user_id),
            body: t(locale, 'handover.request'),
            attributes: { handover: { source: 'after_hours' } satisfies HandoverRequest },
          },
        },
      ]);
      return true;
    });
  }

  /**
   * Where the member stands in Flex's queue: told when it changed since the last notice (position
   * or estimate), at most once per `queueUpdateMs`, and only while the chat is still queued on that
   * task — an agent joining stops the notices.
   */
  async queueStanding(standing: QueueStanding): Promise<'told' | 'unchanged' | 'too_soon' | 'ignored'> {
    const minMs = this.deps.queueUpdateMs ?? 30_000;
    return this.deps.db.transaction(async (tx) => {
      const conversation = await findConversation(tx, standing.conversationSid, true);
      if (!conversation || conversation.phase !== 'queued' || conversation.task_sid !== standing.taskSid)
        return 'ignored';
      if (
        conversation.queue_position === standing.position &&
        conversation.queue_wait_minutes === standing.waitMinutes
      )
        return 'unchanged';
      const now = this.now();
      const last = conversation.queue_notified_at;
      if (last && now.getTime() - new Date(last).getTime() < minMs) return 'too_soon';
      await updateConversation(tx, conversation.sid, {
        queue_position: standing.position,
        queue_wait_minutes: standing.waitMinutes,
        queue_notified_at: now,
      });
      const locale = conversation.locale;
      const vars = { ordinal: ordinal(locale, standing.position), position: standing.position };
      await this.deps.outbox.enqueue(tx, {
        kind: 'discord.message',
        key: `queue:${standing.taskSid}:${now.getTime()}`,
        payload: {
          channelId: conversation.dm_channel_id,
          content:
            standing.waitMinutes === null
              ? t(locale, 'queue.position', vars)
              : t(locale, 'queue.positionWait', { ...vars, minutes: standing.waitMinutes }),
        },
      });
      return 'told';
    });
  }

  /** The flow heard the request posted at handover and sends the chat to Flex: `handover` → `queued`. */
  async routeToAgent(tx: Tx, conversation: ConversationRow): Promise<void> {
    if (conversation.phase !== 'handover') return;
    await this.setPhase(tx, conversation.sid, 'queued');
  }

  /**
   * An agent joined (Conversations participant or TaskRouter reservation, whichever came first):
   * once per agent, the chat is theirs and so is its case ("Dana took the chat"). The reservation
   * also says which Flex task holds the chat.
   */
  agentJoined(input: {
    eventKey: string;
    conversationSid: string;
    identity: string;
    name?: string;
    task?: FlexTaskRef;
  }): Promise<EventOutcome> {
    return this.withConversation(input.eventKey, input.conversationSid, async (tx, conversation) => {
      if (input.task) await this.noteTask(tx, conversation, input.task);
      const agentIdentity = normalizeAgentIdentity(input.identity);
      const name = input.name ?? agentNameFromIdentity(input.identity);
      if (conversation.agent_identity === agentIdentity || conversation.phase === 'ended') return 'ignored';
      await updateConversation(tx, conversation.sid, {
        phase: 'agent',
        agent_identity: agentIdentity,
        agent_name: name,
      });
      if (conversation.case_number)
        await this.deps.cases.takeChat(
          tx,
          conversation.case_number,
          { kind: 'agent', id: agentIdentity, name },
          conversation.sid,
        );
      await this.deps.outbox.enqueue(tx, {
        kind: 'discord.message',
        key: `agent-joined:${conversation.sid}:${agentIdentity}`,
        payload: {
          channelId: conversation.dm_channel_id,
          content: t(conversation.locale, 'agent.joined', { agent: name }),
        },
      });
      return 'handled';
    });
  }

  /** Flex made a task for the chat (TaskRouter `task.created`): remember it, to close it with the chat. */
  taskCreated(input: {
    eventKey: string;
    conversationSid: string;
    task: FlexTaskRef;
  }): Promise<EventOutcome> {
    return this.withConversation(input.eventKey, input.conversationSid, async (tx, conversation) => {
      await this.noteTask(tx, conversation, input.task);
      return 'handled';
    });
  }

  private async noteTask(tx: Tx, conversation: ConversationRow, task: FlexTaskRef): Promise<void> {
    const changes = {
      // A new task (a transfer) starts a new place in line.
      ...(conversation.task_sid !== task.taskSid ? { queue_position: null, queue_wait_minutes: null } : {}),
      workspace_sid: task.workspaceSid,
      task_sid: task.taskSid,
      ...(task.interactionSid ? { interaction_sid: task.interactionSid } : {}),
      ...(task.channelSid ? { interaction_channel_sid: task.channelSid } : {}),
    };
    await updateConversation(tx, conversation.sid, changes);
    Object.assign(conversation, changes);
  }

  /** The chat's agent left the Conversation: back to `queued`, and the member is told. */
  agentLeft(input: {
    eventKey: string;
    conversationSid: string;
    identity: string;
    participantSid: string;
  }): Promise<EventOutcome> {
    return this.withConversation(input.eventKey, input.conversationSid, async (tx, conversation) => {
      if (
        !conversation.agent_identity ||
        conversation.agent_identity !== normalizeAgentIdentity(input.identity)
      )
        return 'ignored';
      if (conversation.phase === 'ended') return 'ignored';
      const agent = conversation.agent_name ?? agentNameFromIdentity(input.identity);
      await updateConversation(tx, conversation.sid, { phase: 'queued', agent_identity: null });
      if (conversation.case_number)
        await this.deps.cases.record(
          tx,
          conversation.case_number,
          'agent_left',
          { kind: 'agent', id: conversation.agent_identity, name: agent },
          { conversationSid: conversation.sid },
        );
      await this.deps.outbox.enqueue(tx, {
        kind: 'discord.message',
        key: `agent-left:${conversation.sid}:${input.participantSid}`,
        payload: {
          channelId: conversation.dm_channel_id,
          content: t(conversation.locale, 'agent.left', { agent }),
        },
      });
      return 'handled';
    });
  }

  /**
   * The Conversation's state changed on Twilio (its timers, an agent closing it, or found so at
   * catch-up): `closed` ends the chat — the case records it and the member is told, once, what
   * the case's state is now. Closed by Twilio's timers, the chat's Flex interaction is closed too,
   * so its task completes instead of staying with the agent. The chat's transcript is kept with the
   * case, and the member is offered the satisfaction survey when an agent took part.
   */
  stateChanged(input: {
    conversationSid: string;
    stateTo: string;
    reason?: string | null;
  }): Promise<EventOutcome> {
    return this.withConversation(
      `twilio:state:${input.conversationSid}:${input.stateTo}`,
      input.conversationSid,
      async (tx, conversation) => {
        if (input.stateTo !== 'closed') {
          await updateConversation(tx, conversation.sid, { state: input.stateTo });
          return 'handled';
        }
        const byTimer = input.reason === 'TIMER';
        await updateConversation(tx, conversation.sid, { state: 'closed', phase: 'ended' });
        const kase = conversation.case_number
          ? await this.deps.cases.find(conversation.case_number, tx)
          : null;
        if (kase)
          await this.deps.cases.record(tx, kase.number, 'conversation_ended', TWILIO_ACTOR, {
            conversationSid: conversation.sid,
            reason: input.reason ?? null,
            ...(byTimer ? { by: 'timer' } : {}),
          });
        const locale = conversation.locale;
        const ended = !kase
          ? t(locale, 'chat.endedNoCase')
          : kase.status === 'resolved'
            ? t(locale, 'chat.endedResolved', { caseNumber: kase.number })
            : kase.status === 'closed'
              ? t(locale, 'chat.endedClosed', { caseNumber: kase.number })
              : t(locale, 'chat.ended', { caseNumber: kase.number });
        await this.deps.outbox.enqueue(tx, [
          {
            kind: 'discord.message',
            key: `chat-ended:${conversation.sid}`,
            payload: {
              channelId: conversation.dm_channel_id,
              content: byTimer ? `${t(locale, 'chat.endedIdle')}\n${ended}` : ended,
            },
          },
          ...(byTimer && conversation.interaction_sid && conversation.interaction_channel_sid
            ? [
                {
                  kind: 'twilio.interaction-close' as const,
                  key: `chat-ended:${conversation.sid}:interaction`,
                  payload: {
                    conversationSid: conversation.sid,
                    interactionSid: conversation.interaction_sid,
                    channelSid: conversation.interaction_channel_sid,
                  },
                },
              ]
            : []),
          // Kept with the case once the chat's other Twilio effects are done.
          {
            kind: 'twilio.transcript-keep',
            key: `transcript:${conversation.sid}`,
            payload: { conversationSid: conversation.sid },
          },
        ]);
        await this.deps.survey?.offer(tx, conversation);
        return 'handled';
      },
    );
  }

  /**
   * The agent's wrap-up of a case's ended chat, from the case panel: the disposition on the case
   * (its status following it) and the chat's Flex task completed with the disposition as its
   * outcome for Flex Insights. The chat must have ended first (End chat wraps the task up).
   */
  async wrapUp(input: {
    caseNumber: number;
    taskSid: string | null;
    disposition: Disposition;
    note: string | null;
    actor: CaseActor;
    /** Supervisors and admins may wrap up someone else's case; agents only theirs and unassigned ones. */
    mayChangeAnyCase?: boolean;
    /** Where the wrap-up came from, for the audit log. */
    source?: AuditSource;
  }): Promise<void> {
    const { db, cases, outbox } = this.deps;
    await db.transaction(async (tx) => {
      if (input.mayChangeAnyCase === false) await cases.assertMayChange(tx, input.caseNumber, input.actor);
      const conversation = input.taskSid
        ? await findConversationOfTask(tx, input.taskSid)
        : await latestConversationOfCase(tx, input.caseNumber);
      if (conversation && conversation.case_number !== input.caseNumber)
        throw new ChatNotOfCaseError(input.caseNumber);
      if (conversation && conversation.phase !== 'ended') throw new ChatStillLiveError(input.caseNumber);
      const taskSid = input.taskSid ?? conversation?.task_sid ?? null;
      await cases.wrapUp(
        tx,
        input.caseNumber,
        {
          disposition: input.disposition.code,
          status: input.disposition.status,
          note: input.note,
          taskSid,
        },
        input.actor,
        input.source,
      );
      if (conversation && taskSid && conversation.workspace_sid)
        await outbox.enqueue(tx, {
          kind: 'twilio.task-complete',
          key: `wrap-up:${taskSid}`,
          payload: {
            conversationSid: conversation.sid,
            workspaceSid: conversation.workspace_sid,
            taskSid,
            reason: `Wrapped up: ${input.disposition.label}`,
            conversations: { outcome: input.disposition.label, case: `#${input.caseNumber}` },
          },
        });
    });
  }

  /**
   * The chat's agent passes it on (a cold transfer, as Flex does it): the chat waits again with no
   * agent (so the first agent leaving is quiet), the case records it, the member is told who is
   * next, and the Interactions invite and the first agent's closing go out through the outbox.
   * The next agent accepting is {@link ChatLifecycle.agentJoined}: "Leo took the chat".
   */
  async transfer(input: {
    caseNumber: number;
    taskSid: string;
    to: { workerSid: string; name?: string } | { queueSid: string; name?: string };
    actor: CaseActor;
    mayChangeAnyCase: boolean;
    /** Where the transfer came from, for the audit log. */
    source?: AuditSource;
  }): Promise<void> {
    const { db, cases, outbox } = this.deps;
    await db.transaction(async (tx) => {
      const conversation = await findConversationOfTask(tx, input.taskSid);
      if (!conversation || conversation.case_number !== input.caseNumber)
        throw new ChatNotOfCaseError(input.caseNumber);
      if (!input.mayChangeAnyCase) await cases.assertMayChange(tx, input.caseNumber, input.actor);
      if (
        conversation.phase !== 'agent' ||
        !conversation.workspace_sid ||
        !conversation.interaction_sid ||
        !conversation.interaction_channel_sid
      )
        throw new ChatNotTransferableError(input.caseNumber);
      const from = conversation.agent_name ?? input.actor.name;
      await updateConversation(tx, conversation.sid, {
        phase: 'queued',
        agent_identity: null,
        agent_name: null,
      });
      const target = input.to.name ?? null;
      await cases.record(
        tx,
        input.caseNumber,
        'transferred',
        input.actor,
        {
          taskSid: input.taskSid,
          to: target,
          ...('workerSid' in input.to ? { workerSid: input.to.workerSid } : { queueSid: input.to.queueSid }),
        },
        'public',
        input.source,
      );
      const locale = conversation.locale;
      await outbox.enqueue(tx, [
        {
          kind: 'discord.message',
          key: `transfer:${input.taskSid}:notice`,
          payload: {
            channelId: conversation.dm_channel_id,
            content: t(locale, 'agent.transferring', {
              agent: from,
              target:
                target && 'workerSid' in input.to ? `**${target}**` : t(locale, 'agent.transferTargetQueue'),
            }),
          },
        },
        {
          kind: 'twilio.interaction-transfer',
          key: `transfer:${input.taskSid}`,
          payload: {
            conversationSid: conversation.sid,
            workspaceSid: conversation.workspace_sid,
            interactionSid: conversation.interaction_sid,
            channelSid: conversation.interaction_channel_sid,
            taskSid: input.taskSid,
            ...('workerSid' in input.to
              ? { workerSid: input.to.workerSid }
              : { queueSid: input.to.queueSid }),
          },
        },
      ]);
    });
  }

  /** Throws {@link UnknownConversationError} for a chat the bridge never had. */
  async ensureKnown(conversationSid: string): Promise<void> {
    if (!(await findConversation(this.deps.db, conversationSid)))
      throw new UnknownConversationError(conversationSid);
  }

  private setPhase(tx: Tx, sid: string, phase: ConversationPhase): Promise<void> {
    return updateConversation(tx, sid, { phase });
  }

  private async withConversation(
    key: string,
    conversationSid: string,
    work: (tx: Tx, conversation: ConversationRow) => Promise<EventOutcome>,
  ): Promise<EventOutcome> {
    return this.deps.db.transaction(async (tx) => {
      const conversation = await findConversation(tx, conversationSid, true);
      if (!conversation) throw new UnknownConversationError(conversationSid);
      if (!(await claimEvent(tx, key))) return 'duplicate';
      return work(tx, conversation);
    });
  }

  /**
   * The member asked for a person: open a support case (or reuse their open one), link this chat
   * to it, record the request on the timeline and tell the member.
   */
  private async handover(
    tx: Tx,
    input: {
      conversation: ConversationRow;
      member: MemberRow;
      source: 'button' | 'text';
      /** `handover` until the flow hears the request, `queued` once sent to Flex, `after_hours` kept. */
      phase: 'handover' | 'queued' | 'after_hours';
      eventKey: string;
    },
  ): Promise<{ caseNumber: number; created: boolean }> {
    const { conversation, member } = input;
    const { cases, outbox } = this.deps;
    const actor: CaseActor = { kind: 'member', id: member.discord_user_id, name: member.display_name };
    const existing = conversation.case_number
      ? { number: conversation.case_number }
      : await cases.findOpenSupportCase(tx, member.discord_user_id);
    let caseNumber: number;
    let created = false;
    if (existing) {
      caseNumber = existing.number;
    } else {
      const subject = conversation.topic?.trim() || `Live chat with ${member.display_name}`;
      caseNumber = await cases.open(tx, {
        type: 'support',
        memberId: member.discord_user_id,
        subject,
        details: {
          kind: 'support',
          ...(conversation.topic ? { topic: conversation.topic } : {}),
          ...(conversation.help_topic ? { helpTopic: conversation.help_topic } : {}),
        },
        priority: 'normal',
        actor,
        createdData: { conversationSid: conversation.sid, via: 'handover' },
      });
      created = true;
    }
    await updateConversation(tx, conversation.sid, { case_number: caseNumber, phase: input.phase });
    await cases.record(tx, caseNumber, 'handover_requested', actor, {
      conversationSid: conversation.sid,
      source: input.source,
    });
    const locale = conversation.locale ?? member.locale;
    const afterHours = input.phase === 'after_hours';
    if (afterHours)
      await cases.record(tx, caseNumber, 'waiting_for_hours', HOURS_ACTOR, {
        conversationSid: conversation.sid,
        opensAt: this.hoursFor(conversation).nextOpening(this.now())?.toISOString() ?? null,
      });
    await outbox.enqueue(tx, [
      {
        kind: 'discord.message',
        key: `${input.eventKey}:handover-notice`,
        payload: {
          channelId: conversation.dm_channel_id,
          content: afterHours
            ? t(locale, created ? 'hours.closedCreated' : 'hours.closedReused', {
                caseNumber,
                back: this.backText(locale, this.hoursFor(conversation)),
              })
            : t(locale, created ? 'handover.created' : 'handover.reused', { caseNumber }),
        },
      },
      {
        kind: 'twilio.conversation-attributes',
        key: `${input.eventKey}:attributes`,
        payload: { conversationSid: conversation.sid },
      },
    ]);
    return { caseNumber, created };
  }
}
