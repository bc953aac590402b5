import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { SEVERITIES, severityWord } from '../../domain/community/report-forms.ts';

/**
 * /bug, /new_feature (moderators only, checked by the bridge on use, which answers anyone else
 * with where to share the idea) and /case.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#permissions
 */
export function communityCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: 'bug',
      description: 'File an official bug report',
      description_localizations: { 'es-ES': 'Registra un reporte oficial de error' },
      contexts: [InteractionContextType.Guild],
      options: [
        {
          // Picked from a list in the member's language (the form then does not ask for it); left
          // out, the form asks for it as a word in either language.
          type: ApplicationCommandOptionType.String,
          name: 'severity',
          name_localizations: { 'es-ES': 'gravedad' },
          description: 'How bad is it?',
          description_localizations: { 'es-ES': '¿Qué tan grave es?' },
          required: false,
          choices: SEVERITIES.map((severity) => ({
            name: capitalized(severityWord('en', severity)),
            name_localizations: { 'es-ES': capitalized(severityWord('es-ES', severity)) },
            value: severity,
          })),
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'new_feature',
      description: 'File an official feature request (moderators)',
      description_localizations: { 'es-ES': 'Registra una solicitud oficial de función (moderadores)' },
      // Listed for everyone: a member who tries it is told, in their language, who may file one
      // (moderators: Manage Messages or MODERATOR_ROLE_IDS, checked by the bridge on every use) and
      // where to share the idea instead — rather than Discord hiding it or refusing with a code.
      contexts: [InteractionContextType.Guild],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'case',
      description: 'See your support cases',
      description_localizations: { 'es-ES': 'Consulta tus casos de soporte' },
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'number',
          description: 'A case number, to see its timeline',
          description_localizations: { 'es-ES': 'Un número de caso, para ver su historial' },
          required: false,
          min_value: 1,
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'transcript',
          description: "Also send me the transcript of the case's chats, as a file",
          description_localizations: {
            'es-ES': 'Envíame también la transcripción de los chats del caso, como archivo',
          },
          required: false,
        },
      ],
    },
  ];
}

/** "alta" → "Alta": a choice reads as a label in Discord's list. */
function capitalized(word: string): string {
  return word.charAt(0).toLocaleUpperCase() + word.slice(1);
}
