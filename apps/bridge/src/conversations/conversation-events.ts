import {
  type ConversationsWebhook,
  discordUserIdOf,
  type OnConversationStateUpdated,
  type OnMessageAdded,
  type OnParticipantAdded,
  type OnParticipantRemoved,
  type TaskRouterEvent,
} from '@flexcord/contracts';
import { BOT_AUTHOR, UnknownConversationError } from '../bot/bot-service.ts';
import { insertCaseEvent } from '../db/cases-repository.ts';
import {
  type ConversationRow,
  findConversation,
  listOpenConversations,
  updateConversation,
} from '../db/conversations-repository.ts';
import type { Database, Sql } from '../db/database.ts';
import { claimEvent } from '../db/processed-events.ts';
import { t } from '../i18n/messages.ts';
import type { Logger } from '../logger.ts';
import { discordMessageItems, type MediaRef } from '../outbox/outbox-kinds.ts';
import { enqueue, insertItemsCte } from '../outbox/outbox-repository.ts';
import type { RecentMessage, TwilioConversations } from '../twilio/twilio-conversations.ts';
import { isTwilioRestError } from '../twilio/twilio-errors.ts';
import { KeyedQueue } from '../util/keyed-queue.ts';
import { RecentMap } from '../util/recent-map.ts';
import { agentNameFromIdentity, normalizeAgentIdentity } from './agent-identity.ts';

export type EventOutcome = 'handled' | 'ignored' | 'duplicate';

/**
 * What Twilio tells the bridge about a chat — agent messages, agents joining and leaving, the chat
 * closing — turned into Discord messages (through the outbox) and case timeline entries. Each
 * event is claimed by a stable key, so Twilio's retries and the two "agent joined" signals
 * (Conversations and TaskRouter) change things once.
 */
export class ConversationEvents {
  private readonly queue = new KeyedQueue();
  private readonly twilio: TwilioConversations | null;
  /** Each chat's DM channel (it never changes), so the next message in order needs no read first. */
  private readonly dmChannels = new RecentMap<string, string>();

  constructor(
    private readonly deps: {
      db: Database;
      logger: Logger;
      kick(stream?: string): void;
      twilio?: TwilioConversations;
    },
  ) {
    this.twilio = deps.twilio ?? null;
  }

  async handleWebhook(event: ConversationsWebhook): Promise<EventOutcome> {
    const outcome = await this.dispatch(event);
    // A relayed message kicks the worker itself, naming its stream.
    if (outcome === 'handled' && event.EventType !== 'onMessageAdded') this.deps.kick();
    return outcome;
  }

  private dispatch(event: ConversationsWebhook): Promise<EventOutcome> {
    switch (event.EventType) {
      case 'onMessageAdded':
        return this.onMessageAdded(event);
      case 'onParticipantAdded':
        return this.onParticipantAdded(event);
      case 'onParticipantRemoved':
        return this.onParticipantRemoved(event);
      case 'onConversationStateUpdated':
        return this.onStateUpdated(event);
    }
  }

  private async withConversation(
    key: string,
    conversationSid: string,
    work: (tx: Sql, conversation: ConversationRow) => Promise<EventOutcome>,
  ): Promise<EventOutcome> {
    return this.deps.db.transaction(async (tx) => {
      const conversation = await findConversation(tx, conversationSid, true);
      if (!conversation) throw new UnknownConversationError(conversationSid);
      if (!(await claimEvent(tx, key))) return 'duplicate';
      return work(tx, conversation);
    });
  }

  private onMessageAdded(event: OnMessageAdded): Promise<EventOutcome> {
    return this.handleMessage(event.ConversationSid, {
      sid: event.MessageSid,
      index: event.Index,
      author: event.Author,
      body: event.Body,
      attributes: event.Attributes,
      media: (event.Media ?? []).map((item) => ({
        sid: item.Sid,
        contentType: item.ContentType,
        filename: item.Filename ?? item.Sid,
      })),
    });
  }

  /**
   * Handles the conversation's messages strictly in `Index` order, one conversation at a time: a
   * message that arrives after a gap (a webhook lost or late) first has the gap filled from Twilio,
   * and one already handled is a duplicate.
   */
  private handleMessage(conversationSid: string, message: RecentMessage): Promise<EventOutcome> {
    return this.queue.run(conversationSid, async () => {
      const dmChannelId = this.dmChannels.get(conversationSid);
      if (dmChannelId) {
        // The usual case, the message right after the last one handled: one statement.
        const chat = { sid: conversationSid, dm_channel_id: dmChannelId };
        const outcome = await this.applyMessage(chat, message, 'next');
        if (outcome !== 'duplicate') return outcome;
      }
      const conversation = await findConversation(this.deps.db, conversationSid);
      if (!conversation) throw new UnknownConversationError(conversationSid);
      this.dmChannels.remember(conversation.sid, conversation.dm_channel_id);
      if (message.index <= conversation.last_message_index) return 'duplicate';
      if (message.index > conversation.last_message_index + 1 && this.twilio) {
        await this.syncMessages(conversation, conversation.last_message_index, message.index);
      }
      return this.applyMessage(conversation, message, 'after');
    });
  }

