import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { ChannelNode } from './discord-api.ts';

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
