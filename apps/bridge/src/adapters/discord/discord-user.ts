import type { DiscordUser } from '@flexcord/contracts';
import type { User } from 'discord.js';
import { safeText } from '../../infrastructure/util/safe-text.ts';

/** The member as the bridge stores and shows them. */
export function toDiscordUser(user: User): DiscordUser {
  return {
    id: user.id,
    username: safeText(user.username),
    displayName: safeText(user.globalName ?? user.username),
    avatarUrl: user.displayAvatarURL({ size: 128 }),
  };
}
