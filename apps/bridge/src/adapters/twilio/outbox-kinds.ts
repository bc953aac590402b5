import { z } from 'zod';
import { type MediaRef, MediaRefSchema } from '../../domain/chat/media-ref.ts';
import {
  defineKind,
  type KindItem,
  type OutboxKindDefinition,
  oneRowKind,
} from '../../infrastructure/outbox/kind-registry.ts';

/**
 * The outbox kinds Twilio delivers (`deliver-twilio.ts`, `deliver-flex.ts`,
 * `deliver-triage-task.ts`; the transcript is kept by the chat's transcripts), with the schema of
 * each payload. A chat's effects share its Conversation's stream, so they keep their order.
 */

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

/**
 * Follow a member's edit or deletion of a message the bridge relayed into the Conversation (the
 * item with `sourceKey`, and its parts). Enqueued in the source's stream, so it never overtakes it.
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

/** The chat a Twilio effect belongs to: its Conversation. */
export interface ChatAddress {
  conversationSid: string;
}

export const twilioStream = (conversationSid: string) => `twilio:conversation:${conversationSid}`;
const chatStream = (chat: ChatAddress) => twilioStream(chat.conversationSid);

/** What a Conversations message is enqueued as: its files as a list (each becomes a message of its own). */
export type TwilioMessageInput = Omit<TwilioMessagePayload, 'media'> & { media?: MediaRef[] };

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
  message: TwilioMessageInput,
): KindItem<TwilioMessagePayload>[] {
  const stream = twilioStream(message.conversationSid);
  const base = {
    conversationSid: message.conversationSid,
    author: message.author,
    ...(message.attributes ? { attributes: message.attributes } : {}),
  };
  const files = message.media ?? [];
  const text: KindItem<TwilioMessagePayload>[] =
    message.body || !files.length ? [{ key, stream, payload: { ...base, body: message.body } }] : [];
  return [
    ...text,
    ...files.map(
      (media, index): KindItem<TwilioMessagePayload> => ({
        key: text.length || index ? `${key}:media:${index + text.length}` : key,
        stream,
        payload: { ...base, body: '', media },
      }),
    ),
  ];
}

/**
 * A Flex effect of a chat (its task, its Interactions channel): enqueued with the chat's
 * `conversationSid`, so it is ordered with the chat's other Twilio effects; its payload is the
 * effect alone.
 */
function chatEffectKind<Payload extends object>(
  schema: z.ZodType<Payload>,
): OutboxKindDefinition<Payload & ChatAddress, Payload, ChatAddress> {
  return {
    schema,
    stream: chatStream,
    items: (key, { conversationSid, ...effect }) => [
      { key, stream: twilioStream(conversationSid), payload: effect as unknown as Payload },
    ],
  };
}

/** Twilio's kinds, as the composition root registers them. */
export const TWILIO_OUTBOX_KINDS = {
  'twilio.message': defineKind({
    schema: TwilioMessagePayloadSchema,
    stream: chatStream,
    items: twilioMessageItems,
  }),
  'twilio.conversation-attributes': oneRowKind(TwilioAttributesPayloadSchema, chatStream),
  'twilio.message-update': oneRowKind(TwilioMessageUpdatePayloadSchema, chatStream),
  'twilio.message-remove': oneRowKind(TwilioMessageRemovePayloadSchema, chatStream),
  'twilio.task-complete': chatEffectKind(TaskCompletePayloadSchema),
  'twilio.interaction-close': chatEffectKind(InteractionClosePayloadSchema),
  'twilio.interaction-transfer': chatEffectKind(InteractionTransferPayloadSchema),
  'twilio.task-attributes': chatEffectKind(TaskAttributesPayloadSchema),
  'twilio.triage-task': oneRowKind(TriageTaskPayloadSchema, (task) => `twilio:triage:${task.caseNumber}`),
  'twilio.transcript-keep': oneRowKind(TranscriptKeepPayloadSchema, chatStream),
};
export type TwilioOutboxKinds = typeof TWILIO_OUTBOX_KINDS;

declare module '../../infrastructure/outbox/kind-registry.ts' {
  interface OutboxKinds extends TwilioOutboxKinds {}
}
