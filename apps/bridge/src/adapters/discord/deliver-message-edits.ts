import { type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { Database } from '../../infrastructure/db/database.ts';
import { findItemParts, type OutboxRow } from '../../infrastructure/outbox/outbox-repository.ts';
import { splitMessage } from '../../infrastructure/util/split-message.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import { classifyDiscordError } from './discord-errors.ts';
import type { DiscordMessageDeletePayload, DiscordMessageEditPayload } from './outbox-kinds.ts';

/**
 * The Discord messages an earlier item (`sourceKey`) became, in order: its text parts
 * (`:part:N`), and with `withFiles` the messages that carried its other files (`:media:N`).
 */
async function deliveredParts(db: Database, sourceKey: string, withFiles = false): Promise<string[]> {
  const parts = await findItemParts(db, sourceKey);
  return parts
    .filter(
      (part) =>
        part.key === sourceKey ||
        part.key.startsWith(`${sourceKey}:part:`) ||
        (withFiles && part.key.startsWith(`${sourceKey}:media:`)),
    )
    .filter((part) => part.status === 'done')
    .map((part) => (part.result as { messageId?: unknown } | null)?.messageId)
    .filter((id): id is string => typeof id === 'string');
}

function isUnknownMessage(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === RESTJSONErrorCodes.UnknownMessage;
}

/**
 * Delivers `discord.message-edit`: an agent edited a message the member got. The new text is split
 * like any message; existing parts are edited in place, parts no longer needed are deleted, and
 * extra text (the edit made it longer) follows as new messages.
 */
export function createDiscordMessageEditDeliverer(rest: REST, db: Database) {
  return async (payload: DiscordMessageEditPayload, row: OutboxRow) => {
    const existing = await deliveredParts(db, payload.sourceKey);
    if (!existing.length) return { skipped: 'the original message was never delivered' };
    const texts = payload.content.trim() ? splitMessage(payload.content) : [];
    try {
      for (const [index, messageId] of existing.entries()) {
        const text = texts[index];
        if (text !== undefined) {
          await rest.patch(Routes.channelMessage(payload.channelId, messageId), {
            body: { content: text, allowed_mentions: NO_MENTIONS },
          });
        } else {
          await rest.delete(Routes.channelMessage(payload.channelId, messageId)).catch((error: unknown) => {
            if (!isUnknownMessage(error)) throw error;
          });
        }
      }
      for (const [offset, text] of texts.slice(existing.length).entries()) {
        await rest.post(Routes.channelMessages(payload.channelId), {
          body: {
            content: text,
            allowed_mentions: NO_MENTIONS,
            nonce: `fe${row.id}p${offset}`.slice(0, 25),
            enforce_nonce: true,
          },
        });
      }
      return { edited: existing.length };
    } catch (error) {
      throw classifyDiscordError(error, `edit of ${payload.sourceKey} in ${payload.channelId}`);
    }
  };
}

/** Delivers `discord.message-delete`: an agent removed a message the member got (every part of it). */
export function createDiscordMessageDeleteDeliverer(rest: REST, db: Database) {
  return async (payload: DiscordMessageDeletePayload) => {
    const existing = await deliveredParts(db, payload.sourceKey, true);
    try {
      for (const messageId of existing) {
        await rest.delete(Routes.channelMessage(payload.channelId, messageId)).catch((error: unknown) => {
          if (!isUnknownMessage(error)) throw error;
        });
      }
      return { deleted: existing.length };
    } catch (error) {
      throw classifyDiscordError(error, `removal of ${payload.sourceKey} from ${payload.channelId}`);
    }
  };
}
