import { OverwriteType } from 'discord.js';
import { z } from 'zod';

/**
 * The parts of Discord's channel and role objects the bridge reads back from REST (channel
 * checks, provisioning), parsed at that trust boundary.
 *
 * @see https://discord.com/developers/docs/resources/channel#channel-object
 */
export const PermissionOverwriteSchema = z.object({
  id: z.string(),
  type: z.enum(OverwriteType),
  allow: z.string(),
  deny: z.string(),
});

export const ForumTagSchema = z.object({
  id: z.string(),
  name: z.string(),
  moderated: z.boolean().default(false),
  emoji_id: z.string().nullish(),
  emoji_name: z.string().nullish(),
});

export const GuildChannelSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  type: z.number().int(),
  guild_id: z.string().optional(),
  permission_overwrites: z.array(PermissionOverwriteSchema).default([]),
  available_tags: z.array(ForumTagSchema).optional(),
});

/** @see https://discord.com/developers/docs/topics/permissions#role-object */
export const RoleSchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.string(),
  managed: z.boolean().default(false),
});
