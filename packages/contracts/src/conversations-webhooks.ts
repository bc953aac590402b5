import { z } from 'zod';
import { jsonString, twilioSid } from './json-string.ts';

/**
 * Twilio Conversations post-event webhooks, as the form fields Twilio POSTs (signed with
 * X-Twilio-Signature). Field names are exactly as on the wire.
 *
 * @see https://www.twilio.com/docs/conversations/conversations-webhooks
 */
const WebhookCommonSchema = z.object({
  AccountSid: twilioSid('AC'),
  ChatServiceSid: twilioSid('IS'),
  ConversationSid: twilioSid('CH'),
  /** `SDK` for actions taken in a client (a Flex agent's UI), `API` for REST, Studio and bots. */
  Source: z.enum(['SDK', 'API', 'SMS', 'WHATSAPP', 'EMAIL']).or(z.string()),
  ClientIdentity: z.string().optional(),
  RetryCount: z.coerce.number().int().nonnegative().optional(),
  WebhookSid: z.string().optional(),
  WebhookType: z.string().optional(),
});

/** One media item of a message, as in the webhook's `Media` JSON string. */
export const WebhookMediaSchema = z.object({
  Sid: twilioSid('ME'),
  ContentType: z.string(),
  Filename: z.string().nullable().optional(),
  Size: z.coerce.number().int().nonnegative(),
});
export type WebhookMedia = z.infer<typeof WebhookMediaSchema>;

/**
 * A message's or participant's `Attributes`, a JSON string. Twilio stores any JSON there, and an
 * agent's UI or an integration may write `"hello"`, `null`, `5` or a list: anything but an object
 * (or text that is not JSON) counts as no attributes, so one odd message never stops a chat.
 *
 * @see https://www.twilio.com/docs/conversations/api/conversation-message-resource
 */
export const MessageAttributesSchema = z
  .string()
  .transform((value): unknown => {
    try {
      return JSON.parse(value);
    } catch {
      return {};
    }
  })
  .pipe(z.record(z.string(), z.unknown()).catch({}));

const AttributesSchema = MessageAttributesSchema;

export const OnMessageAddedSchema = WebhookCommonSchema.extend({
  EventType: z.literal('onMessageAdded'),
  MessageSid: twilioSid('IM'),
  Index: z.coerce.number().int().nonnegative(),
  Author: z.string(),
  ParticipantSid: z.string().optional(),
  Body: z.string().default(''),
  Attributes: AttributesSchema.default({}),
  Media: jsonString(z.array(WebhookMediaSchema)).optional(),
  DateCreated: z.string(),
});
export type OnMessageAdded = z.infer<typeof OnMessageAddedSchema>;

/** A message's body or attributes changed (an agent edited it). */
export const OnMessageUpdatedSchema = OnMessageAddedSchema.extend({
  EventType: z.literal('onMessageUpdated'),
  DateUpdated: z.string(),
});
export type OnMessageUpdated = z.infer<typeof OnMessageUpdatedSchema>;

/** A message was removed from the conversation. */
export const OnMessageRemovedSchema = OnMessageAddedSchema.extend({
  EventType: z.literal('onMessageRemoved'),
  DateRemoved: z.string(),
});
export type OnMessageRemoved = z.infer<typeof OnMessageRemovedSchema>;

const ParticipantEventFields = {
  ParticipantSid: twilioSid('MB'),
  Identity: z.string().optional(),
  RoleSid: z.string().optional(),
  Attributes: AttributesSchema.default({}),
  DateCreated: z.string().optional(),
};

export const OnParticipantAddedSchema = WebhookCommonSchema.extend({
  EventType: z.literal('onParticipantAdded'),
  ...ParticipantEventFields,
});
export type OnParticipantAdded = z.infer<typeof OnParticipantAddedSchema>;

export const OnParticipantRemovedSchema = WebhookCommonSchema.extend({
  EventType: z.literal('onParticipantRemoved'),
  ...ParticipantEventFields,
});
export type OnParticipantRemoved = z.infer<typeof OnParticipantRemovedSchema>;

export const ConversationStateSchema = z.enum(['active', 'inactive', 'closed']);
export type ConversationState = z.infer<typeof ConversationStateSchema>;

export const OnConversationStateUpdatedSchema = WebhookCommonSchema.extend({
  EventType: z.literal('onConversationStateUpdated'),
  StateFrom: ConversationStateSchema,
  StateTo: ConversationStateSchema,
  Reason: z.string().optional(),
  DateUpdated: z.string().optional(),
});
export type OnConversationStateUpdated = z.infer<typeof OnConversationStateUpdatedSchema>;

/** Any Conversations post-event webhook the bridge subscribes to, keyed by `EventType`. */
export const ConversationsWebhookSchema = z.discriminatedUnion('EventType', [
  OnMessageAddedSchema,
  OnMessageUpdatedSchema,
  OnMessageRemovedSchema,
  OnParticipantAddedSchema,
  OnParticipantRemovedSchema,
  OnConversationStateUpdatedSchema,
]);
export type ConversationsWebhook = z.infer<typeof ConversationsWebhookSchema>;

/** The webhook filters the bridge registers on each conversation. */
export const BRIDGE_WEBHOOK_FILTERS = [
  'onMessageAdded',
  'onMessageUpdated',
  'onMessageRemoved',
  'onParticipantAdded',
  'onParticipantRemoved',
  'onConversationStateUpdated',
] as const satisfies readonly ConversationsWebhook['EventType'][];
