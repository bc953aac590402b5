import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import { z } from 'zod';
import { MediaRefSchema } from '../../domain/chat/media-ref.ts';
import { defineKind, type KindItem, oneRowKind } from '../../infrastructure/outbox/kind-registry.ts';
import { splitMessage } from '../../infrastructure/util/split-message.ts';

/**
 * The outbox kinds Discord delivers (`deliver-discord.ts`, `deliver-case-post.ts`,
 * `deliver-message-edits.ts`), with the schema of each payload: items are checked when enqueued
 * (by type) and when delivered (by schema), so a deliverer never reads a payload of another shape.
 */

const object = <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null);

/** One Discord message, posted with mentions disabled, in `channelId` or the DM of `userId` (opened at delivery). */
export const DiscordMessagePayloadSchema = z.object({
  channelId: z.string().optional(),
  userId: z.string().optional(),
  content: z.string().optional(),
  embeds: z.array(object<APIEmbed>()).optional(),
  components: z.array(object<APIActionRowComponent<APIComponentInMessageActionRow>>()).optional(),
  media: z.array(MediaRefSchema).optional(),
});
export type DiscordMessagePayload = z.infer<typeof DiscordMessagePayloadSchema>;

/** Create (`discord.case-post`) or follow up (`discord.case-post-update`) a case's public post. */
export const CasePostPayloadSchema = z.object({
  caseNumber: z.number().int(),
  guildId: z.string(),
  channelId: z.string(),
  /** A follow-up's note in the thread instead of the status line (a duplicate merged in). */
  note: z.string().optional(),
  /** Only the post's embed and buttons change (a vote's new count): no tags, no note in the thread. */
  inPlace: z.boolean().optional(),
});
export type CasePostPayload = z.infer<typeof CasePostPayloadSchema>;

/** Close a duplicate's public post: a note linking the original in its thread, then archived and locked. */
export const CasePostClosePayloadSchema = z.object({
  caseNumber: z.number().int(),
  originalNumber: z.number().int(),
});
export type CasePostClosePayload = z.infer<typeof CasePostClosePayloadSchema>;

/**
 * Follow an agent's edit or deletion of a message the bridge relayed to Discord earlier (the item
 * with `sourceKey`, and its split parts). Enqueued in the source's stream, so it never overtakes it.
 */
export const DiscordMessageEditPayloadSchema = z.object({
  channelId: z.string(),
  sourceKey: z.string(),
  content: z.string(),
});
export type DiscordMessageEditPayload = z.infer<typeof DiscordMessageEditPayloadSchema>;
export const DiscordMessageDeletePayloadSchema = z.object({ channelId: z.string(), sourceKey: z.string() });
export type DiscordMessageDeletePayload = z.infer<typeof DiscordMessageDeletePayloadSchema>;

/** Where a Discord message goes: a channel (or thread), or the DM of a user. */
export interface DiscordTarget {
  channelId?: string | undefined;
  userId?: string | undefined;
}

export const discordStream = (target: DiscordTarget) =>
  target.channelId ? `discord:channel:${target.channelId}` : `discord:user:${target.userId}`;
export const casePostStream = (caseNumber: number) => `discord:case-post:${caseNumber}`;
const casePostStreamOf = (payload: { caseNumber: number }) => casePostStream(payload.caseNumber);

/**
 * Outbox items for a Discord message: long text becomes several messages (split at 2000 chars on
 * word/Markdown boundaries), embeds and components ride on the last text part, and each file is
 * its own message so every item is one idempotent API call.
 */
export function discordMessageItems(
  key: string,
  message: DiscordMessagePayload,
): KindItem<DiscordMessagePayload>[] {
  const stream = discordStream(message);
  const target = message.channelId ? { channelId: message.channelId } : { userId: message.userId! };
  const texts = message.content ? splitMessage(message.content) : [];
  const items: KindItem<DiscordMessagePayload>[] = [];
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
    items.push({ key: index === 0 ? key : `${key}:part:${index}`, stream, payload });
  });
  media.slice(1).forEach((file, index) => {
    items.push({ key: `${key}:media:${index + 1}`, stream, payload: { ...target, media: [file] } });
  });
  return items;
}

/** Discord's kinds, as the composition root registers them. */
export const DISCORD_OUTBOX_KINDS = {
  'discord.message': defineKind({
    schema: DiscordMessagePayloadSchema,
    stream: discordStream,
    items: discordMessageItems,
  }),
  'discord.case-post': oneRowKind(CasePostPayloadSchema, casePostStreamOf),
  'discord.case-post-update': oneRowKind(CasePostPayloadSchema, casePostStreamOf),
  'discord.case-post-close': oneRowKind(CasePostClosePayloadSchema, casePostStreamOf),
  'discord.message-edit': oneRowKind(DiscordMessageEditPayloadSchema, discordStream),
  'discord.message-delete': oneRowKind(DiscordMessageDeletePayloadSchema, discordStream),
};
export type DiscordOutboxKinds = typeof DISCORD_OUTBOX_KINDS;

declare module '../../infrastructure/outbox/kind-registry.ts' {
  interface OutboxKinds extends DiscordOutboxKinds {}
}
