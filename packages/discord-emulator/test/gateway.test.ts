import { ChannelType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { connectClient, startEmulator } from './helpers.ts';

describe('gateway: logging in', () => {
  let emulator: DiscordEmulator;
  afterEach(async () => {
    await emulator?.stop();
  });

  it('when the bot logs in, then READY and GUILD_CREATE fill the client cache', async () => {
    emulator = await startEmulator();
    const { client, errors } = await connectClient(emulator);
    try {
      expect(client.user?.id).toBe(emulator.botUserId);
      expect(client.application?.id).toBe(emulator.applicationId);
      const guild = client.guilds.cache.find((candidate) => candidate.name === 'Flexcord Support');
      expect(guild).toBeDefined();
      const general = guild?.channels.cache.find((channel) => channel.name === 'general');
      expect(general?.type).toBe(ChannelType.GuildText);
      const forum = guild?.channels.cache.find((channel) => channel.name === 'bug-report');
      expect(forum?.type).toBe(ChannelType.GuildForum);
      expect(forum && 'availableTags' in forum ? forum.availableTags.map((tag) => tag.name) : []).toEqual([
        'bug',
        'ui',
        'resolved',
      ]);
      expect(guild?.roles.cache.find((role) => role.name === 'Moderator')).toBeDefined();
      expect(errors).toEqual([]);
    } finally {
      await client.destroy();
    }
  });
});
