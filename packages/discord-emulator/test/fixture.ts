import type { Fixture } from '../src/index.ts';

/** A small support server: a category with text channels, a forum with tags, a moderator role. */
export const testFixture: Fixture = {
  users: [
    { username: 'alice', global_name: 'Alice' },
    { username: 'bob', dmsClosed: true },
    { username: 'maude' },
  ],
  guilds: [
    {
      name: 'Flexcord Support',
      roles: [{ name: 'Moderator', permissions: ['ManageMessages', 'ManageThreads'] }],
      members: [{ user: 'alice' }, { user: 'bob' }, { user: 'maude', roles: ['Moderator'] }],
      channels: [
        {
          name: 'Support',
          type: 'category',
          children: [
            { name: 'general', topic: 'Say hi' },
            {
              name: 'announcements',
              type: 'announcement',
              permission_overwrites: [{ role: '@everyone', deny: ['SendMessages'] }],
            },
            { name: 'bot-muted', permission_overwrites: [{ member: 'Flexcord', deny: ['SendMessages'] }] },
          ],
        },
        {
          name: 'bug-report',
          type: 'forum',
          tags: [{ name: 'bug' }, { name: 'ui' }, { name: 'resolved', moderated: true }],
        },
      ],
    },
  ],
};
