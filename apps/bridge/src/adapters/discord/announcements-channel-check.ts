import { ChannelType, OverwriteType, PermissionFlagsBits, type REST, Routes } from 'discord.js';
import { z } from 'zod';
import { GuildChannelSchema, RoleSchema } from './api-shapes.ts';

const ChannelSchema = GuildChannelSchema;
const MemberSchema = z.object({ roles: z.array(z.string()) });

export type ChannelFacts = z.input<typeof ChannelSchema>;
export type RoleFacts = z.input<typeof RoleSchema>;

const { Administrator, ManageGuild, ViewChannel, SendMessages, EmbedLinks } = PermissionFlagsBits;
/** What the bot needs to post an announcement embed. */
const BOT_NEEDS = { VIEW_CHANNEL: ViewChannel, SEND_MESSAGES: SendMessages, EMBED_LINKS: EmbedLinks };

/**
 * What is wrong with the #announcements channel, from Discord's own data: members (through
 * @everyone, the overwrite of a role that is neither admin nor a configured moderator role, or a
 * member overwrite) allowed to post, the channel not
 * being a text channel of the guild, and — given the bot's roles — the bot unable to post. Empty
 * when the channel is admin-only and usable.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
export function announcementsChannelProblems(facts: {
  guildId: string;
  channel: ChannelFacts;
  roles: RoleFacts[];
  bot?: { userId: string; roleIds: string[] };
  /** The configured moderator roles (`MODERATOR_ROLE_IDS`): they may post, like admins. */
  moderatorRoleIds?: readonly string[];
}): string[] {
  const channel = ChannelSchema.parse(facts.channel);
  const roles = facts.roles.map((role) => RoleSchema.parse(role));
  const label = `#${channel.name ?? channel.id}`;
  const problems: string[] = [];
  if (channel.guild_id && channel.guild_id !== facts.guildId)
    problems.push(`${label} (${channel.id}) is not in guild ${facts.guildId}`);
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)
    problems.push(`${label} is not a text or announcement channel (type ${channel.type})`);

  const everyone = roles.find((role) => role.id === facts.guildId);
  if (!everyone) problems.push(`the @everyone role of guild ${facts.guildId} was not found`);
  else if (has(permissionsIn(channel, roles, facts.guildId, []), SendMessages))
    problems.push(`members can post in ${label}: @everyone is not denied SEND_MESSAGES`);

  const isStaff = (role: z.infer<typeof RoleSchema>) =>
    role.managed ||
    (facts.moderatorRoleIds ?? []).includes(role.id) ||
    has(BigInt(role.permissions), Administrator) ||
    has(BigInt(role.permissions), ManageGuild);
  for (const overwrite of channel.permission_overwrites) {
    if (!has(BigInt(overwrite.allow), SendMessages) || overwrite.id === facts.guildId) continue;
    if (overwrite.type === OverwriteType.Role) {
      const role = roles.find((candidate) => candidate.id === overwrite.id);
      if (role && !isStaff(role))
        problems.push(`members with @${role.name} can post in ${label}: its overwrite allows SEND_MESSAGES`);
    } else if (overwrite.id !== facts.bot?.userId) {
      problems.push(`user ${overwrite.id} can post in ${label}: a member overwrite allows SEND_MESSAGES`);
    }
  }

  if (facts.bot) {
    const granted = permissionsIn(channel, roles, facts.guildId, facts.bot.roleIds, facts.bot.userId);
    const missing = Object.entries(BOT_NEEDS)
      .filter(([, flag]) => !has(granted, flag))
      .map(([name]) => name);
    if (missing.length) problems.push(`the bot cannot post in ${label}: missing ${missing.join(', ')}`);
  }
  return problems;
}

/**
 * Fetches the channel, the guild's roles and (given `botUserId`) the bot's membership with the
 * discord.js REST client, and returns {@link announcementsChannelProblems}. A channel the bot cannot
 * read is a problem too, not an exception: the caller logs the list at start.
 */
export async function checkAnnouncementsChannel(
  rest: Pick<REST, 'get'>,
  guildId: string | undefined,
  channelId: string,
  options: { botUserId?: string | undefined; moderatorRoleIds?: readonly string[] } = {},
): Promise<string[]> {
  let channel: z.infer<typeof ChannelSchema>;
  try {
    channel = ChannelSchema.parse(await rest.get(Routes.channel(channelId)));
  } catch (error) {
    return [`cannot read the announcements channel ${channelId}: ${messageOf(error)}`];
  }
  const guild = guildId ?? channel.guild_id;
  if (!guild) return [`the announcements channel ${channelId} is not a guild channel`];
  try {
    const roles = z.array(RoleSchema).parse(await rest.get(Routes.guildRoles(guild)));
    const bot = options.botUserId
      ? {
          userId: options.botUserId,
          roleIds: MemberSchema.parse(await rest.get(Routes.guildMember(guild, options.botUserId))).roles,
        }
      : undefined;
    return announcementsChannelProblems({
      guildId: guild,
      channel,
      roles,
      ...(bot ? { bot } : {}),
      ...(options.moderatorRoleIds ? { moderatorRoleIds: options.moderatorRoleIds } : {}),
    });
  } catch (error) {
    return [`cannot read the roles of guild ${guild}: ${messageOf(error)}`];
  }
}

/** A member's permissions in a channel, Discord's way: base roles, then overwrites. */
function permissionsIn(
  channel: z.infer<typeof ChannelSchema>,
  roles: z.infer<typeof RoleSchema>[],
  guildId: string,
  roleIds: string[],
  userId?: string,
): bigint {
  const held = new Set([guildId, ...roleIds]);
  let permissions = roles
    .filter((role) => held.has(role.id))
    .reduce((sum, role) => sum | BigInt(role.permissions), 0n);
  if (has(permissions, Administrator)) return ~0n;
  const overwrites = channel.permission_overwrites;
  const apply = (allow: bigint, deny: bigint) => {
    permissions = (permissions & ~deny) | allow;
  };
  const everyone = overwrites.find((overwrite) => overwrite.id === guildId);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type !== OverwriteType.Role || overwrite.id === guildId || !held.has(overwrite.id))
      continue;
    allow |= BigInt(overwrite.allow);
    deny |= BigInt(overwrite.deny);
  }
  apply(allow, deny);
  const member = overwrites.find(
    (overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === userId,
  );
  if (member) apply(BigInt(member.allow), BigInt(member.deny));
  return permissions;
}

function has(permissions: bigint, flag: bigint): boolean {
  return (permissions & flag) === flag;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
