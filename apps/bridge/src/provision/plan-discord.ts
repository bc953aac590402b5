import { BugSeveritySchema } from '@flexcord/contracts';
import {
  type APIOverwrite,
  ChannelType,
  DiscordAPIError,
  OverwriteType,
  PermissionFlagsBits,
  type REST,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import { z } from 'zod';
import { STAGE_TAGS, STATUS_TAGS } from '../community/public-posts.ts';
import { announcementsChannelProblems } from '../discord/announcements-channel-check.ts';
import { GuildChannelSchema, RoleSchema } from '../discord/api-shapes.ts';
import { slashCommands } from '../discord/commands.ts';
import type { Plan, PlannedAction } from './apply-plan.ts';
import { writeEnvFile } from './env-file.ts';
import type { DiscordProvisionOptions } from './provision-config.ts';
import { ProvisionError } from './provision-errors.ts';

const { ViewChannel, SendMessages, SendMessagesInThreads, CreatePublicThreads, EmbedLinks, ManageMessages } =
  PermissionFlagsBits;
/** What @everyone may not do in #announcements. */
export const ANNOUNCEMENTS_EVERYONE_DENY = SendMessages | SendMessagesInThreads | CreatePublicThreads;
/** What the bot is explicitly allowed in #announcements (its @everyone deny would otherwise apply). */
export const ANNOUNCEMENTS_BOT_ALLOW = ViewChannel | SendMessages | SendMessagesInThreads | EmbedLinks;
/** What the moderator roles are allowed in #announcements: they post there, with the admins. */
export const ANNOUNCEMENTS_MODERATOR_ALLOW = SendMessages | SendMessagesInThreads;

const STATUS_TAG_NAMES = [...new Set([...Object.values(STATUS_TAGS), ...Object.values(STAGE_TAGS)])];
/** The community channels and the forum tags the bridge applies on their posts. */
export const COMMUNITY_CHANNELS = [
  {
    name: 'bug-report',
    topic:
      'Official bug reports, filed with /bug. Status and severity are kept up to date by the support team.',
    tags: [...STATUS_TAG_NAMES, ...BugSeveritySchema.options],
  },
  {
    name: 'feature-request',
    topic: 'Official feature requests, filed by moderators with /new_feature.',
    tags: STATUS_TAG_NAMES,
  },
] as const;

const ChannelSchema = GuildChannelSchema;
type Channel = z.infer<typeof ChannelSchema>;
const GuildSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner_id: z.string(),
  features: z.array(z.string()),
});
const UserSchema = z.object({ id: z.string(), username: z.string() });
const MemberSchema = z.object({ roles: z.array(z.string()) });
const CommandListSchema = z.array(z.record(z.string(), z.unknown()));

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
  const side = 'discord' as const;
  const actions: PlannedAction[] = [];
  const warnings: string[] = [];

  const bot = UserSchema.parse(await get(rest, Routes.user('@me'), 'the bot user'));

  // Slash commands.
  const commandsRoute = options.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(options.DISCORD_APPLICATION_ID, options.DISCORD_GUILD_ID)
    : Routes.applicationCommands(options.DISCORD_APPLICATION_ID);
  const scope = options.DISCORD_GUILD_ID ? `guild ${options.DISCORD_GUILD_ID}` : 'global';
  const wanted = slashCommands();
  const registered = CommandListSchema.parse(await get(rest, commandsRoute, 'the registered slash commands'));
  const names = wanted.map((command) => `/${command.name}`).join(' ');
  if (sameCommands(wanted, registered, { guild: options.DISCORD_GUILD_ID !== undefined })) {
    actions.push({ side, resource: `Slash commands (${scope})`, action: 'unchanged', detail: names });
  } else {
    actions.push({
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
    });
  }

  // The guild.
  const guildId = input.guildId ?? options.DISCORD_GUILD_ID ?? (await onlyGuild(rest));
  const guild = GuildSchema.parse(await get(rest, Routes.guild(guildId), `guild ${guildId}`));
  const channels = z
    .array(ChannelSchema)
    .parse(await get(rest, Routes.guildChannels(guild.id), 'the channels'));
  const roles = z.array(RoleSchema).parse(await get(rest, Routes.guildRoles(guild.id), 'the roles'));
  const botRoles = MemberSchema.parse(
    await get(rest, Routes.guildMember(guild.id, bot.id), "the bot's roles"),
  ).roles;
  const botPermissions = basePermissions(guild, roles, bot.id, botRoles);
  const needs = new Map<string, string[]>();
  const need = (permission: string, why: string) =>
    needs.set(permission, [...(needs.get(permission) ?? []), why]);
  const inGuild = `in "${guild.name}"`;

  // Moderator roles (MODERATOR_ROLE_IDS, else the roles that look like moderators).
  const configured = options.MODERATOR_ROLE_IDS.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const moderators = roles.filter(
    (role) =>
      role.id !== guild.id &&
      !role.managed &&
      (/^(moderators?|mods?)$/i.test(role.name) ||
        (BigInt(role.permissions) & ManageMessages) === ManageMessages),
  );
  const moderatorRoleIds = configured.length
    ? configured.filter((id) => roles.some((role) => role.id === id))
    : moderators.map((role) => role.id);

  // #announcements: members read, the bot and the moderators post.
  const announcements = channels.find(
    (channel) =>
      channel.name === 'announcements' &&
      (channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement),
  );
  const everyoneOverwrite = (current: APIOverwrite | undefined): APIOverwrite => ({
    id: guild.id,
    type: OverwriteType.Role,
    allow: (BigInt(current?.allow ?? '0') & ~ANNOUNCEMENTS_EVERYONE_DENY).toString(),
    deny: (BigInt(current?.deny ?? '0') | ANNOUNCEMENTS_EVERYONE_DENY).toString(),
  });
  const botOverwrite = (current: APIOverwrite | undefined): APIOverwrite => ({
    id: bot.id,
    type: OverwriteType.Member,
    allow: (BigInt(current?.allow ?? '0') | ANNOUNCEMENTS_BOT_ALLOW).toString(),
    deny: (BigInt(current?.deny ?? '0') & ~ANNOUNCEMENTS_BOT_ALLOW).toString(),
  });
  const moderatorOverwrite = (roleId: string, current: APIOverwrite | undefined): APIOverwrite => ({
    id: roleId,
    type: OverwriteType.Role,
    allow: (BigInt(current?.allow ?? '0') | ANNOUNCEMENTS_MODERATOR_ALLOW).toString(),
    deny: (BigInt(current?.deny ?? '0') & ~ANNOUNCEMENTS_MODERATOR_ALLOW).toString(),
  });
  const roleName = (id: string) => `@${roles.find((role) => role.id === id)?.name ?? id}`;
  const posters = ['the bot', ...moderatorRoleIds.map(roleName)].join(', ');
  let announcementsAfter: Channel;
  if (!announcements) {
    const overwrites = [
      everyoneOverwrite(undefined),
      botOverwrite(undefined),
      ...moderatorRoleIds.map((id) => moderatorOverwrite(id, undefined)),
    ];
    announcementsAfter = {
      id: '(new)',
      name: 'announcements',
      type: ChannelType.GuildText,
      permission_overwrites: overwrites,
    };
    need('Manage Channels', 'create #announcements');
    need('Manage Roles', "set #announcements' permissions");
    actions.push({
      side,
      resource: `#announcements ${inGuild}`,
      action: 'create',
      detail: `text channel; @everyone may not post, ${posters} may`,
      apply: async () => {
        const created = ChannelSchema.parse(
          await call(
            () =>
              rest.post(Routes.guildChannels(guild.id), {
                body: {
                  name: 'announcements',
                  type: ChannelType.GuildText,
                  topic: 'Official news. Only the team (and the Flexcord bot) can post here.',
                  permission_overwrites: overwrites,
                },
              }),
            'create #announcements',
            'Manage Channels and Manage Roles',
          ),
        );
        return `created ${created.id}; @everyone may not post, ${posters} may`;
      },
    });
  } else {
    const current = announcements.permission_overwrites;
    const everyone = current.find((overwrite) => overwrite.id === guild.id);
    const botCurrent = current.find(
      (overwrite) => overwrite.id === bot.id && overwrite.type === OverwriteType.Member,
    );
    const wantedEveryone = everyoneOverwrite(everyone);
    const wantedBot = botOverwrite(botCurrent);
    const changes: APIOverwrite[] = [];
    if (!everyone || everyone.allow !== wantedEveryone.allow || everyone.deny !== wantedEveryone.deny)
      changes.push(wantedEveryone);
    if (!botCurrent || botCurrent.allow !== wantedBot.allow || botCurrent.deny !== wantedBot.deny)
      changes.push(wantedBot);
    for (const roleId of moderatorRoleIds) {
      const currentRole = current.find(
        (overwrite) => overwrite.id === roleId && overwrite.type === OverwriteType.Role,
      );
      const wantedRole = moderatorOverwrite(roleId, currentRole);
      if (!currentRole || currentRole.allow !== wantedRole.allow || currentRole.deny !== wantedRole.deny)
        changes.push(wantedRole);
    }
    announcementsAfter = {
      ...announcements,
      permission_overwrites: [
        ...current.filter((overwrite) => !changes.some((change) => change.id === overwrite.id)),
        ...changes,
      ],
    };
    if (!changes.length) {
      actions.push({
        side,
        resource: `#announcements ${inGuild}`,
        action: 'unchanged',
        detail: `${announcements.id}: @everyone may not post, ${posters} may`,
      });
    } else {
      need('Manage Roles', "fix #announcements' permissions");
      const what = changes
        .map((change) =>
          change.id === guild.id
            ? 'deny @everyone Send Messages, Send Messages in Threads, Create Public Threads'
            : change.id === bot.id
              ? 'allow the bot View Channel, Send Messages (in Threads), Embed Links'
              : `allow ${roleName(change.id)} Send Messages (in Threads)`,
        )
        .join('; ');
      actions.push({
        side,
        resource: `#announcements ${inGuild}`,
        action: 'update',
        detail: `${announcements.id}: ${what}`,
        apply: async () => {
          for (const change of changes) {
            await call(
              () =>
                rest.put(Routes.channelPermission(announcements.id, change.id), {
                  body: { type: change.type, allow: change.allow, deny: change.deny },
                }),
              "set #announcements' permissions",
              'Manage Roles',
            );
          }
          return `${announcements.id}: ${what}`;
        },
      });
    }
  }
  const problems = announcementsChannelProblems({
    guildId: guild.id,
    channel: announcementsAfter,
    roles,
    moderatorRoleIds,
    bot: { userId: bot.id, roleIds: botRoles },
  });
  warnings.push(...problems.map((problem) => `#announcements: ${problem}`));
  const otherAnnouncements = channels.find(
    (channel) => channel.name === 'announcements' && channel !== announcements,
  );
  if (otherAnnouncements && !announcements)
    warnings.push(
      `a channel named announcements (${otherAnnouncements.id}) exists but is not a text channel`,
    );

  // #bug-report and #feature-request.
  const forumRefused = { value: false };
  for (const spec of COMMUNITY_CHANNELS) {
    const resource = `#${spec.name} ${inGuild}`;
    const existing = channels.find((channel) => channel.name === spec.name);
    if (!existing) {
      need('Manage Channels', `create #${spec.name}`);
      const community = guild.features.includes('COMMUNITY');
      actions.push({
        side,
        resource,
        action: 'create',
        detail: `forum with tags ${spec.tags.join(', ')}${community ? '' : ' (a text channel if the guild has no forums: not a Community server)'}`,
        apply: async () => createCommunityChannel(rest, guild.id, spec, forumRefused),
      });
    } else if (existing.type === ChannelType.GuildForum || existing.type === ChannelType.GuildMedia) {
      const have = existing.available_tags ?? [];
      const missingTags = spec.tags.filter(
        (name) => !have.some((tag) => tag.name.toLowerCase() === name.toLowerCase()),
      );
      if (!missingTags.length) {
        actions.push({ side, resource, action: 'unchanged', detail: `${existing.id}: forum with its tags` });
      } else if (have.length + missingTags.length > 20) {
        actions.push({
          side,
          resource,
          action: 'unchanged',
          detail: `${existing.id}: tags missing, no room`,
        });
        warnings.push(
          `#${spec.name} lacks the tags ${missingTags.join(', ')} but a forum holds at most 20 tags: remove some and run again`,
        );
      } else {
        need('Manage Channels', `add tags to #${spec.name}`);
        actions.push({
          side,
          resource,
          action: 'update',
          detail: `${existing.id}: add tags ${missingTags.join(', ')}`,
          apply: async () => {
            const tags = [
              ...have.map((tag) => ({
                id: tag.id,
                name: tag.name,
                moderated: tag.moderated,
                ...(tag.emoji_id ? { emoji_id: tag.emoji_id } : {}),
                ...(tag.emoji_name ? { emoji_name: tag.emoji_name } : {}),
              })),
              ...missingTags.map((name) => ({ name })),
            ];
            await call(
              () => rest.patch(Routes.channel(existing.id), { body: { available_tags: tags } }),
              `add tags to #${spec.name}`,
              'Manage Channels',
            );
            return `${existing.id}: added tags ${missingTags.join(', ')}`;
          },
        });
      }
    } else if (existing.type === ChannelType.GuildText || existing.type === ChannelType.GuildAnnouncement) {
      actions.push({
        side,
        resource,
        action: 'unchanged',
        detail: `${existing.id}: text channel (posts are embeds, no tags)`,
      });
    } else {
      actions.push({
        side,
        resource,
        action: 'unchanged',
        detail: `${existing.id}: not a text or forum channel`,
      });
      warnings.push(
        `#${spec.name} (${existing.id}) is channel type ${existing.type}: the bridge cannot post there. Rename it and run again.`,
      );
    }
  }

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
      detail: `${label(moderators.map((role) => role.id))} → ${input.envFile}: ${line}`,
      apply: async () => {
        writeEnvFile(input.envFile, { MODERATOR_ROLE_IDS: moderators.map((role) => role.id).join(',') });
        return `wrote ${line}`;
      },
    });
  }

  // Refuse before changing anything when the bot cannot make the planned changes.
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

