import { type DiscordUser, discordIdentity } from '@flexcord/contracts';
import { relayIntoConversation } from '../../infrastructure/db/conversations-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import type { OutboxRequest } from '../../infrastructure/outbox/kind-registry.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';
import { clipCodePoints } from '../../infrastructure/util/safe-text.ts';
import type { ChatLifecycle } from './chat-lifecycle.ts';
import type { MediaRef } from './media-ref.ts';

/** The outbox key (and inbound claim) of a member's DM message relayed into the Conversation. */
export const discordMessageKey = (discordMessageId: string) => `discord:message:${discordMessageId}`;

/** A member's DM message as the gateway delivers it. */
export interface MemberMessage {
  id: string;
  channelId: string;
  author: DiscordUser;
  content: string;
  attachments: { url: string; filename: string; contentType: string }[];
}

/**
 * What members write in their DM, relayed into their chat's Conversation exactly once: the
 * Discord message id is claimed in the statement that enqueues the delivery.
 */
export class MemberMessages {
  /** Each member's open chat as last seen; every relay checks it is still open. */
  private readonly openChats = new RecentMap<string, string>();

  constructor(private readonly deps: { db: Database; outbox: Outbox; lifecycle: ChatLifecycle }) {}

  /** Relays the message into the member's open chat, opening one if they have none. */
  async relay(message: MemberMessage): Promise<'relayed' | 'duplicate'> {
    const known = this.openChats.get(message.author.id);
    let outcome = known ? await this.relayInto(known, message) : 'not open';
    if (outcome === 'not open') {
      const { conversation } = await this.deps.lifecycle.open({
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

  private async relayInto(
    conversationSid: string,
    message: MemberMessage,
    evenIfClosed = false,
  ): Promise<'relayed' | 'duplicate' | 'not open'> {
    const eventKey = discordMessageKey(message.id);
    const items = this.deps.outbox.items(memberMessageRequest(conversationSid, message));
    const row = await relayIntoConversation(this.deps.db, {
      eventKey,
      items,
      conversationSid,
      discordMessageId: message.id,
      topic: clipCodePoints(message.content, 120) || null,
      evenIfClosed,
    });
    if (!row.open) {
      this.openChats.forget(message.author.id);
      return 'not open';
    }
    if (!row.relayed) return 'duplicate';
    this.deps.outbox.notify(items);
    return 'relayed';
  }
}

function memberMessageRequest(conversationSid: string, message: MemberMessage): OutboxRequest {
  const media: MediaRef[] = message.attachments.map((file) => ({ source: 'url', ...file }));
  return {
    kind: 'twilio.message',
    key: discordMessageKey(message.id),
    payload: {
      conversationSid,
      author: discordIdentity(message.author.id),
      body: message.content,
      attributes: { discord: { messageId: message.id, channelId: message.channelId } },
      media,
    },
  };
}
