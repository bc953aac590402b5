import { discordUserIdOf } from '@flexcord/contracts';
import type { AgentLine } from '../../infrastructure/db/chat-lines-repository.ts';
import {
  applyConversationMessage,
  type ConversationRow,
  findConversation,
  listOpenConversations,
} from '../../infrastructure/db/conversations-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import type { OutboxRequest } from '../../infrastructure/outbox/kind-registry.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { KeyedQueue } from '../../infrastructure/util/keyed-queue.ts';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';
import { t } from '../i18n/messages.ts';
import { agentNameFromIdentity, normalizeAgentIdentity } from './agent-identity.ts';
import {
  BOT_AUTHOR,
  type ChatChannel,
  type ChatMessage,
  ConversationGoneError,
  UnknownConversationError,
} from './chat-channel.ts';
import type { ChatLifecycle, EventOutcome } from './chat-lifecycle.ts';
import type { MediaRef } from './media-ref.ts';
import { agentMessageKey } from './message-edits.ts';

/** Discord's upload limit for a bot's message outside boosted servers (a DM): 10 MiB. */
export const DISCORD_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** The author line on agent messages in Discord: a format with `{agent}` and `{brand}`. */
export interface AgentAuthorLine {
  format: string;
  /** The brand's name for a chat started in this guild (BRAND_NAME, else the server's name). */
  brand(guildId: string | null): string;
}

/** What relaying the next message of a chat needs: its DM channel, the member's language, the agent on it. */
interface RelayFacts {
  sid: string;
  dmChannelId: string;
  guildId: string | null;
  locale: string | null;
  agentIdentity: string | null;
  agentName: string | null;
}

function relayFacts(row: ConversationRow): RelayFacts {
  return {
    sid: row.sid,
    dmChannelId: row.dm_channel_id,
    guildId: row.guild_id,
    locale: row.locale,
    agentIdentity: row.agent_identity,
    agentName: row.agent_name,
  };
}

function isEcho(message: ChatMessage): boolean {
  return Boolean(
    discordUserIdOf(message.author) || message.author === BOT_AUTHOR || 'flexcord' in message.attributes,
  );
}

/** An agent's message as the chat keeps it (see `chat_lines`). */
function agentLine(message: ChatMessage): AgentLine {
  return {
    author: message.author,
    body: message.body,
    files: message.media.map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      mediaSid: file.sid,
    })),
    attributes: message.attributes,
    at: message.dateCreated.toISOString(),
  };
}

/** Megabytes with one decimal, rounded up (a file just over the limit never reads as the limit). */
function formatMegabytes(bytes: number): string {
  return `${(Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1).replace(/\.0$/, '')} MB`;
}

/**
 * What agents write in a chat's Conversation, relayed to the member's DM strictly in `Index`
 * order, one conversation at a time: a message that arrives after a gap (a webhook lost or late)
 * first has the gap filled from the platform, one already handled is a duplicate. After downtime,
 * {@link AgentMessages.catchUp} relays what was missed and the closings Twilio no longer retries.
 */
export class AgentMessages {
  private readonly queue = new KeyedQueue();
  /**
   * What relaying a chat's next message needs (its DM channel never changes; the agent is the one
   * who joined last), so the next message in order needs no read first.
   */
  private readonly chats = new RecentMap<string, RelayFacts>();