/** A forum, or — when Discord refuses forums in this guild (not a Community server) — a text channel. */
async function createCommunityChannel(
  rest: REST,
  guildId: string,
  spec: (typeof COMMUNITY_CHANNELS)[number],
  forumRefused: { value: boolean },
): Promise<string> {
  const textChannel = async () => {
    const created = ChannelSchema.parse(
      await call(
        () =>
          rest.post(Routes.guildChannels(guildId), {
            body: { name: spec.name, type: ChannelType.GuildText, topic: spec.topic },
          }),
        `create #${spec.name}`,
        'Manage Channels',
      ),
    );
    return `created ${created.id} as a text channel (the guild has no forums)`;
  };
  if (forumRefused.value) return textChannel();
  try {
    const created = ChannelSchema.parse(
      await rest.post(Routes.guildChannels(guildId), {
        body: {
          name: spec.name,
          type: ChannelType.GuildForum,
          topic: spec.topic,
          available_tags: spec.tags.map((name) => ({ name })),
        },
      }),
    );
    return `created ${created.id} as a forum with tags ${spec.tags.join(', ')}`;
  } catch (error) {
    if (!refusesForums(error)) throw discordError(error, `create #${spec.name}`, 'Manage Channels');
    forumRefused.value = true;
    return textChannel();
  }
}

/** Discord's answer to a forum in a guild without the Community feature: the channel type is refused. */
function refusesForums(error: unknown): boolean {
  if (!(error instanceof DiscordAPIError)) return false;
  if (error.code === RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType) return true;
  const errors = (error.rawError as { errors?: Record<string, unknown> }).errors;
  return (
    error.code === RESTJSONErrorCodes.InvalidFormBodyOrContentType && errors !== undefined && 'type' in errors
  );
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

const PERMISSIONS: Record<string, bigint> = {
  'Manage Channels': PermissionFlagsBits.ManageChannels,
  'Manage Roles': PermissionFlagsBits.ManageRoles,
};

function hasPermission(permissions: bigint, name: string): boolean {
  const flag = PERMISSIONS[name] ?? 0n;
  return (permissions & flag) === flag;
}

function basePermissions(
  guild: z.infer<typeof GuildSchema>,
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

async function call<T>(run: () => Promise<T>, what: string, permission?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw discordError(error, what, permission);
  }
}

function get(rest: REST, route: `/${string}`, what: string): Promise<unknown> {
  return call(() => rest.get(route), `read ${what}`);
}
