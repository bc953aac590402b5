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

type Localizations = Record<string, string | null> | null | undefined;
type Localized = {
  description?: string;
  description_localizations?: Localizations;
  name_localizations?: Localizations;
  options?: unknown[];
};

/** A name or description written for `es-ES` is given to `es-419` members too, options included. */
function inBothSpanishLocales<T>(item: T): T {
  const entry = item as Localized;
  const both = (field: 'description_localizations' | 'name_localizations') => {
    const localized = entry[field];
    const spanish = localized?.['es-ES'];
    return spanish
      ? {
          [field]: {
            ...localized,
            ...Object.fromEntries(SPANISH_LOCALES.map((locale) => [locale, localized?.[locale] ?? spanish])),
          },
        }
      : {};
  };
  return {
    ...item,
    ...both('description_localizations'),
    ...both('name_localizations'),
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
    {
      type: ApplicationCommandType.ChatInput,
      name: 'privacy',
      name_localizations: { 'es-ES': 'privacidad' },
      description: 'Your data: get a copy of it, or erase it',
      description_localizations: { 'es-ES': 'Tus datos: recibe una copia o bórralos' },
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'export',
          name_localizations: { 'es-ES': 'exportar' },
          description: 'Get a file with everything we keep about you',
          description_localizations: { 'es-ES': 'Recibe un archivo con todo lo que guardamos sobre ti' },
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'delete',
          name_localizations: { 'es-ES': 'borrar' },
          description: 'Erase your personal data (asks you to confirm first)',
          description_localizations: { 'es-ES': 'Borra tus datos personales (te pide confirmación antes)' },
        },
      ],
    },
  ];
}
