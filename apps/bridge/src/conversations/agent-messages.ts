import { discordUserIdOf } from '@flexcord/contracts';
import {
  applyConversationMessage,
  type ConversationRow,
  findConversation,
  listOpenConversations,
} from '../db/conversations-repository.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { discordMessageItems, type MediaRef } from '../outbox/outbox-kinds.ts';
import { insertItemsCte } from '../outbox/outbox-repository.ts';
import { KeyedQueue } from '../util/keyed-queue.ts';
import { RecentMap } from '../util/recent-map.ts';
import {
  BOT_AUTHOR,
  type ChatChannel,
  type ChatMessage,
  ConversationGoneError,
  UnknownConversationError,
} from './chat-channel.ts';
import type { ChatLifecycle, EventOutcome } from './chat-lifecycle.ts';
import { agentMessageKey } from './message-edits.ts';

/**
 * What agents write in a chat's Conversation, relayed to the member's DM strictly in `Index`
 * order, one conversation at a time: a message that arrives after a gap (a webhook lost or late)
 * first has the gap filled from the platform, one already handled is a duplicate. After downtime,
 * {@link AgentMessages.catchUp} relays what was missed and the closings Twilio no longer retries.
 */
export class AgentMessages {
  private readonly queue = new KeyedQueue();
  /** Each chat's DM channel (it never changes), so the next message in order needs no read first. */
  private readonly dmChannels = new RecentMap<string, string>();

  constructor(
    private readonly deps: {
      db: Database;
      outbox: Outbox;
      channel: ChatChannel;
      lifecycle: ChatLifecycle;
      logger: Logger;
    },
  ) {}

  /**
   * One agent message from a webhook. If it cannot be handled now (the database is away longer
   * than the webhook waits), the Conversation is read again later until it is, since Twilio may
   * not retry the webhook: a failed webhook never leaves a message behind.
   */
  async handle(conversationSid: string, message: ChatMessage): Promise<EventOutcome> {
    try {
      return await this.handleNow(conversationSid, message);
    } catch (error) {
      if (!(error instanceof UnknownConversationError)) this.scheduleResync(conversationSid);
      throw error;
    }
  }

  private handleNow(conversationSid: string, message: ChatMessage): Promise<EventOutcome> {
    return this.queue.run(conversationSid, async () => {
      const dmChannelId = this.dmChannels.get(conversationSid);
      if (dmChannelId) {
        // The usual case, the message right after the last one handled: one statement.
        const chat = { sid: conversationSid, dm_channel_id: dmChannelId };
        const outcome = await this.apply(chat, message, 'next');
        if (outcome !== 'duplicate') return outcome;
      }
      const conversation = await findConversation(this.deps.db, conversationSid);
      if (!conversation) throw new UnknownConversationError(conversationSid);
      this.dmChannels.remember(conversation.sid, conversation.dm_channel_id);
      if (message.index <= conversation.last_message_index) return 'duplicate';
      if (message.index > conversation.last_message_index + 1) {
        await this.sync(conversation, conversation.last_message_index, message.index);
      }
      return this.apply(conversation, message, 'after');
    });
  }

  /** Runs `work` in the conversation's order (after the messages handled before it), e.g. an edit of one of them. */
  inOrder<T>(conversationSid: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(conversationSid, work);
  }

  /** Relays the messages after `afterIndex` (and before `beforeIndex`) that the platform has and the bridge missed. */
  private async sync(
    conversation: ConversationRow,
    afterIndex: number,
    beforeIndex = Number.POSITIVE_INFINITY,
  ) {
    let relayed = 0;
    const missed = await this.deps.channel.messagesAfter(conversation.sid, afterIndex);
    for (const message of missed.filter((candidate) => candidate.index < beforeIndex)) {
      if ((await this.apply(conversation, message, 'after')) === 'handled') relayed += 1;
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
  private async apply(
    conversation: Pick<ConversationRow, 'sid' | 'dm_channel_id'>,
    message: ChatMessage,
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
    const key = agentMessageKey(message.sid);
    const items =
      echo || (!message.body.trim() && !media.length)
        ? []
        : discordMessageItems(key, {
            channelId: conversation.dm_channel_id,
            ...(message.body.trim() ? { content: message.body } : {}),
            media,
          });
    const result = await applyConversationMessage(
      echo ? this.deps.db.relaxed : this.deps.db,
      {
        conversationSid: conversation.sid,
        index: message.index,
        eventKey: key,
        echo,
        itemsJson: JSON.stringify(items),
      },
      order,
      insertItemsCte('$5', 'claimed'),
    );
    if (!result.advanced) return 'duplicate';
    if (!result.queued) return 'ignored';
    this.deps.outbox.notify(items[0]?.stream);
    return 'handled';
  }

  /**
   * After downtime: relays agent messages and chat closings whose webhooks were lost while the
   * bridge was away (Twilio retries a webhook only briefly). Each conversation's catch-up runs in
   * its queue, so webhooks arriving meanwhile wait and keep the order.
   */
  async catchUp(): Promise<number> {
    let relayed = 0;
    for (const conversation of await listOpenConversations(this.deps.db)) {
      relayed += await this.queue.run(conversation.sid, () => this.catchUpConversation(conversation));
    }
    return relayed;
  }

  /** Relays what the Conversation has and the bridge missed, and its closing; logs a failure. */
  private async catchUpConversation(conversation: ConversationRow, rethrow = false): Promise<number> {
    let count = 0;
    const close = async (reason: string) => {
      const outcome = await this.deps.lifecycle.stateChanged({
        conversationSid: conversation.sid,
        stateTo: 'closed',
        reason,
      });
      if (outcome === 'handled') count += 1;
    };
    try {
      count += await this.sync(conversation, conversation.last_message_index);
      if ((await this.deps.channel.conversationState(conversation.sid)) === 'closed')
        await close('caught up after downtime');
    } catch (error) {
      if (error instanceof ConversationGoneError) {
        // Deleted on Twilio (retention, a reset account): the chat is over; the next one starts fresh.
        await close('conversation no longer exists');
      } else {
        this.deps.logger.warn(
          { err: error, conversationSid: conversation.sid },
          'catch-up of a conversation failed',
        );
        if (rethrow) throw error;
      }
    }
    return count;
  }

  /** Conversations to read again (a webhook failed), with their attempt count. */
  private readonly resyncs = new Map<string, number>();

  private scheduleResync(conversationSid: string): void {
    if (this.resyncs.has(conversationSid)) return;
    this.resyncs.set(conversationSid, 0);
    const attempt = () => {
      const attempts = (this.resyncs.get(conversationSid) ?? 0) + 1;
      this.resyncs.set(conversationSid, attempts);
      const timer = setTimeout(
        () => {
          void this.queue
            .run(conversationSid, async () => {
              const conversation = await findConversation(this.deps.db, conversationSid);
              if (conversation && conversation.state !== 'closed')
                await this.catchUpConversation(conversation, true);
            })
            .then(
              () => this.resyncs.delete(conversationSid),
              () => attempt(),
            );
        },
        Math.min(30_000, 1_000 * 2 ** (attempts - 1)),
      );
      timer.unref();
    };
    attempt();
  }
}
