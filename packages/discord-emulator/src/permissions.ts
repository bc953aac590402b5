import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { ChannelRecord, GuildRecord, State } from './state.ts';

/** Every permission bit Discord defines. */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What a freshly invited bot's managed role usually holds: enough to run a support bridge, not admin. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.ManageRoles |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.MentionEveryone |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.AddReactions;

/** What `@everyone` holds in a new guild. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

/**
 * A member's guild-wide permissions: `@everyone` plus their roles; the owner and administrators get all.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
export function basePermissions(guild: GuildRecord, userId: string): bigint {
  if (guild.owner_id === userId) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  if (!member) return 0n;
  let permissions = BigInt(guild.roles.get(guild.id)?.permissions ?? '0');
  for (const roleId of member.roles) permissions |= BigInt(guild.roles.get(roleId)?.permissions ?? '0');
  return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
}

/**
 * A member's permissions in a channel: base permissions, then the `@everyone` overwrite, the role
 * overwrites together, and the member's own overwrite. Threads follow their parent channel.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
export function channelPermissions(state: State, channel: ChannelRecord, userId: string): bigint {
  if (channel.type === ChannelType.DM) {
    return channel.recipient_id === userId || userId === state.botUserId
      ? PermissionFlagsBits.ViewChannel |
          PermissionFlagsBits.SendMessages |
          PermissionFlagsBits.ReadMessageHistory |
          PermissionFlagsBits.EmbedLinks |
          PermissionFlagsBits.AttachFiles
      : 0n;
  }
  const source =
    isThread(channel) && channel.parent_id ? (state.channels.get(channel.parent_id) ?? channel) : channel;
  const guild = channel.guild_id ? state.guilds.get(channel.guild_id) : undefined;
  if (!guild) return 0n;
  let permissions = basePermissions(guild, userId);
  if (permissions & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  if (!member) return 0n;

  const everyone = source.permission_overwrites.find((overwrite) => overwrite.id === guild.id);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);

  let allow = 0n;
  let deny = 0n;
  for (const overwrite of source.permission_overwrites) {
    if (
      overwrite.type === OverwriteType.Role &&
      overwrite.id !== guild.id &&
      member.roles.includes(overwrite.id)
    ) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;

  const own = source.permission_overwrites.find(
    (overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === userId,
  );
  if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);

  // A private thread shows only to who is in it and to who may manage threads.
  // @see https://discord.com/developers/docs/topics/threads#private-threads
  if (
    channel.type === ChannelType.PrivateThread &&
    userId !== state.botUserId &&
    !channel.member_ids.includes(userId) &&
    !has(permissions, PermissionFlagsBits.ManageThreads)
  )
    return 0n;
  // Without View Channel nothing else in the channel applies.
  return permissions & PermissionFlagsBits.ViewChannel ? permissions : 0n;
}

/** Whether `permissions` holds every bit of `required`. */
export function has(permissions: bigint, required: bigint): boolean {
  return (permissions & required) === required;
}

export function isThread(channel: Pick<ChannelRecord, 'type'>): boolean {
  return (
    channel.type === ChannelType.PublicThread ||
    channel.type === ChannelType.PrivateThread ||
    channel.type === ChannelType.AnnouncementThread
  );
}

/** Channels messages can be posted in. */
export function isTextBased(channel: Pick<ChannelRecord, 'type'>): boolean {
  return (
    channel.type === ChannelType.GuildText ||
    channel.type === ChannelType.GuildAnnouncement ||
    channel.type === ChannelType.DM ||
    channel.type === ChannelType.GuildVoice ||
    isThread(channel)
  );
}

/** Forum and media channels, which hold only threads (posts). */
export function isThreadOnly(channel: Pick<ChannelRecord, 'type'>): boolean {
  return channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia;
}
