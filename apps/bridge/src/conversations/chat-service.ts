import { type CaseActor, type DiscordUser, discordIdentity } from '@flexcord/contracts';
import { findOpenSupportCase, insertCaseEvent } from '../db/cases-repository.ts';
import {
  type ConversationRow,
  countConversations,
  findConversation,
  findOpenConversation,
  insertConversation,
  updateConversation,
} from '../db/conversations-repository.ts';
import type { Database, Sql } from '../db/database.ts';
import { upsertMember } from '../db/members-repository.ts';
import { isUniqueViolation } from '../db/rows.ts';
import type { Logger } from '../logger.ts';
import { type MediaRef, twilioMessageItems, twilioStream } from '../outbox/outbox-kinds.ts';
import { insertItemsCte, type NewOutboxItem } from '../outbox/outbox-repository.ts';
import { conversationAttributes } from '../twilio/deliver-twilio.ts';
import type { TwilioConversations } from '../twilio/twilio-conversations.ts';
import { KeyedQueue } from '../util/keyed-queue.ts';
import { RecentMap } from '../util/recent-map.ts';

/** A member's DM message as the gateway delivers it. */
export interface MemberMessage {
  id: string;
  channelId: string;
  author: DiscordUser;
  content: string;
  attachments: { url: string; filename: string; contentType: string }[];
}

export interface ChatServiceDeps {
  db: Database;
  twilio: TwilioConversations;
  logger: Logger;
  /** Wakes the outbox worker after a commit that enqueued something (in `stream`, when known). */
  kick(stream?: string): void;
}

export const memberActor = (user: DiscordUser): CaseActor => ({
  kind: 'member',
  id: user.id,
  name: user.displayName,
});

/**
 * A member's chats: opening (or reusing) the Twilio Conversation behind their DM, and relaying
 * what they write into it. One member's events run one at a time, in order.
 */
export class ChatService {
  readonly queue = new KeyedQueue();
  /** Each member's open chat as last seen; every relay checks it is still open. */
  private readonly openChats = new RecentMap<string, string>();

  constructor(private readonly deps: ChatServiceDeps) {}

  /**
   * The member's open chat, or a new one: a Conversation with the member as participant and both
   * webhooks, linked to the member's open support case if they have one.
   */
  async ensureChat(input: {
    user: DiscordUser;
    dmChannelId: string;
    guildId: string | null;
    locale: string | null;
    topic?: string | null;
  }): Promise<{ conversation: ConversationRow; created: boolean }> {
    const { db, twilio } = this.deps;
    const existing = await findOpenConversation(db, input.user.id);
    if (existing) return { conversation: existing, created: false };

    await upsertMember(db, input.user, input.locale);
    const openCase = await findOpenSupportCase(db, input.user.id);
    const attempt = (await countConversations(db, input.user.id)) + 1;
    const row = {
      dm_channel_id: input.dmChannelId,
      guild_id: input.guildId,
      case_number: openCase?.number ?? null,
      locale: input.locale,
      topic: input.topic ?? null,
    };
    const sid = await twilio.openConversation({
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
        await insertConversation(tx, { sid, discord_user_id: input.user.id, ...row });
        if (openCase) {
          await insertCaseEvent(tx, {
            caseNumber: openCase.number,
            type: 'conversation_linked',
            actor: memberActor(input.user),
            data: { conversationSid: sid },
          });
        }
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
   * Relays a member's DM message into their Conversation (opening one if they have none), exactly
   * once: the Discord message id is claimed in the transaction that enqueues the delivery.
   */
  async relayMemberMessage(message: MemberMessage): Promise<'relayed' | 'duplicate'> {
    const known = this.openChats.get(message.author.id);
    let outcome = known ? await this.relayInto(known, message) : 'not open';
    if (outcome === 'not open') {
      const { conversation } = await this.ensureChat({
        user: message.author,
        dmChannelId: message.channelId,
        guildId: null,
        locale: null,
      });
      this.openChats.remember(message.author.id, conversation.sid);
      outcome = await this.relayInto(conversation.sid, message);
      // Closed between the two steps (Twilio ended it just now): the next message opens a new chat.
      if (outcome === 'not open') outcome = await this.relayInto(conversation.sid, message, true);
    }
    return outcome === 'relayed' ? 'relayed' : 'duplicate';
  }

  /**
   * One statement: claims the message id, enqueues it and notes it on the chat (all or nothing),
   * if the chat is still open (or `evenIfClosed`).
   */
  private async relayInto(
    conversationSid: string,
    message: MemberMessage,
    evenIfClosed = false,
  ): Promise<'relayed' | 'duplicate' | 'not open'> {
    const { rows } = await this.deps.db.query<{ relayed: boolean; open: boolean }>(
      `WITH chat AS (
         SELECT sid FROM conversations WHERE sid = $3 AND ($6::boolean OR state <> 'closed')
       ), claimed AS (
         INSERT INTO processed_events (key) SELECT $1 FROM chat ON CONFLICT (key) DO NOTHING RETURNING key
       ), queued AS (
         ${insertItemsCte('$2', 'claimed')}
       ), noted AS (
         UPDATE conversations SET last_discord_message_id = $4, topic = COALESCE(topic, $5), updated_at = now()
         WHERE sid = $3 AND EXISTS (SELECT 1 FROM claimed)
           AND (last_discord_message_id IS NULL OR length(last_discord_message_id) < length($4)
             OR (length(last_discord_message_id) = length($4) AND last_discord_message_id < $4))
         RETURNING sid
       )
       SELECT EXISTS (SELECT 1 FROM claimed) AS relayed, EXISTS (SELECT 1 FROM chat) AS open`,
      [
        `discord:message:${message.id}`,
        JSON.stringify(memberMessageItems(conversationSid, message)),
        conversationSid,
        message.id,
        message.content.slice(0, 120) || null,
        evenIfClosed,
      ],
    );
    const row = rows[0];
    if (!row?.open) {
      this.openChats.forget(message.author.id);
      return 'not open';
    }
    if (!row.relayed) return 'duplicate';
    this.deps.kick(twilioStream(conversationSid));
    return 'relayed';
  }

  /** Marks a chat closed (Twilio closed it, or refused a message because it was). */
  async markClosed(sql: Sql, conversationSid: string): Promise<void> {
    await updateConversation(sql, conversationSid, { state: 'closed', phase: 'ended' });
  }
}

function memberMessageItems(conversationSid: string, message: MemberMessage): NewOutboxItem[] {
  const media: MediaRef[] = message.attachments.map((file) => ({ source: 'url', ...file }));
  return twilioMessageItems(`discord:message:${message.id}`, {
    conversationSid,
    author: discordIdentity(message.author.id),
    body: message.content,
    attributes: { discord: { messageId: message.id, channelId: message.channelId } },
    media,
  });
}
