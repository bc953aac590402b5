import {
  DiscordAPIError,
  HTTPError,
  type RawFile,
  type REST,
  type RESTPostAPIChannelMessageResult,
  Routes,
} from 'discord.js';
import { PermanentDeliveryError, RetryableDeliveryError } from '../outbox/delivery-errors.ts';
import type { DiscordMessagePayload, MediaRef } from '../outbox/outbox-kinds.ts';
import type { OutboxRow } from '../outbox/outbox-repository.ts';
import type { TwilioConversations } from '../twilio/twilio-conversations.ts';

/** Discord errors that no retry can fix. @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json */
const PERMANENT_DISCORD_CODES = new Set([10003, 10013, 50001, 50007, 50013, 50035, 40005]);

/** Text from agents and feeds never pings anyone. */
export const NO_MENTIONS = { parse: [] as never[] };

/**
 * Delivers `discord.message` items with the real discord.js REST client. The outbox id becomes
 * the message `nonce` with `enforce_nonce`, so a retry after an unknown outcome returns the message
 * Discord already created instead of posting it twice.
 */
export function createDiscordDeliverer(rest: REST, media: { twilio: TwilioConversations }) {
  return async (row: OutboxRow): Promise<{ messageId: string }> => {
    const payload = row.payload as DiscordMessagePayload;
    try {
      const files = await Promise.all((payload.media ?? []).map((ref) => fetchMedia(ref, media.twilio)));
      const channelId = payload.channelId ?? (await openDm(rest, payload.userId!));
      const message = (await rest.post(Routes.channelMessages(channelId), {
        body: {
          ...(payload.content ? { content: payload.content } : {}),
          ...(payload.embeds ? { embeds: payload.embeds } : {}),
          ...(payload.components ? { components: payload.components } : {}),
          allowed_mentions: NO_MENTIONS,
          nonce: `fx${row.id}`.slice(0, 25),
          enforce_nonce: true,
          ...(files.length ? { attachments: files.map((file, id) => ({ id, filename: file.name })) } : {}),
        },
        ...(files.length ? { files } : {}),
      })) as RESTPostAPIChannelMessageResult;
      return { messageId: message.id };
    } catch (error) {
      throw classifyDiscordError(
        error,
        `discord message to ${payload.channelId ?? `user ${payload.userId}`}`,
      );
    }
  };
}

/** The DM channel with a member (Discord returns the existing one). */
async function openDm(rest: REST, userId: string): Promise<string> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
    id: string;
  };
  return channel.id;
}

async function fetchMedia(ref: MediaRef, twilio: TwilioConversations): Promise<RawFile> {
  if (ref.source === 'twilio') {
    const file = await twilio.downloadMedia(ref.mediaSid);
    return {
      name: ref.filename || file.filename,
      data: Buffer.from(file.data),
      contentType: ref.contentType,
    };
  }
  const response = await fetch(ref.url);
  if (!response.ok)
    throw new RetryableDeliveryError(`download of ${ref.filename} failed: ${response.status}`);
  return {
    name: ref.filename,
    data: Buffer.from(await response.arrayBuffer()),
    contentType: ref.contentType,
  };
}

/** Discord's answer as a delivery outcome; discord.js has already waited out 429s. */
export function classifyDiscordError(error: unknown, what: string): Error {
  if (error instanceof PermanentDeliveryError || error instanceof RetryableDeliveryError) return error;
  if (error instanceof DiscordAPIError) {
    const detail = `${what}: Discord ${error.status} (${error.code}) ${error.message}`;
    if (typeof error.code === 'number' && PERMANENT_DISCORD_CODES.has(error.code)) {
      return new PermanentDeliveryError(detail, { cause: error });
    }
    if (error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 408) {
      return new PermanentDeliveryError(detail, { cause: error });
    }
    return new RetryableDeliveryError(detail, undefined, { cause: error });
  }
  if (error instanceof HTTPError) {
    return new RetryableDeliveryError(`${what}: HTTP ${error.status}`, undefined, { cause: error });
  }
  return new RetryableDeliveryError(
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    undefined,
    {
      cause: error,
    },
  );
}
