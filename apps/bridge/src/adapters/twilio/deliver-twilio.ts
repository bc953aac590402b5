import { conversationAttributes } from '../../domain/chat/conversation-attributes.ts';
import { findConversation } from '../../infrastructure/db/conversations-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import { findMember } from '../../infrastructure/db/members-repository.ts';
import {
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '../../infrastructure/outbox/delivery-errors.ts';
import { findItemParts, type OutboxRow } from '../../infrastructure/outbox/outbox-repository.ts';
import {
  claimPostIntent,
  POST_HEARTBEAT_MS,
  settlePostIntent,
  touchPostIntent,
} from '../../infrastructure/outbox/post-intent.ts';
import type {
  TwilioAttributesPayload,
  TwilioMessagePayload,
  TwilioMessageRemovePayload,
  TwilioMessageUpdatePayload,
} from './outbox-kinds.ts';
import type { TwilioConversations } from './twilio-conversations.ts';
import { toDeliveryError } from './twilio-errors.ts';

/**
 * Delivers `twilio.message` items exactly once, whatever happens to the item's lease. Twilio has no
 * idempotency key for Conversations messages, so:
 * - before posting, the attempt records its intent durably and keeps it fresh while it waits for
 *   Twilio; another attempt of the item (its lease released under this one, or another instance's)
 *   does not post while that intent is fresh, and tries again later;
 * - an attempt after an earlier one (finished, or whose intent went stale) first looks the message
 *   up by the key this bridge put in its attributes, and posts only if it is not there.
 */
export function createTwilioMessageDeliverer(twilio: TwilioConversations, db: Database) {
  return async (payload: TwilioMessagePayload, row: OutboxRow) => {
    const intent = await claimPostIntent(db, row.id, row.attempts);
    if (!intent.claimed)
      throw new RetryableDeliveryError(
        `twilio message to ${payload.conversationSid}: an earlier attempt's post may still be in flight`,
        intent.retryAfterMs,
      );
    const heartbeat = setInterval(() => {
      touchPostIntent(db.relaxed, row.id, row.attempts).catch(() => undefined);
    }, POST_HEARTBEAT_MS);
    /** Delivered: the outbox's done mark settles the intent in its own statement (one round trip less). */
    let delivered = false;
    try {
      if (intent.earlier || row.attempts > 1) {
        const existing = await twilio.findMessageByKey(
          payload.conversationSid,
          row.key,
          new Date(row.created_at),
        );
        if (existing) {
          delivered = true;
          return existing;
        }
      }
      let mediaSid: string | undefined;
      if (payload.media) {
        const file = await downloadMedia(payload.media);
        mediaSid = await twilio.uploadMedia(file, payload.media.contentType, payload.media.filename);
      }
      const posted = await twilio.postMessage({
        conversationSid: payload.conversationSid,
        author: payload.author,
        body: payload.body,
        key: row.key,
        ...(payload.attributes ? { attributes: payload.attributes } : {}),
        ...(mediaSid ? { mediaSid } : {}),
      });
      delivered = true;
      return posted;
    } catch (error) {
      if (error instanceof RetryableDeliveryError || error instanceof PermanentDeliveryError) throw error;
      throw toDeliveryError(error, `twilio message to ${payload.conversationSid}`);
    } finally {
      clearInterval(heartbeat);
      // Left fresh if this fails (or the done mark does): a later attempt then waits the intent
      // out before its look-up.
      if (!delivered) await settlePostIntent(db.relaxed, row.id, row.attempts).catch(() => undefined);
    }
  };
}

/** The member's file, from its Discord URL: a 429 or 5xx is worth another try, a 4xx (expired, gone) is not. */
async function downloadMedia(media: NonNullable<TwilioMessagePayload['media']>): Promise<Uint8Array> {
  if (media.source !== 'url') throw new PermanentDeliveryError('only URL media can be sent to Twilio');
  const response = await fetch(media.url);
  if (!response.ok) {
    const detail = `download of ${media.filename} failed: ${response.status}`;
    if (response.status === 429 || response.status >= 500) throw new RetryableDeliveryError(detail);
    throw new PermanentDeliveryError(detail);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Delivers `twilio.conversation-attributes` items: the conversation's attributes, rebuilt from the database. */
export function createTwilioAttributesDeliverer(twilio: TwilioConversations, db: Database) {
  return async ({ conversationSid }: TwilioAttributesPayload) => {
    const conversation = await findConversation(db, conversationSid);
    const member = conversation ? await findMember(db, conversation.discord_user_id) : null;
    if (!conversation || !member) return { skipped: 'unknown conversation' };
    try {
      await twilio.updateAttributes(conversationSid, conversationAttributes(conversation, member));
      return { updated: true };
    } catch (error) {
      throw toDeliveryError(error, `attributes of ${conversationSid}`);
    }
  };
}

/** The Conversations message an earlier `twilio.message` item (`sourceKey`) became, if it was delivered. */
async function deliveredMessageSid(db: Database, sourceKey: string): Promise<string | null> {
  const [source] = await findItemParts(db, sourceKey);
  if (!source || source.key !== sourceKey || source.status !== 'done') return null;
  const sid = (source.result as { sid?: unknown } | null)?.sid;
  return typeof sid === 'string' ? sid : null;
}

/** Delivers `twilio.message-update`: the member edited a message the bridge relayed. */
export function createTwilioMessageUpdateDeliverer(twilio: TwilioConversations, db: Database) {
  return async (payload: TwilioMessageUpdatePayload) => {
    const messageSid = await deliveredMessageSid(db, payload.sourceKey);
    if (!messageSid) return { skipped: 'the original message was never delivered' };
    try {
      await twilio.updateMessage({
        conversationSid: payload.conversationSid,
        messageSid,
        body: payload.body,
        attributes: payload.attributes ?? {},
        key: payload.sourceKey,
      });
      return { updated: messageSid };
    } catch (error) {
      throw toDeliveryError(error, `edit of ${messageSid} in ${payload.conversationSid}`);
    }
  };
}

/** The Conversations messages an item (`sourceKey`) became: its text and its files (`:media:N`). */
async function deliveredMessageSids(db: Database, sourceKey: string): Promise<string[]> {
  const parts = await findItemParts(db, sourceKey);
  return parts
    .filter((part) => part.key === sourceKey || part.key.startsWith(`${sourceKey}:media:`))
    .filter((part) => part.status === 'done')
    .map((part) => (part.result as { sid?: unknown } | null)?.sid)
    .filter((sid): sid is string => typeof sid === 'string');
}

/**
 * Delivers `twilio.message-remove`: the member deleted a message the bridge relayed — its text and
 * each of its files, which Flex shows as messages of their own.
 */
export function createTwilioMessageRemoveDeliverer(twilio: TwilioConversations, db: Database) {
  return async (payload: TwilioMessageRemovePayload) => {
    const messageSids = await deliveredMessageSids(db, payload.sourceKey);
    if (!messageSids.length) return { skipped: 'the original message was never delivered' };
    // One already gone (an earlier attempt of this item) counts as removed.
    for (const messageSid of messageSids) {
      try {
        await twilio.removeMessage(payload.conversationSid, messageSid);
      } catch (error) {
        throw toDeliveryError(error, `removal of ${messageSid} from ${payload.conversationSid}`);
      }
    }
    return { removed: messageSids };
  };
}
