import { DiscordAPIError, PermissionFlagsBits, type REST, RESTJSONErrorCodes } from 'discord.js';
import { z } from 'zod';
import type { RoleSchema } from '../adapters/discord/api-shapes.ts';
import { ProvisionError } from './provision-errors.ts';

export const GuildSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner_id: z.string(),
  features: z.array(z.string()),
});
export type Guild = z.infer<typeof GuildSchema>;

const PERMISSIONS: Record<string, bigint> = {
  'Manage Channels': PermissionFlagsBits.ManageChannels,
  'Manage Roles': PermissionFlagsBits.ManageRoles,
};

export function hasPermission(permissions: bigint, name: string): boolean {
  const flag = PERMISSIONS[name] ?? 0n;
  return (permissions & flag) === flag;
}

export function basePermissions(
  guild: Guild,
  roles: z.infer<typeof RoleSchema>[],
  userId: string,
  roleIds: string[],
): bigint {
  if (guild.owner_id === userId) return ~0n;
  const held = new Set([guild.id, ...roleIds]);
  const permissions = roles
    .filter((role) => held.has(role.id))
    .reduce((sum, role) => sum | BigInt(role.permissions), 0n);
  return (permissions & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator
    ? ~0n
    : permissions;
}

/**
 * A Discord API failure as a {@link ProvisionError} that says what to do: 401 is a bad token,
 * 50013 a permission the bot lacks (named by the caller), 50001 a channel the bot cannot see.
 *
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 */
export function discordError(error: unknown, what: string, permission?: string): ProvisionError {
  if (error instanceof ProvisionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: unknown }).status;
  const code = error instanceof DiscordAPIError ? error.code : undefined;
  if (status === 401) {
    return new ProvisionError(
      'DISCORD_AUTH',
      `Discord refused the bot token (401) to ${what}: check DISCORD_TOKEN (Developer Portal → your application → Bot → Reset Token).`,
      { cause: error, status: 401 },
    );
  }
  if (code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.MissingAccess) {
    return new ProvisionError(
      'DISCORD_MISSING_PERMISSION',
      `Discord refused to ${what} (${code} ${message}): the bot lacks ${permission ?? 'a permission'}. ` +
        "Give the bot's role that permission (Server Settings → Roles) or re-invite it with the permissions in docs/deploy.md.",
      { cause: error, status: typeof status === 'number' ? status : 403 },
    );
  }
  return new ProvisionError(
    'DISCORD_API',
    `Discord failed to ${what} (${code ?? status ?? '?'}: ${message})`,
    {
      cause: error,
      ...(typeof status === 'number' ? { status } : {}),
    },
  );
}

export async function call<T>(run: () => Promise<T>, what: string, permission?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw discordError(error, what, permission);
  }
}

export function get(rest: REST, route: `/${string}`, what: string): Promise<unknown> {
  return call(() => rest.get(route), `read ${what}`);
}
