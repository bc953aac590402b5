import { type REST, Routes } from 'discord.js';
import { z } from 'zod';
import { slashCommands } from '../adapters/discord/commands.ts';
import type { PlannedAction } from './apply-plan.ts';
import { call, get } from './discord-calls.ts';
import type { DiscordProvisionOptions } from './provision-config.ts';

const CommandListSchema = z.array(z.record(z.string(), z.unknown()));

/** The slash commands: a bulk overwrite (guild or global), left alone when Discord holds the same ones. */
export async function planSlashCommands(
  rest: REST,
  options: DiscordProvisionOptions,
): Promise<PlannedAction> {
  const side = 'discord' as const;
  const commandsRoute = options.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(options.DISCORD_APPLICATION_ID, options.DISCORD_GUILD_ID)
    : Routes.applicationCommands(options.DISCORD_APPLICATION_ID);
  const scope = options.DISCORD_GUILD_ID ? `guild ${options.DISCORD_GUILD_ID}` : 'global';
  const wanted = slashCommands();
  const registered = CommandListSchema.parse(await get(rest, commandsRoute, 'the registered slash commands'));
  const names = wanted.map((command) => `/${command.name}`).join(' ');
  if (sameCommands(wanted, registered, { guild: options.DISCORD_GUILD_ID !== undefined })) {
    return { side, resource: `Slash commands (${scope})`, action: 'unchanged', detail: names };
  }
  return {
    side,
    resource: `Slash commands (${scope})`,
    action: registered.length ? 'update' : 'create',
    detail: registered.length
      ? `overwrite ${registered.length} registered with ${names}`
      : `register ${names}${options.DISCORD_GUILD_ID ? '' : ' (global commands can take up to an hour to show)'}`,
    apply: async () => {
      await call(() => rest.put(commandsRoute, { body: wanted }), 'register the slash commands');
      return `registered ${names} (${scope})`;
    },
  };
}

/**
 * The slash commands Discord holds are the wanted ones (ignoring the fields Discord adds). Guild
 * commands have no `contexts`/`integration_types` (those are for global commands), so they are not
 * compared there.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */
export function sameCommands(
  wanted: readonly object[],
  registered: Record<string, unknown>[],
  scope: { guild: boolean },
): boolean {
  if (wanted.length !== registered.length) return false;
  return wanted.every((command) => {
    const { contexts, integration_types, ...guildFields } = command as Record<string, unknown>;
    const compared = scope.guild
      ? guildFields
      : {
          ...guildFields,
          ...(contexts === undefined ? {} : { contexts }),
          ...(integration_types === undefined ? {} : { integration_types }),
        };
    const match = registered.find((candidate) => candidate.name === compared.name);
    return match !== undefined && covers(compared, match);
  });
}

/** Every field set in `wanted` has the same value in `actual`; empty/false/null and absent are alike. */
function covers(wanted: unknown, actual: unknown): boolean {
  if (isBlank(wanted)) return isBlank(actual);
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) return false;
    const sortable = wanted.every((item) => typeof item !== 'object');
    const [left, right] = sortable ? [[...wanted].sort(), [...actual].sort()] : [wanted, actual];
    return left.every((item, index) => covers(item, right[index]));
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(wanted).every(([key, value]) =>
      covers(value, (actual as Record<string, unknown>)[key]),
    );
  }
  return String(wanted) === String(actual);
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}