  /** Relays the messages after `afterIndex` (and before `beforeIndex`) that Twilio has and the bridge missed. */
  private async syncMessages(
    conversation: ConversationRow,
    afterIndex: number,
    beforeIndex = Number.POSITIVE_INFINITY,
  ) {
    let relayed = 0;
    const missed = await this.twilio!.messagesAfter(conversation.sid, afterIndex);
    for (const message of missed.filter((candidate) => candidate.index < beforeIndex)) {
      if ((await this.applyMessage(conversation, message, 'after')) === 'handled') relayed += 1;
    }
    return relayed;
  }

  /**
   * One message, in one statement: advances the chat's last handled index and, for an agent's
   * message, claims its MessageSid and enqueues it for the member. The member's own messages and
   * the bridge's are not echoed back; advancing past one of those is redone after a crash (the
   * catch-up reads it again), so its commit is not waited for. With `next`, only the message right
   * after the last one handled is applied ('duplicate' otherwise: the caller looks closer).
   */
  private async applyMessage(
    conversation: Pick<ConversationRow, 'sid' | 'dm_channel_id'>,
    message: RecentMessage,
    order: 'next' | 'after',
  ): Promise<EventOutcome> {
    const echo = Boolean(
      discordUserIdOf(message.author) || message.author === BOT_AUTHOR || 'flexcord' in message.attributes,
    );
    const media: MediaRef[] = message.media.map((item) => ({
      source: 'twilio',
      mediaSid: item.sid,
      filename: item.filename,
      contentType: item.contentType,
    }));
    const key = `twilio:message:${message.sid}`;
    const items =
      echo || (!message.body.trim() && !media.length)
        ? []
        : discordMessageItems(key, {
            channelId: conversation.dm_channel_id,
            ...(message.body.trim() ? { content: message.body } : {}),
            media,
          });
    const sql = echo ? this.deps.db.relaxed : this.deps.db;
    const { rows } = await sql.query<{ advanced: boolean; queued: boolean }>(
      `WITH advanced AS (
         UPDATE conversations SET last_message_index = $2
         WHERE sid = $1 AND ${order === 'next' ? 'last_message_index = $2 - 1' : 'last_message_index < $2'}
         RETURNING sid
       ), claimed AS (
         INSERT INTO processed_events (key) SELECT $3 FROM advanced WHERE NOT $4::boolean
         ON CONFLICT (key) DO NOTHING RETURNING key
       ), queued AS (
         ${insertItemsCte('$5', 'claimed')}
       )
       SELECT EXISTS (SELECT 1 FROM advanced) AS advanced, EXISTS (SELECT 1 FROM queued) AS queued`,
      [conversation.sid, message.index, key, echo, JSON.stringify(items)],
    );
    if (!rows[0]?.advanced) return 'duplicate';
    if (!rows[0].queued) return 'ignored';
    this.deps.kick(items[0]?.stream);
    return 'handled';
  }

  /**
   * After downtime: relays agent messages and chat closings whose webhooks were lost while the
   * bridge was away (Twilio retries a webhook only briefly). Each conversation's catch-up runs in
   * its queue, so webhooks arriving meanwhile wait and keep the order.
   */
  async catchUp(): Promise<number> {
    if (!this.twilio) return 0;
    let relayed = 0;
    for (const conversation of await listOpenConversations(this.deps.db)) {
      relayed += await this.queue.run(conversation.sid, async () => {
        let count = 0;
        const close = async (reason: string) => {
          const outcome = await this.onStateUpdated({
            EventType: 'onConversationStateUpdated',
            ConversationSid: conversation.sid,
            StateFrom: conversation.state === 'inactive' ? 'inactive' : 'active',
            StateTo: 'closed',
            Reason: reason,
          });
          if (outcome === 'handled') count += 1;
        };
        try {
          count += await this.syncMessages(conversation, conversation.last_message_index);
          if ((await this.twilio!.conversationState(conversation.sid)) === 'closed')
            await close('caught up after downtime');
        } catch (error) {
          if (isTwilioRestError(error) && error.status === 404) {
            // Deleted on Twilio (retention, a reset account): the chat is over; the next one starts fresh.
            await close('conversation no longer exists');
          } else {
            this.deps.logger.warn(
              { err: error, conversationSid: conversation.sid },
              'catch-up of a conversation failed',
            );
          }
        }
        return count;
      });
    }
    if (relayed) this.deps.kick();
    return relayed;
  }

  private async onParticipantAdded(event: OnParticipantAdded): Promise<EventOutcome> {
    const identity = event.Identity;
    if (!identity || discordUserIdOf(identity)) return this.ensureKnown(event.ConversationSid);
    return this.withConversation(
      `twilio:participant-added:${event.ParticipantSid}`,
      event.ConversationSid,
      (tx, conversation) => this.agentJoined(tx, conversation, identity, agentNameFromIdentity(identity)),
    );
  }

