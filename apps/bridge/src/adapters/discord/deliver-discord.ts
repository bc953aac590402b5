import {
  DiscordAPIError,
  type RawFile,
  type REST,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageResult,
  Routes,
} from 'discord.js';
import type { MediaRef } from '../../domain/chat/media-ref.ts';
import { RetryableDeliveryError } from '../../infrastructure/outbox/delivery-errors.ts';
import type { OutboxRow } from '../../infrastructure/outbox/outbox-repository.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import { classifyDiscordError } from './discord-errors.ts';
import type { DiscordMessagePayload } from './outbox-kinds.ts';

/** Where files of the chat's platform are downloaded from (Twilio's Media Content Service). */
export interface MediaSource {
  downloadMedia(mediaSid: string): Promise<{ data: Uint8Array; filename: string }>;
}

/** Where members' data exports are read from at delivery (`privacy_exports`). */
export type ExportFiles = (exportId: number) => Promise<{ filename: string; body: string } | null>;

/**
 * Where a chat goes on when the member's DMs refuse the bot (50007) mid-chat: the channel to post
 * in now (a private thread), or null when there is none (then the refusal stands, visibly).
 */
export type ClosedDmFallback = (dmChannelId: string) => Promise<string | null>;

/**
 * Delivers `discord.message` items with the real discord.js REST client. The outbox id becomes
 * the message `nonce` with `enforce_nonce`, so a retry after an unknown outcome returns the message
 * Discord already created instead of posting it twice. A DM refused because the member's DMs are
 * closed now goes to the chat's private thread instead, when `closedDms` finds one.
 */
export function createDiscordDeliverer(
  rest: REST,
  media: { twilio: MediaSource; exports?: ExportFiles },
  options: { closedDms?: ClosedDmFallback } = {},
) {
  return async (
    payload: DiscordMessagePayload,
    row: OutboxRow,
  ): Promise<{ messageId: string; channelId?: string }> => {
    try {
      const files = await Promise.all((payload.media ?? []).map((ref) => fetchMedia(ref, media)));
      const post = async (channelId: string) =>
        (await rest.post(Routes.channelMessages(channelId), {
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
      const channelId = payload.channelId ?? (await openDm(rest, payload.userId!));
      try {
        return { messageId: (await post(channelId)).id };
      } catch (error) {
        if (!payload.channelId || !options.closedDms || !isClosedDms(error)) throw error;
        const moved = await options.closedDms(payload.channelId);
        if (!moved || moved === payload.channelId) throw error;
        return { messageId: (await post(moved)).id, channelId: moved };
      }
    } catch (error) {
      throw classifyDiscordError(
        error,
        `discord message to ${payload.channelId ?? `user ${payload.userId}`}`,
      );
    }
  };
}

function isClosedDms(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser;
}

/** The DM channel with a member (Discord returns the existing one). */
async function openDm(rest: REST, userId: string): Promise<string> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
    id: string;
  };
  return channel.id;
}

async function fetchMedia(
  ref: MediaRef,
  media: { twilio: MediaSource; exports?: ExportFiles },
): Promise<RawFile> {
  if (ref.source === 'export') {
    const file = await media.exports?.(ref.exportId);
    // Purged (a day old) or erased since: nothing left to send, and a retry would not change that.
    if (!file) throw new Error(`data export ${ref.exportId} is no longer kept`);
    return { name: ref.filename, data: Buffer.from(file.body, 'utf8'), contentType: ref.contentType };
  }
  if (ref.source === 'twilio') {
    const file = await media.twilio.downloadMedia(ref.mediaSid);
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
