import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/**
 * /bug, /new_feature (hidden from members by `default_member_permissions`: Manage Messages; the
 * bridge checks again on use) and /case.
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
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'new_feature',
      description: 'File an official feature request (moderators)',
      description_localizations: { 'es-ES': 'Registra una solicitud oficial de función (moderadores)' },
      contexts: [InteractionContextType.Guild],
      default_member_permissions: PermissionFlagsBits.ManageMessages.toString(),
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
      ],
    },
  ];
}
