import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import { splitMessage } from '../util/split-message.ts';
import type { NewOutboxItem } from './outbox-repository.ts';

/** A file to attach, fetched at delivery time from where it lives now. */
export type MediaRef =
  | { source: 'twilio'; mediaSid: string; filename: string; contentType: string }
  | { source: 'url'; url: string; filename: string; contentType: string };

/** Payload of a `discord.message` item: one Discord message, posted with mentions disabled. */
export interface DiscordMessagePayload {
  /** The channel to post in; or `userId` to post in that member's DM, opened at delivery. */
  channelId?: string;
  userId?: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  media?: MediaRef[];
}

/** Payload of a `twilio.message` item: one Conversations message. */
export interface TwilioMessagePayload {
  conversationSid: string;
  author: string;
  body: string;
  attributes?: Record<string, unknown>;
  media?: MediaRef;
}

/** Payload of a `twilio.conversation-attributes` item: refresh the attributes from the database. */
export interface TwilioAttributesPayload {
  conversationSid: string;
}

export const discordStream = (target: { channelId?: string; userId?: string }) =>
  target.channelId ? `discord:channel:${target.channelId}` : `discord:user:${target.userId}`;
export const twilioStream = (conversationSid: string) => `twilio:conversation:${conversationSid}`;

/**
 * Outbox items for a Discord message: long text becomes several messages (split at 2000 chars on
 * word/Markdown boundaries), embeds and components ride on the last text part, and each file is
 * its own message so every item is one idempotent API call.
 */
export function discordMessageItems(key: string, message: DiscordMessagePayload): NewOutboxItem[] {
  const stream = discordStream(message);
  const target = message.channelId ? { channelId: message.channelId } : { userId: message.userId! };
  const texts = message.content ? splitMessage(message.content) : [];
  const items: NewOutboxItem[] = [];
  const extras = {
    ...(message.embeds?.length ? { embeds: message.embeds } : {}),
    ...(message.components?.length ? { components: message.components } : {}),
  };
  const media = message.media ?? [];
  if (!texts.length && (extras.embeds || extras.components || media.length)) texts.push('');
  texts.forEach((content, index) => {
    const last = index === texts.length - 1;
    const payload: DiscordMessagePayload = {
      ...target,
      ...(content ? { content } : {}),
      ...(last ? extras : {}),
      ...(last && media[0] ? { media: [media[0]] } : {}),
    };
    items.push({ key: index === 0 ? key : `${key}:part:${index}`, stream, kind: 'discord.message', payload });
  });
  media.slice(1).forEach((file, index) => {
    items.push({
      key: `${key}:media:${index + 1}`,
      stream,
      kind: 'discord.message',
      payload: { ...target, media: [file] } satisfies DiscordMessagePayload,
    });
  });
  return items;
}

/** Outbox items for a Conversations message: the text with the first file, one more message per extra file. */
export function twilioMessageItems(
  key: string,
  message: Omit<TwilioMessagePayload, 'media'> & { media?: MediaRef[] },
): NewOutboxItem[] {
  const stream = twilioStream(message.conversationSid);
  const [first, ...others] = message.media ?? [];
  const base = {
    conversationSid: message.conversationSid,
    author: message.author,
    ...(message.attributes ? { attributes: message.attributes } : {}),
  };
  return [
    {
      key,
      stream,
      kind: 'twilio.message',
      payload: { ...base, body: message.body, ...(first ? { media: first } : {}) },
    },
    ...others.map((media, index) => ({
      key: `${key}:media:${index + 1}`,
      stream,
      kind: 'twilio.message',
      payload: { ...base, body: '', media } satisfies TwilioMessagePayload,
    })),
  ];
}
