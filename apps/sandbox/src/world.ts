import type { Fixture } from '@flexcord/discord-emulator';

/**
 * The demo's Discord world, "Starfall Arena". Every id is fixed: the emulators forget everything
 * on restart, the bridge's database (`.data/`) does not, so the same members, guild, roles and
 * channels must come back with the same snowflakes.
 */
export const IDS = {
  guild: '1300000000000000001',
  roles: { admin: '1300000000000000011', moderator: '1300000000000000012', member: '1300000000000000013' },
  users: {
    nova: '1300000000000000101',
    maude: '1300000000000000102',
    pixelpat: '1300000000000000103',
    lucia: '1300000000000000104',
  },
  /**
   * The bot's DM channel with each member. Discord keeps a DM channel for good, so across a restart
   * of the sandbox (whose Discord starts empty) each member's DM keeps its id, as it would on Discord.
   */
  dms: {
    nova: '1300000000000000301',
    maude: '1300000000000000302',
    pixelpat: '1300000000000000303',
    lucia: '1300000000000000304',
  },
  channels: {
    info: '1300000000000000201',
    announcements: '1300000000000000202',
    community: '1300000000000000203',
    help: '1300000000000000204',
    general: '1300000000000000205',
    bugReport: '1300000000000000206',
    featureRequest: '1300000000000000207',
  },
} as const;

/**
 * The forum tags `npm run provision` sets up: a post carries its case's status, or a report's stage
 * (open → investigating → planned → fixed / won't fix).
 */
export const STATUS_TAGS = [
  'open',
  'in progress',
  'resolved',
  'closed',
  'investigating',
  'planned',
  'fixed',
  "won't fix",
] as const;
export const SEVERITY_TAGS = ['low', 'medium', 'high', 'critical'] as const;

/** The bot's username in the emulator (the default); overwrites name it like a member. */
const BOT_USERNAME = 'Flexcord';

function tags(prefix: number, names: readonly string[]) {
  return names.map((name, index) => ({
    id: `13000000000000${String(prefix + index).padStart(5, '0')}`,
    name,
  }));
}

export interface WorldMember {
  id: string;
  username: string;
  displayName: string;
  role: 'admin' | 'moderator' | 'member';
  locale: string;
}

/** The members one can play in the member client, in the order the picker lists them. */
export const MEMBERS: WorldMember[] = [
  { id: IDS.users.pixelpat, username: 'pixelpat', displayName: 'Pat', role: 'member', locale: 'en-US' },
  { id: IDS.users.lucia, username: 'lucia', displayName: 'Lucía', role: 'member', locale: 'es-ES' },
  { id: IDS.users.maude, username: 'maude', displayName: 'Maude', role: 'moderator', locale: 'en-US' },
  { id: IDS.users.nova, username: 'nova', displayName: 'Nova', role: 'admin', locale: 'en-US' },
];

const ROLE_NAMES = { admin: 'Admin', moderator: 'Moderator', member: 'Member' } as const;

export const starfallFixture: Fixture = {
  users: MEMBERS.map((member) => ({
    id: member.id,
    username: member.username,
    global_name: member.displayName,
    locale: member.locale,
    dmChannelId: IDS.dms[member.username as keyof typeof IDS.dms],
  })),
  guilds: [
    {
      id: IDS.guild,
      name: 'Starfall Arena',
      owner: 'nova',
      roles: [
        {
          id: IDS.roles.admin,
          name: ROLE_NAMES.admin,
          permissions: ['Administrator'],
          color: 0xe74c3c,
          hoist: true,
        },
        {
          id: IDS.roles.moderator,
          name: ROLE_NAMES.moderator,
          permissions: ['ManageMessages', 'ManageThreads'],
          color: 0x2ecc71,
          hoist: true,
        },
        { id: IDS.roles.member, name: ROLE_NAMES.member, permissions: [], color: 0x3498db },
      ],
      members: MEMBERS.map((member) => ({
        user: member.id,
        roles: member.role === 'member' ? [ROLE_NAMES.member] : [ROLE_NAMES[member.role], ROLE_NAMES.member],
      })),
      channels: [
        {
          id: IDS.channels.info,
          name: 'Information',
          type: 'category',
          children: [
            {
              id: IDS.channels.announcements,
              name: 'announcements',
              type: 'announcement',
              topic: 'News from the Starfall team',
              // As provisioning sets it: members read; admins, moderators and the bot (the feed) post.
              permission_overwrites: [
                { role: '@everyone', deny: ['SendMessages', 'SendMessagesInThreads', 'CreatePublicThreads'] },
                { role: ROLE_NAMES.moderator, allow: ['SendMessages', 'SendMessagesInThreads'] },
                {
                  member: BOT_USERNAME,
                  allow: ['ViewChannel', 'SendMessages', 'SendMessagesInThreads', 'EmbedLinks'],
                },
              ],
            },
          ],
        },
        {
          id: IDS.channels.community,
          name: 'Community',
          type: 'category',
          children: [
            { id: IDS.channels.help, name: 'help', topic: 'Run /helpme to talk to support' },
            { id: IDS.channels.general, name: 'general', topic: 'Chat about Starfall Arena' },
            {
              id: IDS.channels.bugReport,
              name: 'bug-report',
              type: 'forum',
              topic: 'Official bug reports: use /bug',
              tags: [...tags(301, STATUS_TAGS), ...tags(311, SEVERITY_TAGS)],
            },
            {
              id: IDS.channels.featureRequest,
              name: 'feature-request',
              type: 'forum',
              topic: 'Feature requests: moderators file them with /new_feature',
              tags: tags(321, STATUS_TAGS),
            },
          ],
        },
      ],
    },
  ],
};