  constructor(
    private readonly deps: {
      db: Database;
      outbox: Outbox;
      channel: ChatChannel;
      lifecycle: ChatLifecycle;
      logger: Logger;
      /** The author line on agent messages (`{agent}`, `{brand}`); unset → none. */
      agentAuthor?: AgentAuthorLine | undefined;
      /** Discord's upload limit for the bot's messages (10 MiB without boosts). */
      discordUploadLimitBytes?: number | undefined;
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
      const known = this.chats.get(conversationSid);
      // The usual case, the message right after the last one handled, by the agent known to be on
      // the chat (or not an agent's): one statement. Another agent's first message reads the chat.
      if (known && (isEcho(message) || normalizeAgentIdentity(message.author) === known.agentIdentity)) {
        const outcome = await this.apply(known, message, 'next');
        if (outcome !== 'duplicate') return outcome;
      }
      const conversation = await findConversation(this.deps.db, conversationSid);
      if (!conversation) throw new UnknownConversationError(conversationSid);
      this.chats.remember(conversation.sid, relayFacts(conversation));
      if (message.index <= conversation.last_message_index) return 'duplicate';
      if (message.index > conversation.last_message_index + 1) {
        await this.sync(conversation, conversation.last_message_index, message.index);
      }
      return this.apply(relayFacts(conversation), message, 'after');
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
      if ((await this.apply(relayFacts(conversation), message, 'after')) === 'handled') relayed += 1;
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
    conversation: RelayFacts,
    message: ChatMessage,
    order: 'next' | 'after',
  ): Promise<EventOutcome> {
    const echo = isEcho(message);
    const key = agentMessageKey(message.sid);
    const items = echo ? [] : this.deps.outbox.items(this.agentMessageRequests(key, conversation, message));
    const result = await applyConversationMessage(
      echo ? this.deps.db.relaxed : this.deps.db,
      {
        conversationSid: conversation.sid,
        index: message.index,
        eventKey: key,
        echo,
        items,
        line: echo ? null : agentLine(message),
      },
      order,
    );
    if (!result.advanced) return 'duplicate';
    if (!result.queued) return 'ignored';
    this.deps.outbox.notify(items);
    return 'handled';
  }

  /** An agent's edited text as the member reads it: with the same author line as the original. */
  async editedText(conversationSid: string, author: string, body: string): Promise<string> {
    const line = this.deps.agentAuthor;
    if (!line || !body.trim()) return body;
    const chat = this.chats.get(conversationSid) ?? (await this.readChat(conversationSid));
    return chat ? [this.authorLine(chat, this.agentName(chat, author)), body].join('\n') : body;
  }

  private async readChat(conversationSid: string): Promise<RelayFacts | null> {
    const conversation = await findConversation(this.deps.db, conversationSid);
    return conversation ? relayFacts(conversation) : null;
  }

  /** The agent as the member reads them: the name from `reservation.accepted`, else one made from the identity. */
  agentName(chat: Pick<RelayFacts, 'agentIdentity' | 'agentName'>, author: string): string {
    return chat.agentIdentity && normalizeAgentIdentity(author) === chat.agentIdentity && chat.agentName
      ? chat.agentName
      : agentNameFromIdentity(author);
  }

  /** The author line above an agent's text ("-# Dana · Starfall Support"), or nothing when it is off. */
  authorLine(chat: Pick<RelayFacts, 'guildId'>, agent: string): string {
    const line = this.deps.agentAuthor;
    if (!line) return '';
    return line.format.replace(/\{agent\}/g, agent).replace(/\{brand\}/g, line.brand(chat.guildId));
  }

  /**
   * An agent's message as Discord items: the author line above the text, each file as an
   * attachment — except a file over Discord's upload limit, which the member is told about and the
   * agent is told was not delivered (never dropped silently).
   */
  private agentMessageRequests(key: string, chat: RelayFacts, message: ChatMessage): OutboxRequest[] {
    const limit = this.deps.discordUploadLimitBytes ?? DISCORD_UPLOAD_LIMIT_BYTES;
    const tooLarge = message.media.filter((item) => item.size > limit);
    const media: MediaRef[] = message.media
      .filter((item) => item.size <= limit)
      .map((item) => ({
        source: 'twilio',
        mediaSid: item.sid,
        filename: item.filename,
        contentType: item.contentType,
      }));
    const agent = this.agentName(chat, message.author);
    const body = message.body.trim() ? message.body : '';
    const limitMb = formatMegabytes(limit);
    const refused = tooLarge.map((item) =>
      t(chat.locale, 'media.tooLargeForDiscord', {
        agent,
        filename: item.filename,
        size: formatMegabytes(item.size),
        limit: limitMb,
      }),
    );
    if (!body && !media.length && !refused.length) return [];
    const content = [this.authorLine(chat, agent), body, ...refused].filter(Boolean).join('\n');
    return [
      { kind: 'discord.message', key, payload: { channelId: chat.dmChannelId, content, media } },
      ...tooLarge.map(
        (item): OutboxRequest => ({
          kind: 'twilio.message',
          key: `${key}:too-large:${item.sid}`,
          payload: {
            conversationSid: chat.sid,
            author: BOT_AUTHOR,
            body: t(null, 'media.notDeliveredToDiscord', {
              filename: item.filename,
              size: formatMegabytes(item.size),
              limit: limitMb,
            }),
            attributes: { flexcord: { notice: 'media-too-large', mediaSid: item.sid } },
          },
        }),
      ),
    ];
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
        // An expected state, said in one line (its messages are kept: `chat_lines`).
        this.deps.logger.info(
          { conversationSid: conversation.sid, caseNumber: conversation.case_number },
          'chat ended at catch-up: Twilio no longer has its Conversation',
        );
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
