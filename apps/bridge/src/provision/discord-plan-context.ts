import type { REST } from 'discord.js';
import type { z } from 'zod';
import type { GuildChannelSchema, RoleSchema } from '../adapters/discord/api-shapes.ts';
import type { PlannedAction } from './apply-plan.ts';
import type { Guild } from './discord-calls.ts';

export type Channel = z.infer<typeof GuildChannelSchema>;
export type Role = z.infer<typeof RoleSchema>;

/** What every part of the Discord plan reads (the guild as it is) and adds to (actions, warnings, permissions needed). */
export interface DiscordPlanContext {
  rest: REST;
  guild: Guild;
  channels: Channel[];
  roles: Role[];
  bot: { id: string; username: string; roleIds: string[] };
  /** `in "Guild name"`, for the resources' names. */
  inGuild: string;
  actions: PlannedAction[];
  warnings: string[];
  /** Records a permission the bot needs for a planned change, and why. */
  need(permission: string, why: string): void;
}

/** `@Role name` for a role id. */
export function roleLabel(roles: readonly Role[], id: string): string {
  return `@${roles.find((role) => role.id === id)?.name ?? id}`;
}
