import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import { z } from 'zod';
import { splitMessage } from '../util/split-message.ts';

/**
 * Every kind of side effect the outbox delivers, with the schema of its payload: items are
 * checked when enqueued (by type) and when delivered (by schema), so a deliverer never reads a
 * payload of another shape.
 */

const object = <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null);

/** A file to attach, fetched at delivery time from where it lives now. */
export const MediaRefSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('twilio'),
    mediaSid: z.string(),
    filename: z.string(),
    contentType: z.string(),
  }),
  z.object({ source: z.literal('url'), url: z.string(), filename: z.string(), contentType: z.string() }),
  /** A member's data export, kept in `privacy_exports` until it is delivered. */
  z.object({
    source: z.literal('export'),
    exportId: z.number().int(),
    filename: z.string(),
    contentType: z.string(),
  }),
]);
export type MediaRef = z.infer<typeof MediaRefSchema>;

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

/** One Conversations message. */
export const TwilioMessagePayloadSchema = z.object({
  conversationSid: z.string(),
  author: z.string(),
  body: z.string(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  media: MediaRefSchema.optional(),
});
export type TwilioMessagePayload = z.infer<typeof TwilioMessagePayloadSchema>;

/** Refresh a Conversation's attributes from the database. */
export const TwilioAttributesPayloadSchema = z.object({ conversationSid: z.string() });
export type TwilioAttributesPayload = z.infer<typeof TwilioAttributesPayloadSchema>;

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
 * Follow an edit or a deletion of a message the bridge relayed earlier (the item with `sourceKey`,
 * and its split parts): in the Conversation (`twilio.message-update`/`-remove`) or in Discord
 * (`discord.message-edit`/`-delete`). Enqueued in the source's stream, so it never overtakes it.
 */
export const TwilioMessageUpdatePayloadSchema = z.object({
  conversationSid: z.string(),
  sourceKey: z.string(),
  body: z.string(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type TwilioMessageUpdatePayload = z.infer<typeof TwilioMessageUpdatePayloadSchema>;
export const TwilioMessageRemovePayloadSchema = z.object({
  conversationSid: z.string(),
  sourceKey: z.string(),
});
export type TwilioMessageRemovePayload = z.infer<typeof TwilioMessageRemovePayloadSchema>;
export const DiscordMessageEditPayloadSchema = z.object({
  channelId: z.string(),
  sourceKey: z.string(),
  content: z.string(),
});
export type DiscordMessageEditPayload = z.infer<typeof DiscordMessageEditPayloadSchema>;
export const DiscordMessageDeletePayloadSchema = z.object({ channelId: z.string(), sourceKey: z.string() });
export type DiscordMessageDeletePayload = z.infer<typeof DiscordMessageDeletePayloadSchema>;

/**
 * Complete a Flex task (TaskRouter `AssignmentStatus=completed` with `Reason`), first merging
 * `conversations` into its attributes — what Flex Insights reads when a task completes.
 */
export const TaskCompletePayloadSchema = z.object({
  workspaceSid: z.string(),
  taskSid: z.string(),
  reason: z.string(),
  conversations: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type TaskCompletePayload = z.infer<typeof TaskCompletePayloadSchema>;

/**
 * Close a chat's Interactions channel with `Routing={"status":"closed"}`: its tasks are completed
 * (canceled while still waiting) — what Flex needs when Twilio's timers ended the conversation.
 */
export const InteractionClosePayloadSchema = z.object({
  interactionSid: z.string(),
  channelSid: z.string(),
});
export type InteractionClosePayload = z.infer<typeof InteractionClosePayloadSchema>;

/**
 * A cold transfer: an Interactions invite for the chat's channel (to `workerSid` or `queueSid`,
 * with the task's attributes), then the transferring agent's participant closed.
 */
export const InteractionTransferPayloadSchema = z.object({
  workspaceSid: z.string(),
  interactionSid: z.string(),
  channelSid: z.string(),
  taskSid: z.string(),
  workerSid: z.string().optional(),
  queueSid: z.string().optional(),
});
export type InteractionTransferPayload = z.infer<typeof InteractionTransferPayloadSchema>;

/** Create the TaskRouter triage task of a new bug report or feature request (`TRIAGE_ROUTING=task`). */
export const TriageTaskPayloadSchema = z.object({
  caseNumber: z.number().int(),
  workspaceSid: z.string(),
  workflowSid: z.string(),
  taskChannel: z.string(),
});
export type TriageTaskPayload = z.infer<typeof TriageTaskPayloadSchema>;

/**
 * Merge `conversations` into a Flex task's attributes (a survey's answer, for Flex Insights'
 * `conversation_measure_*` / `conversation_attribute_*`), without changing its status.
 */
export const TaskAttributesPayloadSchema = z.object({
  workspaceSid: z.string(),
  taskSid: z.string(),
  conversations: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type TaskAttributesPayload = z.infer<typeof TaskAttributesPayloadSchema>;

/** Keep an ended chat's transcript with its case: its Conversation's messages read back and stored. */
export const TranscriptKeepPayloadSchema = z.object({ conversationSid: z.string() });
export type TranscriptKeepPayload = z.infer<typeof TranscriptKeepPayloadSchema>;

export const OUTBOX_KINDS = {
  'discord.message': DiscordMessagePayloadSchema,
  'twilio.message': TwilioMessagePayloadSchema,
  'twilio.conversation-attributes': TwilioAttributesPayloadSchema,
  'discord.case-post': CasePostPayloadSchema,
  'discord.case-post-update': CasePostPayloadSchema,
  'discord.case-post-close': CasePostClosePayloadSchema,
  'twilio.message-update': TwilioMessageUpdatePayloadSchema,
  'twilio.message-remove': TwilioMessageRemovePayloadSchema,
  'discord.message-edit': DiscordMessageEditPayloadSchema,
  'discord.message-delete': DiscordMessageDeletePayloadSchema,
  'twilio.task-complete': TaskCompletePayloadSchema,
  'twilio.interaction-close': InteractionClosePayloadSchema,
  'twilio.interaction-transfer': InteractionTransferPayloadSchema,
  'twilio.triage-task': TriageTaskPayloadSchema,
  'twilio.task-attributes': TaskAttributesPayloadSchema,
  'twilio.transcript-keep': TranscriptKeepPayloadSchema,
} as const;

export type OutboxKind = keyof typeof OUTBOX_KINDS;
export type OutboxPayload<K extends OutboxKind> = z.infer<(typeof OUTBOX_KINDS)[K]>;

/** A side effect to deliver: its kind's payload, an idempotency key and the stream it is ordered in. */
export type OutboxItem = {
  [K in OutboxKind]: {
    /** Idempotency key: the same key enqueued twice is one delivery. */
    key: string;
    /** Items of one stream are delivered one after the other, in insertion order. */
    stream: string;
    kind: K;
    payload: OutboxPayload<K>;
  };
}[OutboxKind];

export const discordStream = (target: { channelId?: string | undefined; userId?: string | undefined }) =>
  target.channelId ? `discord:channel:${target.channelId}` : `discord:user:${target.userId}`;
export const twilioStream = (conversationSid: string) => `twilio:conversation:${conversationSid}`;
export const casePostStream = (caseNumber: number) => `discord:case-post:${caseNumber}`;

/**
 * Outbox items for a Discord message: long text becomes several messages (split at 2000 chars on
 * word/Markdown boundaries), embeds and components ride on the last text part, and each file is
 * its own message so every item is one idempotent API call.
 */
export function discordMessageItems(key: string, message: DiscordMessagePayload): OutboxItem[] {
  const stream = discordStream(message);
  const target = message.channelId ? { channelId: message.channelId } : { userId: message.userId! };
  const texts = message.content ? splitMessage(message.content) : [];
  const items: OutboxItem[] = [];
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
      payload: { ...target, media: [file] },
    });
  });
  return items;
}

/**
 * Outbox items for a Conversations message. Flex shows no message with both text and a file ("You
 * cannot send both text and an image in the same message", for every Flex Conversations channel),
 * so the text is one message and each file follows as its own message without text, in order. The
 * first message keeps `key` (what an edit or a deletion of the source finds).
 *
 * @see https://www.twilio.com/docs/flex/developer/conversations/limits
 */
export function twilioMessageItems(
  key: string,
  message: Omit<TwilioMessagePayload, 'media'> & { media?: MediaRef[] },
): OutboxItem[] {
  const stream = twilioStream(message.conversationSid);
  const base = {
    conversationSid: message.conversationSid,
    author: message.author,
    ...(message.attributes ? { attributes: message.attributes } : {}),
  };
  const files = message.media ?? [];
  const text: OutboxItem[] =
    message.body || !files.length
      ? [{ key, stream, kind: 'twilio.message', payload: { ...base, body: message.body } }]
      : [];
  return [
    ...text,
    ...files.map(
      (media, index): OutboxItem => ({
        key: text.length || index ? `${key}:media:${index + text.length}` : key,
        stream,
        kind: 'twilio.message',
        payload: { ...base, body: '', media },
      }),
    ),
  ];
}

/** The item that refreshes a Conversation's attributes (the linked case, the member) from the database. */
export function conversationAttributesItem(key: string, conversationSid: string): OutboxItem {
  return {
    key,
    stream: twilioStream(conversationSid),
    kind: 'twilio.conversation-attributes',
    payload: { conversationSid },
  };
}

/** The item that completes a Flex task (ordered with the chat's other Twilio effects). */
export function taskCompleteItem(
  key: string,
  conversationSid: string,
  payload: TaskCompletePayload,
): OutboxItem {
  return { key, stream: twilioStream(conversationSid), kind: 'twilio.task-complete', payload };
}

/** The item that closes a chat's Interactions channel and completes its tasks. */
export function interactionCloseItem(
  key: string,
  conversationSid: string,
  payload: InteractionClosePayload,
): OutboxItem {
  return { key, stream: twilioStream(conversationSid), kind: 'twilio.interaction-close', payload };
}

/** The item that transfers a chat's Flex task (invite, then the first agent's part closed). */
export function interactionTransferItem(
  key: string,
  conversationSid: string,
  payload: InteractionTransferPayload,
): OutboxItem {
  return { key, stream: twilioStream(conversationSid), kind: 'twilio.interaction-transfer', payload };
}

/** The item that writes a survey's answer into the chat's Flex task attributes. */
export function taskAttributesItem(
  key: string,
  conversationSid: string,
  payload: TaskAttributesPayload,
): OutboxItem {
  return { key, stream: twilioStream(conversationSid), kind: 'twilio.task-attributes', payload };
}

/** The item that keeps an ended chat's transcript (after the chat's other Twilio effects). */
export function transcriptKeepItem(conversationSid: string): OutboxItem {
  return {
    key: `transcript:${conversationSid}`,
    stream: twilioStream(conversationSid),
    kind: 'twilio.transcript-keep',
    payload: { conversationSid },
  };
}
