import { type APIOverwrite, ChannelType, OverwriteType, PermissionFlagsBits, Routes } from 'discord.js';
import { announcementsChannelProblems } from '../adapters/discord/announcements-channel-check.ts';
import { GuildChannelSchema } from '../adapters/discord/api-shapes.ts';
import { call } from './discord-calls.ts';
import { type Channel, type DiscordPlanContext, roleLabel } from './discord-plan-context.ts';

const { ViewChannel, SendMessages, SendMessagesInThreads, CreatePublicThreads, EmbedLinks } =
  PermissionFlagsBits;
/** What @everyone may not do in #announcements. */
export const ANNOUNCEMENTS_EVERYONE_DENY = SendMessages | SendMessagesInThreads | CreatePublicThreads;
/** What the bot is explicitly allowed in #announcements (its @everyone deny would otherwise apply). */
export const ANNOUNCEMENTS_BOT_ALLOW = ViewChannel | SendMessages | SendMessagesInThreads | EmbedLinks;
/** What the moderator roles are allowed in #announcements: they post there, with the admins. */
export const ANNOUNCEMENTS_MODERATOR_ALLOW = SendMessages | SendMessagesInThreads;

/** One overwrite #announcements needs: who, and the bits it allows or denies on top of what it has. */
interface OverwriteRule {
  id: string;
  type: OverwriteType;
  allow: bigint;
  deny: bigint;
  /** What the plan says it does, when it changes. */
  says: string;
}

/** An overwrite with the rule's bits applied over the current one (other bits kept). */
function applied(rule: OverwriteRule, current: APIOverwrite | undefined): APIOverwrite {
  const allow = (BigInt(current?.allow ?? '0') | rule.allow) & ~rule.deny;
  const deny = (BigInt(current?.deny ?? '0') | rule.deny) & ~rule.allow;
  return { id: rule.id, type: rule.type, allow: allow.toString(), deny: deny.toString() };
}

/**
 * #announcements: members read; the bot, the admins and the moderator roles post. Created when
 * missing, its permission overwrites fixed when they differ; what still keeps a poster out is a warning.
 */
export function planAnnouncements(ctx: DiscordPlanContext, moderatorRoleIds: readonly string[]): void {
  const { guild, channels, roles, bot, warnings } = ctx;
  const rules: OverwriteRule[] = [
    {
      id: guild.id,
      type: OverwriteType.Role,
      allow: 0n,
      deny: ANNOUNCEMENTS_EVERYONE_DENY,
      says: 'deny @everyone Send Messages, Send Messages in Threads, Create Public Threads',
    },
    {
      id: bot.id,
      type: OverwriteType.Member,
      allow: ANNOUNCEMENTS_BOT_ALLOW,
      deny: 0n,
      says: 'allow the bot View Channel, Send Messages (in Threads), Embed Links',
    },
    ...moderatorRoleIds.map((id) => ({
      id,
      type: OverwriteType.Role,
      allow: ANNOUNCEMENTS_MODERATOR_ALLOW,
      deny: 0n,
      says: `allow ${roleLabel(roles, id)} Send Messages (in Threads)`,
    })),
  ];
  const posters = ['the bot', ...moderatorRoleIds.map((id) => roleLabel(roles, id))].join(', ');
  const announcements = channels.find(
    (channel) =>
      channel.name === 'announcements' &&
      (channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement),
  );
  const after = announcements
    ? planPermissionsFix(ctx, announcements, rules, posters)
    : planNewChannel(ctx, rules, posters);
  const problems = announcementsChannelProblems({
    guildId: guild.id,
    channel: after,
    roles,
    moderatorRoleIds,
    bot: { userId: bot.id, roleIds: bot.roleIds },
  });
  warnings.push(...problems.map((problem) => `#announcements: ${problem}`));
  const otherAnnouncements = channels.find(
    (channel) => channel.name === 'announcements' && channel !== announcements,
  );
  if (otherAnnouncements && !announcements)
    warnings.push(
      `a channel named announcements (${otherAnnouncements.id}) exists but is not a text channel`,
    );
}

/** A new #announcements with the overwrites; returns the channel as it will be. */
function planNewChannel(ctx: DiscordPlanContext, rules: readonly OverwriteRule[], posters: string): Channel {
  const { rest, guild, inGuild, need } = ctx;
  const overwrites = rules.map((rule) => applied(rule, undefined));
  need('Manage Channels', 'create #announcements');
  need('Manage Roles', "set #announcements' permissions");
  ctx.actions.push({
    side: 'discord',
    resource: `#announcements ${inGuild}`,
    action: 'create',
    detail: `text channel; @everyone may not post, ${posters} may`,
    apply: async () => {
      const created = GuildChannelSchema.parse(
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
  return {
    id: '(new)',
    name: 'announcements',
    type: ChannelType.GuildText,
    permission_overwrites: overwrites,
  };
}

/** The overwrites of an existing #announcements that differ from the rules, set one by one; returns the channel after. */
function planPermissionsFix(
  ctx: DiscordPlanContext,
  channel: Channel,
  rules: readonly OverwriteRule[],
  posters: string,
): Channel {
  const { rest, inGuild } = ctx;
  const current = channel.permission_overwrites;
  const changes = rules.flatMap((rule) => {
    const have = current.find((overwrite) => overwrite.id === rule.id && overwrite.type === rule.type);
    const wanted = applied(rule, have);
    return have && have.allow === wanted.allow && have.deny === wanted.deny ? [] : [{ rule, wanted }];
  });
  const resource = `#announcements ${inGuild}`;
  if (!changes.length) {
    ctx.actions.push({
      side: 'discord',
      resource,
      action: 'unchanged',
      detail: `${channel.id}: @everyone may not post, ${posters} may`,
    });
    return channel;
  }
  ctx.need('Manage Roles', "fix #announcements' permissions");
  const what = changes.map(({ rule }) => rule.says).join('; ');
  ctx.actions.push({
    side: 'discord',
    resource,
    action: 'update',
    detail: `${channel.id}: ${what}`,
    apply: async () => {
      for (const { wanted } of changes) {
        await call(
          () =>
            rest.put(Routes.channelPermission(channel.id, wanted.id), {
              body: { type: wanted.type, allow: wanted.allow, deny: wanted.deny },
            }),
          "set #announcements' permissions",
          'Manage Roles',
        );
      }
      return `${channel.id}: ${what}`;
    },
  });
  const changed = new Set(changes.map(({ wanted }) => wanted.id));
  return {
    ...channel,
    permission_overwrites: [
      ...current.filter((overwrite) => !changed.has(overwrite.id)),
      ...changes.map(({ wanted }) => wanted),
    ],
  };
}
