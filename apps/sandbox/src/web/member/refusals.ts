import { PermissionFlagsBits } from 'discord-api-types/v10';
import { ApiError } from '../shared/http.ts';
import type { ChannelNode } from './discord-api.ts';

/** Discord's upload limit for a member without Nitro in a server without boosts. */
const UPLOAD_LIMIT_MB = 10;

/** Whether the member may post in the channel (Send Messages, or Send Messages in Threads in a thread). */
export function canSendMessages(channel: ChannelNode): boolean {
  if (channel.permissions === undefined) return true;
  const granted = BigInt(channel.permissions);
  // A locked thread takes messages only from those who may manage threads.
  if (
    'thread_metadata' in channel &&
    channel.thread_metadata?.locked &&
    (granted & PermissionFlagsBits.ManageThreads) !== PermissionFlagsBits.ManageThreads
  )
    return false;
  const needed =
    'thread_metadata' in channel && channel.thread_metadata
      ? PermissionFlagsBits.SendMessagesInThreads
      : PermissionFlagsBits.SendMessages;
  return (granted & needed) === needed;
}

/**
 * What Discord's client says when Discord refuses what the member did, in words rather than codes
 * (the bot's own refusals come as its ephemeral replies, in the member's language).
 */
export function refusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  switch (error.discordCode) {
    case 40005:
      return `Your file is too large: you can upload files of up to ${UPLOAD_LIMIT_MB} MB. Try a smaller file, or share a link to it.`;
    case 50013:
      return 'You do not have permission to send messages in this channel.';
    case 50035:
      return /10 or fewer/.test(error.message)
        ? 'You can attach up to 10 files to one message. Send the rest in another message.'
        : `Discord could not send this message: ${error.message.replace(/^Discord refused: /, '')}`;
    case 50006:
      return 'You cannot send an empty message.';
    default:
      return error.message.replace(/^Discord refused: /, '');
  }
}
