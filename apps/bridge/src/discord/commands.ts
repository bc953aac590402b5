import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { communityCommands } from '../community/community-commands.ts';

/**
 * The slash commands the bridge registers (bulk overwrite, so the list here is the whole truth).
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export function slashCommands(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: 'helpme',
      description: 'Get help from our support assistant and team in a private DM',
      description_localizations: {
        'es-ES': 'Recibe ayuda del asistente y del equipo de soporte por mensaje directo',
      },
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'topic',
          description: 'What do you need help with?',
          description_localizations: { 'es-ES': '¿Con qué necesitas ayuda?' },
          required: false,
          max_length: 100,
        },
      ],
    },
    ...communityCommands(),
  ];
}
