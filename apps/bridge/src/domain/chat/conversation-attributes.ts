import type { ConversationAttributes } from '@flexcord/contracts';

/** The Conversation attributes for a chat: the Discord ids and names, and the linked case. */
export function conversationAttributes(
  conversation: {
    dm_channel_id: string;
    guild_id: string | null;
    case_number: number | null;
    locale: string | null;
  },
  member: { discord_user_id: string; username: string; display_name: string; avatar_url: string | null },
): ConversationAttributes {
  return {
    channelType: 'discord',
    discord: {
      userId: member.discord_user_id,
      username: member.username,
      displayName: member.display_name,
      avatarUrl: member.avatar_url,
      dmChannelId: conversation.dm_channel_id,
      guildId: conversation.guild_id,
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    },
    ...(conversation.case_number ? { caseNumber: conversation.case_number } : {}),
  };
}
