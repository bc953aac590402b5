import type { FlexcordFeature } from '../../feature.ts';
import { addDiscordStrings, registerDiscordTaskChannel } from './discord-task-channel.tsx';

/** Discord chats as their own Flex task channel: icon, colour and the member's name. */
export const discordChannelFeature: FlexcordFeature = {
  name: 'discord-channel',
  register(flex, manager) {
    addDiscordStrings(manager);
    registerDiscordTaskChannel(flex);
  },
};
