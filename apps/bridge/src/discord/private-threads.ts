import { type APIChannel, ChannelType, type REST, Routes, ThreadAutoArchiveDuration } from 'discord.js';

/**
 * A private thread for one member's chat, in the guild's help channel: only the member and the bot
 * (and moderators, who can see every private thread) are in it. Used when the member's privacy
 * settings refuse DMs (Discord 50007), or for every chat when the brand prefers threads.
 *
 * @see https://discord.com/developers/docs/resources/channel#start-thread-without-message
 * @see https://discord.com/developers/docs/resources/channel#add-thread-member
 */
export async function openChatThread(
  rest: REST,
  input: { parentChannelId: string; userId: string; name: string },
): Promise<string> {
  const thread = (await rest.post(Routes.threads(input.parentChannelId), {
    body: {
      name: input.name.slice(0, 100),
      type: ChannelType.PrivateThread,
      // Members cannot invite others into someone's support chat.
      invitable: false,
      auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
    },
  })) as APIChannel;
  await rest.put(Routes.threadMembers(thread.id, input.userId));
  return thread.id;
}
