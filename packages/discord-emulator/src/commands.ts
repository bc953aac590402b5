import { isDeepStrictEqual } from 'node:util';
import {
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type InteractionContextType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { EmulatorCore } from './core.ts';
import { apiError, DiscordApiError } from './errors.ts';
import { FormValidator, type JsonObject } from './validation.ts';

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_PER_TYPE: Record<number, number> = {
  [ApplicationCommandType.ChatInput]: 100,
  [ApplicationCommandType.User]: 15,
  [ApplicationCommandType.Message]: 15,
};

/** A command as registered, minus what the emulator assigns (`id`, `version`, `application_id`). */
type CommandDefinition = Omit<APIApplicationCommand, 'id' | 'version' | 'application_id'>;

function checkName(v: FormValidator, path: Array<string | number>, name: unknown, lowercase: boolean): void {
  if (typeof name !== 'string' || !NAME.test(name) || (lowercase && name !== name.toLowerCase())) {
    v.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function readOptions(
  v: FormValidator,
  path: Array<string | number>,
  value: unknown,
  depth: number,
): APIApplicationCommandOption[] {
  if (!v.array([...path, 'options'], value, 25)) return [];
  const names = new Set<string>();
  let optionalSeen = false;
  return value.map((raw, index) => {
    const option = (raw ?? {}) as JsonObject;
    const at = [...path, 'options', index];
    const type = Number(option.type);
    if (
      !(type >= ApplicationCommandOptionType.Subcommand && type <= ApplicationCommandOptionType.Attachment)
    ) {
      v.add(
        [...at, 'type'],
        'BASE_TYPE_CHOICES',
        'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).',
      );
    }
    checkName(v, at, option.name, true);
    v.string([...at, 'description'], option.description, 1, 100, true);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        v.add(
          [...at, 'name'],
          'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          'Option name already exists',
        );
      }
      names.add(option.name);
    }
    const nested =
      type === ApplicationCommandOptionType.Subcommand ||
      type === ApplicationCommandOptionType.SubcommandGroup;
    if (nested && depth >= 2)
      v.add([...at, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Subcommands are nested too deep');
    if (!nested) {
      if (option.required === true && optionalSeen) {
        v.add(
          [...at, 'required'],
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        );
      }
      if (option.required !== true) optionalSeen = true;
    }
    if (v.array([...at, 'choices'], option.choices, 25)) {
      // A choice: `name` 1–100 characters, its `name_localizations` under the same limits (the
      // client shows the one for the member's locale), `value` up to 100 characters for a string
      // option.
      // @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure
      (option.choices as JsonObject[]).forEach((choice, choiceIndex) => {
        const choiceAt = [...at, 'choices', choiceIndex];
        v.string([...choiceAt, 'name'], choice?.name, 1, 100, true);
        const localized = choice?.name_localizations;
        if (localized && typeof localized === 'object')
          for (const [locale, name] of Object.entries(localized))
            if (name !== null) v.string([...choiceAt, 'name_localizations', locale], name, 1, 100);
        if (type === ApplicationCommandOptionType.String)
          v.string([...choiceAt, 'value'], choice?.value, 1, 100, true);
      });
    }
    const copy = { ...option } as JsonObject;
    if (nested) copy.options = readOptions(v, at, option.options ?? [], depth + 1);
    return copy as unknown as APIApplicationCommandOption;
  });
}

/**
 * Validates one command body: names 1–32 characters (lowercase for slash commands), description 1–100
 * (empty for context-menu commands), at most 25 options, required options first.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */
function readCommand(
  v: FormValidator,
  path: Array<string | number>,
  raw: unknown,
  guildId: string | null,
): CommandDefinition {
  const body = (raw ?? {}) as JsonObject;
  const type = body.type === undefined ? ApplicationCommandType.ChatInput : Number(body.type);
  if (
    ![ApplicationCommandType.ChatInput, ApplicationCommandType.User, ApplicationCommandType.Message].includes(
      type,
    )
  ) {
    v.add([...path, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3).');
  }
  const chatInput = type === ApplicationCommandType.ChatInput;
  checkName(v, path, body.name, chatInput);
  if (chatInput) v.string([...path, 'description'], body.description, 1, 100, true);
  else if (body.description !== undefined && body.description !== '') {
    v.add(
      [...path, 'description'],
      'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION',
      'Context menu commands cannot have a description',
    );
  }
  const options = chatInput ? readOptions(v, path, body.options ?? [], 0) : [];
  const command: CommandDefinition = {
    type: type as ApplicationCommandType,
    name: String(body.name ?? ''),
    description: chatInput ? String(body.description ?? '') : '',
    default_member_permissions:
      body.default_member_permissions === undefined || body.default_member_permissions === null
        ? null
        : String(body.default_member_permissions),
    nsfw: body.nsfw === true,
  };
  if (options.length > 0) command.options = options;
  if (body.name_localizations)
    command.name_localizations = body.name_localizations as NonNullable<
      CommandDefinition['name_localizations']
    >;
  if (body.description_localizations) {
    command.description_localizations = body.description_localizations as NonNullable<
      CommandDefinition['description_localizations']
    >;
  }
  if (guildId === null) {
    command.dm_permission = body.dm_permission !== false;
    command.contexts = Array.isArray(body.contexts) ? (body.contexts as InteractionContextType[]) : null;
    command.integration_types = Array.isArray(body.integration_types)
      ? (body.integration_types as ApplicationIntegrationType[])
      : [ApplicationIntegrationType.GuildInstall];
  } else {
    command.guild_id = guildId;
  }
  return command;
}

/** Commands registered for a scope (global: `guildId` null), in registration order. */
export function listCommands(core: EmulatorCore, guildId: string | null): APIApplicationCommand[] {
  return [...core.state.commands.values()].filter((command) => (command.guild_id ?? null) === guildId);
}

function assertScope(core: EmulatorCore, applicationId: string, guildId: string | null): void {
  if (applicationId !== core.options.applicationId) {
    throw apiError(RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication);
  }
  if (guildId !== null) {
    const guild = core.state.guild(guildId);
    if (!guild.members.has(core.state.botUserId)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  }
}

/** Stores a definition over the command of the same name and type, keeping its id; new version when changed. */
function save(
  core: EmulatorCore,
  definition: CommandDefinition,
  guildId: string | null,
): { command: APIApplicationCommand; created: boolean } {
  const existing = listCommands(core, guildId).find(
    (command) => command.name === definition.name && command.type === definition.type,
  );
  if (existing) {
    const { id, version, application_id, ...current } = existing;
    if (isDeepStrictEqual(current, definition)) return { command: existing, created: false };
    const command: APIApplicationCommand = { id, application_id, version: core.ids.next(), ...definition };
    core.state.commands.set(id, command);
    return { command, created: false };
  }
  const id = core.ids.next();
  const command: APIApplicationCommand = {
    id,
    application_id: core.options.applicationId,
    version: id,
    ...definition,
  };
  core.state.commands.set(id, command);
  return { command, created: true };
}

function announce(core: EmulatorCore, guildId: string | null): void {
  core.feed.publish({ type: 'commands.updated', guild_id: guildId, commands: listCommands(core, guildId) });
}

/**
 * Replaces all commands of a scope with `body` (an array): commands keep their id when their name and
 * type stay, the others are deleted.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export function overwriteCommands(
  core: EmulatorCore,
  applicationId: string,
  guildId: string | null,
  body: unknown,
): APIApplicationCommand[] {
  assertScope(core, applicationId, guildId);
  const v = new FormValidator();
  if (!Array.isArray(body)) {
    throw new DiscordApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', {
      errors: { _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] },
    });
  }
  const definitions = body.map((raw, index) => readCommand(v, [index], raw, guildId));
  const seen = new Set<string>();
  definitions.forEach((definition, index) => {
    const key = `${definition.type}:${definition.name}`;
    if (seen.has(key))
      v.add(
        [index, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        `Application command names must be unique`,
      );
    seen.add(key);
  });
  v.throwIfAny();
  for (const [type, max] of Object.entries(MAX_PER_TYPE)) {
    if (definitions.filter((definition) => definition.type === Number(type)).length > max) {
      throw new DiscordApiError(
        400,
        RESTJSONErrorCodes.MaximumNumberOfApplicationCommandsReached,
        `Maximum number of application commands reached (${max})`,
      );
    }
  }
  const saved = definitions.map((definition) => save(core, definition, guildId).command);
  const keep = new Set(saved.map((command) => command.id));
  for (const command of listCommands(core, guildId)) {
    if (!keep.has(command.id)) core.state.commands.delete(command.id);
  }
  announce(core, guildId);
  return saved;
}

/**
 * Creates a command, or overwrites the one with the same name and type.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#create-global-application-command
 */
export function createCommand(
  core: EmulatorCore,
  applicationId: string,
  guildId: string | null,
  body: unknown,
): { command: APIApplicationCommand; created: boolean } {
  assertScope(core, applicationId, guildId);
  const v = new FormValidator();
  const definition = readCommand(v, [], body, guildId);
  v.throwIfAny();
  const max = MAX_PER_TYPE[definition.type] ?? 100;
  const existing = listCommands(core, guildId).filter((command) => command.type === definition.type);
  if (!existing.some((command) => command.name === definition.name) && existing.length >= max) {
    throw new DiscordApiError(
      400,
      RESTJSONErrorCodes.MaximumNumberOfApplicationCommandsReached,
      `Maximum number of application commands reached (${max})`,
    );
  }
  const result = save(core, definition, guildId);
  announce(core, guildId);
  return result;
}

/** @see https://discord.com/developers/docs/interactions/application-commands#get-global-application-command */
export function getCommand(
  core: EmulatorCore,
  applicationId: string,
  guildId: string | null,
  commandId: string,
): APIApplicationCommand {
  assertScope(core, applicationId, guildId);
  const command = core.state.commands.get(commandId);
  if (!command || (command.guild_id ?? null) !== guildId)
    throw apiError(RESTJSONErrorCodes.UnknownApplicationCommand);
  return command;
}

/**
 * Changes some fields of a command.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#edit-global-application-command
 */
export function editCommand(
  core: EmulatorCore,
  applicationId: string,
  guildId: string | null,
  commandId: string,
  body: JsonObject,
): APIApplicationCommand {
  const current = getCommand(core, applicationId, guildId, commandId);
  const { id: _id, version: _version, application_id: _app, guild_id: _guild, ...definition } = current;
  const v = new FormValidator();
  const merged = readCommand(v, [], { ...definition, ...body, type: current.type }, guildId);
  v.throwIfAny();
  const clash = listCommands(core, guildId).find(
    (command) => command.id !== commandId && command.name === merged.name && command.type === merged.type,
  );
  if (clash) {
    v.add(['name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    v.throwIfAny();
  }
  const command: APIApplicationCommand = {
    id: current.id,
    application_id: current.application_id,
    version: isDeepStrictEqual(definition, merged) ? current.version : core.ids.next(),
    ...merged,
  };
  core.state.commands.set(command.id, command);
  announce(core, guildId);
  return command;
}

/** @see https://discord.com/developers/docs/interactions/application-commands#delete-global-application-command */
export function deleteCommand(
  core: EmulatorCore,
  applicationId: string,
  guildId: string | null,
  commandId: string,
): void {
  getCommand(core, applicationId, guildId, commandId);
  core.state.commands.delete(commandId);
  announce(core, guildId);
}
