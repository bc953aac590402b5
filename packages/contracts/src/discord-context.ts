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
 * Task attributes of a Discord chat in Flex, rendered by `flows/discord-inbound.json`'s send-to-flex
 * widget; the Flex plugin recognises Discord tasks by `channelType`.
 */
export const DiscordTaskAttributesSchema = z
  .object({
    channelType: z.literal('discord'),
    conversationSid: twilioSid('CH'),
    caseNumber: z.coerce.number().int().positive().optional(),
    discordUserId: SnowflakeSchema,
    discordUsername: z.string(),
    discordAvatarUrl: z.string().optional(),
    customerName: z.string().optional(),
    from: z.string().optional(),
    name: z.string().optional(),
    direction: z.string().optional(),
    flexInteractionSid: z.string().optional(),
    flexInteractionChannelSid: z.string().optional(),
  })
  .loose();
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
