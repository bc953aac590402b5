import { ChannelType, OverwriteType, PermissionFlagsBits as P, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  announcementsChannelProblems,
  type ChannelFacts,
  checkAnnouncementsChannel,
  type RoleFacts,
} from '../src/adapters/discord/announcements-channel-check.ts';

const GUILD = '100000000000000001';
const CHANNEL = '100000000000000002';
const BOT = '100000000000000003';
const ADMINS = '100000000000000004';
const MEMBERS = '100000000000000005';
const BOT_ROLE = '100000000000000006';

const bits = (...flags: bigint[]) => String(flags.reduce((sum, flag) => sum | flag, 0n));
const roles: RoleFacts[] = [
  // Discord's default: everyone may read and write everywhere.
  { id: GUILD, name: '@everyone', permissions: bits(P.ViewChannel, P.SendMessages, P.EmbedLinks) },
  { id: ADMINS, name: 'Admins', permissions: bits(P.Administrator) },
  { id: MEMBERS, name: 'Members', permissions: bits(P.ViewChannel, P.SendMessages) },
  { id: BOT_ROLE, name: 'Flexcord', permissions: bits(P.ViewChannel), managed: true },
];
const overwrite = (id: string, type: OverwriteType, allow: bigint[], deny: bigint[]) => ({
  id,
  type,
  allow: bits(...allow),
  deny: bits(...deny),
});
const channel = (overwrites: ReturnType<typeof overwrite>[]): ChannelFacts => ({
  id: CHANNEL,
  name: 'announcements',
  type: ChannelType.GuildAnnouncement,
  guild_id: GUILD,
  permission_overwrites: overwrites,
});
const lockedDown = channel([
  overwrite(GUILD, OverwriteType.Role, [], [P.SendMessages]),
  overwrite(ADMINS, OverwriteType.Role, [P.SendMessages], []),
  overwrite(BOT_ROLE, OverwriteType.Role, [P.SendMessages, P.EmbedLinks], []),
]);

describe('the #announcements admin-only check', () => {
  it('reports a channel where @everyone may post', () => {
    expect(announcementsChannelProblems({ guildId: GUILD, channel: channel([]), roles })).toEqual([
      'members can post in #announcements: @everyone is not denied SEND_MESSAGES',
    ]);
  });

  it('passes when @everyone is denied SEND_MESSAGES and only admins and the bot are allowed', () => {
    const bot = { userId: BOT, roleIds: [BOT_ROLE] };
    expect(announcementsChannelProblems({ guildId: GUILD, channel: lockedDown, roles, bot })).toEqual([]);
  });

  it('accepts the configured moderator roles posting, and still reports any other role that may', () => {
    const MODS = '100000000000000007';
    const withMods = channel([
      ...(lockedDown.permission_overwrites ?? []),
      overwrite(MODS, OverwriteType.Role, [P.SendMessages], []),
    ]);
    const allRoles = [...roles, { id: MODS, name: 'Moderator', permissions: bits(P.ManageThreads) }];
    expect(
      announcementsChannelProblems({
        guildId: GUILD,
        channel: withMods,
        roles: allRoles,
        moderatorRoleIds: [MODS],
      }),
    ).toEqual([]);
    expect(announcementsChannelProblems({ guildId: GUILD, channel: withMods, roles: allRoles })).toEqual([
      'members with @Moderator can post in #announcements: its overwrite allows SEND_MESSAGES',
    ]);
  });

  it('reports a member role or a member overwrite that lets people post anyway', () => {
    const leaky = channel([
      ...(lockedDown.permission_overwrites ?? []),
      overwrite(MEMBERS, OverwriteType.Role, [P.SendMessages], []),
      overwrite('100000000000000009', OverwriteType.Member, [P.SendMessages], []),
    ]);
    expect(announcementsChannelProblems({ guildId: GUILD, channel: leaky, roles })).toEqual([
      'members with @Members can post in #announcements: its overwrite allows SEND_MESSAGES',
      'user 100000000000000009 can post in #announcements: a member overwrite allows SEND_MESSAGES',
    ]);
  });

  it('reports a lockdown that locks the bot out too', () => {
    const botless = channel([overwrite(GUILD, OverwriteType.Role, [], [P.SendMessages, P.EmbedLinks])]);
    const bot = { userId: BOT, roleIds: [BOT_ROLE] };
    expect(announcementsChannelProblems({ guildId: GUILD, channel: botless, roles, bot })).toEqual([
      'the bot cannot post in #announcements: missing SEND_MESSAGES, EMBED_LINKS',
    ]);
  });

  it('reports a channel that is not a text channel of the guild', () => {
    const voice = { ...lockedDown, type: ChannelType.GuildVoice, guild_id: '100000000000000099' };
    expect(announcementsChannelProblems({ guildId: GUILD, channel: voice, roles })).toEqual([
      `#announcements (${CHANNEL}) is not in guild ${GUILD}`,
      '#announcements is not a text or announcement channel (type 2)',
    ]);
  });

  it('reads the channel, the roles and the bot member through the REST client', async () => {
    const asked: string[] = [];
    const answers: Record<string, unknown> = {
      [Routes.channel(CHANNEL)]: channel([]),
      [Routes.guildRoles(GUILD)]: roles,
      [Routes.guildMember(GUILD, BOT)]: { roles: [BOT_ROLE], user: { id: BOT } },
    };
    const rest = {
      get: async (route: string) => {
        asked.push(route);
        if (!(route in answers)) throw new Error('Unknown Channel');
        return answers[route];
      },
    };

    // The guild comes from the channel when none is configured.
    expect(await checkAnnouncementsChannel(rest, undefined, CHANNEL, { botUserId: BOT })).toEqual([
      'members can post in #announcements: @everyone is not denied SEND_MESSAGES',
    ]);
    expect(asked).toEqual([
      Routes.channel(CHANNEL),
      Routes.guildRoles(GUILD),
      Routes.guildMember(GUILD, BOT),
    ]);

    answers[Routes.channel(CHANNEL)] = lockedDown;
    expect(await checkAnnouncementsChannel(rest, GUILD, CHANNEL, { botUserId: BOT })).toEqual([]);
    expect(await checkAnnouncementsChannel(rest, GUILD, '100000000000000077')).toEqual([
      'cannot read the announcements channel 100000000000000077: Unknown Channel',
    ]);
  });
});
