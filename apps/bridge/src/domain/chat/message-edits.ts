import { keepLineEdit, keepLineRemoval } from '../../infrastructure/db/chat-lines-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import {
  DiscordMessagePayloadSchema,
  discordStream,
  TwilioMessagePayloadSchema,
  twilioStream,
} from '../../infrastructure/outbox/outbox-kinds.ts';
import { findItemParts } from '../../infrastructure/outbox/outbox-repository.ts';
import { discordMessageKey } from './member-messages.ts';

/** `duplicate`: this edit was followed already (a replayed webhook or gateway event). */
export type EditOutcome = 'relayed' | 'duplicate' | 'ignored';

/**
 * Edits and deletions of relayed messages, followed on the other side: a member editing or
 * deleting their DM changes the message in the Conversation; an agent editing or removing theirs
 * changes what the member sees. Only messages the bridge relayed are followed (the keys of their
 * outbox items say where they went); each follow-up is an outbox item in the original's stream,
 * so it is delivered after the original and once. The chat's kept line follows in the same
 * transaction (`chat_lines`: a transcript shows the text as it was last edited, without what was
 * removed).
 */
export class MessageEdits {
  constructor(private readonly deps: { db: Database; outbox: Outbox }) {}

  /** The member edited a DM message; `editedAt` (Discord's `edited_timestamp`) keys the edit. */
  async memberEdited(input: {
    discordMessageId: string;
    content: string;
    editedAt: string;
  }): Promise<EditOutcome> {
    const source = await this.relayedToTwilio(input.discordMessageId);
    if (!source) return 'ignored';
    return this.deps.db.transaction(async (tx) => {
      const queued = await this.deps.outbox.enqueue(tx, {
        key: `discord:message-edit:${input.discordMessageId}:${input.editedAt}`,
        stream: twilioStream(source.conversationSid),
        kind: 'twilio.message-update',
        payload: {
          conversationSid: source.conversationSid,
          sourceKey: source.key,
          body: input.content,
          attributes: { ...source.attributes, edited: { at: input.editedAt } },
        },
      });
      if (!queued) return 'duplicate';
      await keepLineEdit(tx, { key: source.key, body: input.content, editedAt: dateOr(input.editedAt) });
      return 'relayed';
    });
  }

  async memberDeleted(input: { discordMessageId: string }): Promise<EditOutcome> {
    const source = await this.relayedToTwilio(input.discordMessageId);
    if (!source) return 'ignored';
    const queued = await this.deps.outbox.enqueue(this.deps.db, {
      key: `discord:message-delete:${input.discordMessageId}`,
      stream: twilioStream(source.conversationSid),
      kind: 'twilio.message-remove',
      payload: { conversationSid: source.conversationSid, sourceKey: source.key },
    });
    return queued ? 'relayed' : 'duplicate';
  }

  /**
   * An agent edited a message the bridge relayed to the member: `body` is the member's copy (with
   * its author line), `text` what the agent wrote (the kept line); `updatedAt` keys the edit.
   */
  async agentEdited(input: {
    messageSid: string;
    body: string;
    text: string;
    updatedAt: string;
  }): Promise<EditOutcome> {
    const source = await this.relayedToDiscord(input.messageSid);
    if (!source) return 'ignored';
    return this.deps.db.transaction(async (tx) => {
      const queued = await this.deps.outbox.enqueue(tx, {
        key: `twilio:message-update:${input.messageSid}:${input.updatedAt}`,
        stream: discordStream({ channelId: source.channelId }),
        kind: 'discord.message-edit',
        payload: { channelId: source.channelId, sourceKey: source.key, content: input.body },
      });
      if (!queued) return 'duplicate';
      // The agent's kept line is keyed like the message relayed to the member.
      await keepLineEdit(tx, { key: source.key, body: input.text, editedAt: dateOr(input.updatedAt) });
      return 'relayed';
    });
  }

  async agentRemoved(input: { messageSid: string }): Promise<EditOutcome> {
    const source = await this.relayedToDiscord(input.messageSid);
    if (!source) return 'ignored';
    return this.deps.db.transaction(async (tx) => {
      const queued = await this.deps.outbox.enqueue(tx, {
        key: `twilio:message-remove:${input.messageSid}`,
        stream: discordStream({ channelId: source.channelId }),
        kind: 'discord.message-delete',
        payload: { channelId: source.channelId, sourceKey: source.key },
      });
      if (!queued) return 'duplicate';
      await keepLineRemoval(tx, source.key);
      return 'relayed';
    });
  }

  private async relayedToTwilio(discordMessageId: string) {
    const key = discordMessageKey(discordMessageId);
    const [first] = await findItemParts(this.deps.db, key);
    const payload = first && first.key === key ? TwilioMessagePayloadSchema.safeParse(first.payload) : null;
    if (!payload?.success) return null;
    return { key, conversationSid: payload.data.conversationSid, attributes: payload.data.attributes ?? {} };
  }

  private async relayedToDiscord(messageSid: string) {
    const key = agentMessageKey(messageSid);
    const [first] = await findItemParts(this.deps.db, key);
    const payload = first && first.key === key ? DiscordMessagePayloadSchema.safeParse(first.payload) : null;
    if (!payload?.success || !payload.data.channelId) return null;
    return { key, channelId: payload.data.channelId };
  }
}

/** An event's date (Discord's `edited_timestamp`, Twilio's `DateUpdated`), else now. */
function dateOr(value: string): Date {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/** The outbox key of an agent's message relayed to Discord (its MessageSid's). */
export const agentMessageKey = (messageSid: string) => `twilio:message:${messageSid}`;
