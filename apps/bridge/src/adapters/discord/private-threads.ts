import {
  type APIChannel,
  ChannelType,
  DiscordAPIError,
  type REST,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { ChatLifecycle, ChatToMove } from '../../domain/chat/chat-lifecycle.ts';
import { t } from '../../domain/i18n/messages.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import type { ClosedDmFallback } from './deliver-discord.ts';

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

/**
 * The thread a chat moves to when the member's DMs close in the middle of it, opened in the help
 * channel with the member told there, first, why the chat continues in it.
 */
export async function openThreadForMovedChat(
  rest: REST,
  input: { parentChannelId: string; chat: ChatToMove },
): Promise<string> {
  const { chat } = input;
  const threadId = await openChatThread(rest, {
    parentChannelId: input.parentChannelId,
    userId: chat.discordUserId,
    name: `Support · ${chat.displayName}`,
  });
  await rest.post(Routes.channelMessages(threadId), {
    body: {
      content: t(chat.locale, 'chat.movedToThread', { name: chat.displayName }),
      allowed_mentions: NO_MENTIONS,
      nonce: `mv${threadId}`.slice(0, 25),
      enforce_nonce: true,
    },
  });
  return threadId;
}

/**
 * The fallback for DMs that close mid-chat: the chat's lifecycle moves it to a thread of
 * `helpChannelId`. A thread Discord refuses to open (no permission, unknown channel) leaves the
 * refusal of the DM standing, so the agent reads that the message was not delivered; a transient
 * failure is retried with the delivery.
 */
export function closedDmFallback(input: {
  rest: REST;
  lifecycle: ChatLifecycle;
  helpChannelId: string;
  logger: Logger;
}): ClosedDmFallback {
  return async (dmChannelId) => {
    try {
      return await input.lifecycle.continueInThread({
        dmChannelId,
        openThread: (chat) =>
          openThreadForMovedChat(input.rest, { parentChannelId: input.helpChannelId, chat }),
      });
    } catch (error) {
      const refused = error instanceof DiscordAPIError && error.status >= 400 && error.status < 500;
      if (!refused || error.status === 429) throw error;
      input.logger.warn(
        { err: error, channelId: input.helpChannelId, dmChannelId },
        "member's DMs closed mid-chat and no private thread could be opened",
      );
      return null;
    }
  };
}
