import { PermissionFlagsBits } from 'discord.js';
import type { DiscordPlanContext, Role } from './discord-plan-context.ts';
import { writeEnvFile } from './env-file.ts';

/** The moderator roles: the configured ones (`MODERATOR_ROLE_IDS`), and the roles that look like moderators. */
export interface ModeratorRoles {
  configured: string[];
  /** Roles named Moderator/Mod or holding Manage Messages. */
  lookalikes: Role[];
  /** The roles treated as moderators: the configured ones that exist, else the lookalikes. */
  ids: string[];
}

export function moderatorRoles(
  ctx: Pick<DiscordPlanContext, 'guild' | 'roles'>,
  setting: string,
): ModeratorRoles {
  const { guild, roles } = ctx;
  const configured = setting
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const lookalikes = roles.filter(
    (role) =>
      role.id !== guild.id &&
      !role.managed &&
      (/^(moderators?|mods?)$/i.test(role.name) ||
        (BigInt(role.permissions) & PermissionFlagsBits.ManageMessages) ===
          PermissionFlagsBits.ManageMessages),
  );
  const ids = configured.length
    ? configured.filter((id) => roles.some((role) => role.id === id))
    : lookalikes.map((role) => role.id);
  return { configured, lookalikes, ids };
}

/** Reports the configured moderator roles, or writes the lookalikes to the env file as `MODERATOR_ROLE_IDS`. */
export function planModeratorRoles(ctx: DiscordPlanContext, found: ModeratorRoles, envFile: string): void {
  const { guild, roles, actions, warnings } = ctx;
  const side = 'discord' as const;
  const { configured, lookalikes: moderators } = found;
  const label = (ids: string[]) =>
    ids.map((id) => `@${roles.find((role) => role.id === id)?.name ?? `unknown ${id}`}`).join(', ');
  if (configured.length) {
    const unknown = configured.filter((id) => !roles.some((role) => role.id === id));
    if (unknown.length)
      warnings.push(`MODERATOR_ROLE_IDS names roles that are not in "${guild.name}": ${unknown.join(', ')}`);
    actions.push({
      side,
      resource: 'Moderator roles',
      action: 'unchanged',
      detail: `MODERATOR_ROLE_IDS is set: ${label(configured)}`,
    });
  } else if (!moderators.length) {
    actions.push({
      side,
      resource: 'Moderator roles',
      action: 'unchanged',
      detail: 'no role named Moderator/Mod',
    });
    warnings.push(
      `No moderator role in "${guild.name}" (named Moderator or Mod, or holding Manage Messages): only members with Manage Messages can use /new_feature. Create one and run again, or set MODERATOR_ROLE_IDS.`,
    );
  } else {
    const line = `MODERATOR_ROLE_IDS=${moderators.map((role) => role.id).join(',')}`;
    actions.push({
      side,
      resource: 'Moderator roles',
      action: 'update',
      detail: `${label(moderators.map((role) => role.id))} → ${envFile}: ${line}`,
      apply: async () => {
        writeEnvFile(envFile, { MODERATOR_ROLE_IDS: moderators.map((role) => role.id).join(',') });
        return `wrote ${line}`;
      },
    });
  }
}
