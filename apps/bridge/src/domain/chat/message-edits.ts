import { keepLineEdit, keepLineRemoval } from '../../infrastructure/db/chat-lines-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
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
    const payload = await this.deps.outbox.find(this.deps.db, 'twilio.message', key);
    if (!payload) return null;
    return { key, conversationSid: payload.conversationSid, attributes: payload.attributes ?? {} };
  }

  private async relayedToDiscord(messageSid: string) {
    const key = agentMessageKey(messageSid);
    const payload = await this.deps.outbox.find(this.deps.db, 'discord.message', key);
    if (!payload?.channelId) return null;
    return { key, channelId: payload.channelId };
  }
}

/** An event's date (Discord's `edited_timestamp`, Twilio's `DateUpdated`), else now. */
function dateOr(value: string): Date {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/** The outbox key of an agent's message relayed to Discord (its MessageSid's). */
export const agentMessageKey = (messageSid: string) => `twilio:message:${messageSid}`;
