import { z } from 'zod';
import { SnowflakeSchema, twilioSid } from './json-string.ts';

/** The Discord member behind a conversation, case or task: ids plus what an agent needs to see. */
export const DiscordUserSchema = z.object({
  id: SnowflakeSchema,
  username: z.string().min(1),
  displayName: z.string().min(1),
  avatarUrl: z.url().nullable(),
});
export type DiscordUser = z.infer<typeof DiscordUserSchema>;

/**
 * The attributes the bridge sets on each member's Conversation. Studio exposes them to the flow as
 * `trigger.conversation.ChannelAttributes`; Flex shows them to the agent.
 */
export const ConversationAttributesSchema = z.object({
  channelType: z.literal('discord'),
  discord: z.object({
    userId: SnowflakeSchema,
    username: z.string(),
    displayName: z.string(),
    avatarUrl: z.url().nullable(),
    dmChannelId: SnowflakeSchema,
    guildId: SnowflakeSchema.nullable(),
    locale: z.string().optional(),
  }),
  caseNumber: z.number().int().positive().optional(),
});
export type ConversationAttributes = z.infer<typeof ConversationAttributesSchema>;

/**
 * The value of {@link FLEXCORD_CHANNEL_ATTRIBUTE} on every Flex task Flexcord makes: a Discord chat
 * (from `flows/discord-inbound.json`'s send-to-flex) and its transfers.
 */
export const FLEXCORD_CHANNEL_TYPE = 'discord';

/**
 * The task attribute Flexcord recognises its tasks by. Flex owns `channelType` on Conversations
 * tasks and writes the interaction channel's type there (`web` for a chat), whatever Studio's Send
 * to Flex set; `customChannelType` is left alone, and is the name the Flex community uses for it.
 *
 * @see https://github.com/techmatters/flex-plugins/pull/2320
 * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api#response
 */
export const FLEXCORD_CHANNEL_ATTRIBUTE = 'customChannelType';

/**
 * Whether a Flex task is a Flexcord (Discord) chat: `customChannelType: 'discord'`, or — on a task
 * made before Flexcord set it, or by a Flex that kept Studio's value — `channelType: 'discord'`.
 */
export function isFlexcordTask(attributes: Readonly<Record<string, unknown>> | null | undefined): boolean {
  if (!attributes) return false;
  return (
    attributes[FLEXCORD_CHANNEL_ATTRIBUTE] === FLEXCORD_CHANNEL_TYPE ||
    attributes.channelType === FLEXCORD_CHANNEL_TYPE
  );
}

/**
 * Task attributes of a Discord chat in Flex, rendered by `flows/discord-inbound.json`'s send-to-flex
 * widget, with what Flex writes itself (`channelType`, `conversations`, the interaction SIDs,
 * `initiatedBy`, `direction`). A task is Flexcord's when {@link isFlexcordTask} says so.
 */
export const DiscordTaskAttributesSchema = z
  .object({
    customChannelType: z.literal(FLEXCORD_CHANNEL_TYPE).optional(),
    channelType: z.string().optional(),
    conversationSid: twilioSid('CH'),
    caseNumber: z.coerce.number().int().positive().optional(),
    discordUserId: SnowflakeSchema,
    discordUsername: z.string(),
    discordAvatarUrl: z.string().optional(),
    customerName: z.string().optional(),
    from: z.string().optional(),
    name: z.string().optional(),
    direction: z.string().optional(),
    initiatedBy: z.string().optional(),
    flexInteractionSid: z.string().optional(),
    flexInteractionChannelSid: z.string().optional(),
  })
  .loose()
  .refine(isFlexcordTask, {
    message: `not a Flexcord task: ${FLEXCORD_CHANNEL_ATTRIBUTE} (or channelType) is not "${FLEXCORD_CHANNEL_TYPE}"`,
  });
export type DiscordTaskAttributes = z.infer<typeof DiscordTaskAttributesSchema>;

/** The participant identity of a Discord member in a Conversation (no PII, just the id). */
export function discordIdentity(userId: string): `discord:${string}` {
  return `discord:${userId}`;
}

/** The Discord user id of a `discord:<id>` identity, or `null` for any other identity. */
export function discordUserIdOf(identity: string | undefined | null): string | null {
  const id = identity?.startsWith('discord:') ? identity.slice('discord:'.length) : null;
  return id !== null && SnowflakeSchema.safeParse(id).success ? id : null;
}