  private async onParticipantRemoved(event: OnParticipantRemoved): Promise<EventOutcome> {
    const identity = event.Identity;
    if (!identity || discordUserIdOf(identity)) return this.ensureKnown(event.ConversationSid);
    return this.withConversation(
      `twilio:participant-removed:${event.ParticipantSid}`,
      event.ConversationSid,
      async (tx, conversation) => {
        if (!conversation.agent_identity || conversation.agent_identity !== normalizeAgentIdentity(identity))
          return 'ignored';
        if (conversation.phase === 'ended') return 'ignored';
        const agent = conversation.agent_name ?? agentNameFromIdentity(identity);
        await updateConversation(tx, conversation.sid, { phase: 'queued', agent_identity: null });
        if (conversation.case_number) {
          await insertCaseEvent(tx, {
            caseNumber: conversation.case_number,
            type: 'agent_left',
            actor: { kind: 'agent', id: conversation.agent_identity, name: agent },
            data: { conversationSid: conversation.sid },
          });
        }
        await enqueue(
          tx,
          discordMessageItems(`agent-left:${conversation.sid}:${event.ParticipantSid}`, {
            channelId: conversation.dm_channel_id,
            content: t(conversation.locale, 'agent.left', { agent }),
          }),
        );
        return 'handled';
      },
    );
  }

  private async onStateUpdated(
    event: Pick<
      OnConversationStateUpdated,
      'ConversationSid' | 'StateFrom' | 'StateTo' | 'Reason' | 'EventType'
    >,
  ): Promise<EventOutcome> {
    return this.withConversation(
      `twilio:state:${event.ConversationSid}:${event.StateTo}`,
      event.ConversationSid,
      async (tx, conversation) => {
        if (event.StateTo !== 'closed') {
          await updateConversation(tx, conversation.sid, { state: event.StateTo });
          return 'handled';
        }
        await updateConversation(tx, conversation.sid, { state: 'closed', phase: 'ended' });
        if (conversation.case_number) {
          await insertCaseEvent(tx, {
            caseNumber: conversation.case_number,
            type: 'conversation_ended',
            actor: { kind: 'system', id: 'twilio', name: 'Twilio' },
            data: { conversationSid: conversation.sid, reason: event.Reason ?? null },
          });
        }
        await enqueue(
          tx,
          discordMessageItems(`chat-ended:${conversation.sid}`, {
            channelId: conversation.dm_channel_id,
            content: conversation.case_number
              ? t(conversation.locale, 'chat.ended', { caseNumber: conversation.case_number })
              : t(conversation.locale, 'chat.endedNoCase'),
          }),
        );
        return 'handled';
      },
    );
  }

  /**
   * TaskRouter's workspace events: `reservation.accepted` is the dependable "agent joined" signal
   * (Flex adds the agent to the Conversation itself).
   */
  async handleTaskRouterEvent(event: TaskRouterEvent): Promise<EventOutcome> {
    if (event.EventType !== 'reservation.accepted') return 'ignored';
    const conversationSid = event.TaskAttributes?.conversationSid;
    if (typeof conversationSid !== 'string' || event.TaskAttributes?.channelType !== 'discord')
      return 'ignored';
    const contactUri = event.WorkerAttributes?.contact_uri;
    const identity = typeof contactUri === 'string' ? contactUri : (event.WorkerName ?? 'agent');
    const fullName = event.WorkerAttributes?.full_name;
    const name =
      typeof fullName === 'string' && fullName
        ? fullName
        : (event.WorkerName ?? agentNameFromIdentity(identity));
    const outcome = await this.withConversation(
      `taskrouter:${event.Sid ?? `${event.ReservationSid}:${event.EventType}`}`,
      conversationSid,
      (tx, conversation) => this.agentJoined(tx, conversation, identity, name),
    );
    if (outcome === 'handled') this.deps.kick();
    return outcome;
  }

  /** Records the agent on the chat and tells the member — once per agent, whichever signal came first. */
  private async agentJoined(
    tx: Sql,
    conversation: ConversationRow,
    identity: string,
    name: string,
  ): Promise<EventOutcome> {
    const agentIdentity = normalizeAgentIdentity(identity);
    if (conversation.agent_identity === agentIdentity || conversation.phase === 'ended') return 'ignored';
    await updateConversation(tx, conversation.sid, {
      phase: 'agent',
      agent_identity: agentIdentity,
      agent_name: name,
    });
    if (conversation.case_number) {
      await insertCaseEvent(tx, {
        caseNumber: conversation.case_number,
        type: 'agent_joined',
        actor: { kind: 'agent', id: agentIdentity, name },
        data: { conversationSid: conversation.sid },
      });
    }
    await enqueue(
      tx,
      discordMessageItems(`agent-joined:${conversation.sid}:${agentIdentity}`, {
        channelId: conversation.dm_channel_id,
        content: t(conversation.locale, 'agent.joined', { agent: name }),
      }),
    );
    return 'handled';
  }

  private async ensureKnown(conversationSid: string): Promise<EventOutcome> {
    if (!(await findConversation(this.deps.db, conversationSid)))
      throw new UnknownConversationError(conversationSid);
    return 'ignored';
  }
}
