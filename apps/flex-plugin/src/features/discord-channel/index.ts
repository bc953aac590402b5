import { registerStrings } from '../../agent/strings.ts';
import type { FlexcordFeature } from '../../feature.ts';
import { addDiscordStrings, registerDiscordTaskChannel } from './discord-task-channel.tsx';
import { HANDOVER_STRINGS, registerHandoverNotice } from './handover-notice.tsx';

/**
 * Discord chats as their own Flex task channel: icon, colour and the member's name; a request for
 * an agent the member made with a button shows as a notice, not as words they typed.
 */
export const discordChannelFeature: FlexcordFeature = {
  name: 'discord-channel',
  register(flex, manager) {
    addDiscordStrings(manager);
    registerDiscordTaskChannel(flex);
    registerStrings(manager, HANDOVER_STRINGS);
    registerHandoverNotice(flex, manager);
  },
};
