import type { DiscordUser } from '@flexcord/contracts';
import type { User } from 'discord.js';

/** The member as the bridge stores and shows them. */
export function toDiscordUser(user: User): DiscordUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.globalName ?? user.username,
    avatarUrl: user.displayAvatarURL({ size: 128 }),
  };
}
