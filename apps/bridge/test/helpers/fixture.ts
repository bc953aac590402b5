import type { Fixture } from '@flexcord/discord-emulator';

/** The tags of the demo's forum channels: status and, for bugs, severity. */
export const STATUS_TAGS = [
  'open',
  'in progress',
  'resolved',
  'closed',
  'investigating',
  'planned',
  'fixed',
  "won't fix",
];
export const SEVERITY_TAGS = ['low', 'medium', 'high', 'critical'];

/** A small game community: members, a moderator, #help, the forums and #announcements. */
export const communityFixture: Fixture = {
  users: [
    { username: 'pixelpat', global_name: 'Pat', locale: 'en-US' },
    { username: 'lucia', global_name: 'Lucía', locale: 'es-ES' },
    { username: 'quietbob', global_name: 'Bob', dmsClosed: true },
    { username: 'maude', global_name: 'Maude' },
  ],
  guilds: [
    {
      name: 'Starfall Arena',
      roles: [{ name: 'Moderator', permissions: ['ManageMessages', 'ManageThreads'] }],
      members: [
        { user: 'pixelpat' },
        { user: 'lucia' },
        { user: 'quietbob' },
        { user: 'maude', roles: ['Moderator'] },
      ],
      channels: [
        { name: 'help', topic: 'Run /helpme to talk to support' },
        {
          name: 'announcements',
          type: 'announcement',
          permission_overwrites: [{ role: '@everyone', deny: ['SendMessages'] }],
        },
        {
          name: 'bug-report',
          type: 'forum',
          tags: [...STATUS_TAGS, ...SEVERITY_TAGS].map((name) => ({ name })),
        },
        { name: 'feature-request', type: 'forum', tags: STATUS_TAGS.map((name) => ({ name })) },
      ],
    },
  ],
};
