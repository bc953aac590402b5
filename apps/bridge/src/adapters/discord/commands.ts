import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { communityCommands } from './community-commands.ts';

/** Discord's two Spanish locales: Spain, and Latin America. */
const SPANISH_LOCALES = ['es-ES', 'es-419'] as const;

/**
 * The slash commands the bridge registers (bulk overwrite, so the list here is the whole truth),
 * with every description in English and in both of Discord's Spanish locales.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 * @see https://discord.com/developers/docs/reference#locales
 */
export function slashCommands(): RESTPutAPIApplicationCommandsJSONBody {
  return commandList().map(inBothSpanishLocales);
}

type Localized = {
  description?: string;
  description_localizations?: Record<string, string | null> | null | undefined;
  options?: unknown[];
};

/** A description written for `es-ES` is given to `es-419` members too, options included. */
function inBothSpanishLocales<T>(item: T): T {
  const entry = item as Localized;
  const spanish = entry.description_localizations?.['es-ES'];
  return {
    ...item,
    ...(spanish
      ? {
          description_localizations: {
            ...entry.description_localizations,
            ...Object.fromEntries(
              SPANISH_LOCALES.map((locale) => [locale, entry.description_localizations?.[locale] ?? spanish]),
            ),
          },
        }
      : {}),
    ...(entry.options ? { options: entry.options.map(inBothSpanishLocales) } : {}),
  };
}

function commandList(): RESTPutAPIApplicationCommandsJSONBody {
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
