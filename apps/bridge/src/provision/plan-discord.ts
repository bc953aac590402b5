import { type REST, Routes } from 'discord.js';
import { z } from 'zod';
import { GuildChannelSchema, RoleSchema } from '../adapters/discord/api-shapes.ts';
import type { Plan, PlannedAction } from './apply-plan.ts';
import { basePermissions, GuildSchema, get, hasPermission } from './discord-calls.ts';
import type { DiscordPlanContext } from './discord-plan-context.ts';
import { planAnnouncements } from './plan-announcements.ts';
import { planCommunityChannels } from './plan-community-channels.ts';
import { moderatorRoles, planModeratorRoles } from './plan-moderator-roles.ts';
import { planSlashCommands } from './plan-slash-commands.ts';
import type { DiscordProvisionOptions } from './provision-config.ts';
import { ProvisionError } from './provision-errors.ts';

const UserSchema = z.object({ id: z.string(), username: z.string() });
const MemberSchema = z.object({ roles: z.array(z.string()) });

export interface DiscordPlanInput {
  rest: REST;
  options: DiscordProvisionOptions;
  envFile: string;
  /** The guild to set up when it is not `DISCORD_GUILD_ID` (`--guild`). */
  guildId?: string | undefined;
}

/**
 * Reads the application and the guild and plans the Discord side: the slash commands (bulk
 * overwrite, left alone when identical), #announcements (members read; admins, the moderator roles and the bot post),
 * #bug-report and #feature-request (forums with the status/severity tags, text channels where the
 * guild has no forums), and `MODERATOR_ROLE_IDS`. Nothing is changed here; a permission the bot
 * lacks for a planned change is a {@link ProvisionError} naming it.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 * @see https://discord.com/developers/docs/resources/guild#create-guild-channel
 * @see https://discord.com/developers/docs/resources/channel#edit-channel-permissions
 * @see https://discord.com/developers/docs/topics/permissions
 */
export async function planDiscord(input: DiscordPlanInput): Promise<Plan> {
  const { rest, options } = input;
  const user = UserSchema.parse(await get(rest, Routes.user('@me'), 'the bot user'));
  const actions: PlannedAction[] = [await planSlashCommands(rest, options)];
  const warnings: string[] = [];

  const guildId = input.guildId ?? options.DISCORD_GUILD_ID ?? (await onlyGuild(rest));
  const guild = GuildSchema.parse(await get(rest, Routes.guild(guildId), `guild ${guildId}`));
  const channels = z
    .array(GuildChannelSchema)
    .parse(await get(rest, Routes.guildChannels(guild.id), 'the channels'));
  const roles = z.array(RoleSchema).parse(await get(rest, Routes.guildRoles(guild.id), 'the roles'));
  const botRoles = MemberSchema.parse(
    await get(rest, Routes.guildMember(guild.id, user.id), "the bot's roles"),
  ).roles;
  const needs = new Map<string, string[]>();
  const ctx: DiscordPlanContext = {
    rest,
    guild,
    channels,
    roles,
    bot: { ...user, roleIds: botRoles },
    inGuild: `in "${guild.name}"`,
    actions,
    warnings,
    need: (permission, why) => needs.set(permission, [...(needs.get(permission) ?? []), why]),
  };
  const moderators = moderatorRoles(ctx, options.MODERATOR_ROLE_IDS);
  planAnnouncements(ctx, moderators.ids);
  planCommunityChannels(ctx, options.FORUM_TAGS);
  planModeratorRoles(ctx, moderators, input.envFile);

  // Refuse before changing anything when the bot cannot make the planned changes.
  const botPermissions = basePermissions(guild, roles, user.id, botRoles);
  const inGuild = ctx.inGuild;
  const bot = user;
  const missing = [...needs].filter(([permission]) => !hasPermission(botPermissions, permission));
  if (missing.length) {
    const list = missing.map(([permission, why]) => `${permission} (to ${why.join(', ')})`).join('; ');
    throw new ProvisionError(
      'DISCORD_MISSING_PERMISSION',
      `The bot lacks ${list} ${inGuild}. Fix: Server Settings → Roles → "${roles.find((role) => botRoles.includes(role.id) && role.managed)?.name ?? bot.username}" → ` +
        `turn on ${missing.map(([permission]) => permission).join(' and ')} (or re-invite the bot with the permissions in docs/deploy.md), then run provisioning again. Nothing was changed.`,
    );
  }
  return { actions, warnings };
}

async function onlyGuild(rest: REST): Promise<string> {
  const guilds = z
    .array(z.object({ id: z.string(), name: z.string() }))
    .parse(await get(rest, Routes.userGuilds(), "the bot's guilds"));
  if (guilds.length === 1 && guilds[0]) return guilds[0].id;
  throw new ProvisionError(
    'DISCORD_GUILD',
    guilds.length
      ? `The bot is in ${guilds.length} guilds (${guilds.map((guild) => `${guild.name} ${guild.id}`).join(', ')}): set DISCORD_GUILD_ID or pass --guild <id>.`
      : 'The bot is in no guild: invite it with the URL in docs/deploy.md (scopes bot applications.commands), then run provisioning again.',
  );
}
