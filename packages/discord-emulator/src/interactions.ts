import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIAttachment,
  type APIBaseInteraction,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmissionComponent,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  type Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import { openDm } from './channels.ts';
import type { EmulatorCore } from './core.ts';
import { apiError, ControlError } from './errors.ts';
import { allComponents, createMessage, deleteMessage, editMessage, type UploadedFile } from './messages.ts';
import { toApiChannel, toApiUser, toInteractionMember, toRecordedMessage } from './payloads.ts';
import { basePermissions, channelPermissions, has, isTextBased, isThread } from './permissions.ts';
import type { ChannelRecord, InitialResponse, InteractionRecord, MessageRecord } from './state.ts';
import { asObject, FormValidator, type JsonObject } from './validation.ts';

/** A value for a slash command option, by option type: text, number, boolean, an id, or a file. */
export type OptionValue = string | number | boolean | AttachmentInput;

/** A file given to the control API (message attachment or attachment option). */
export interface AttachmentInput {
  filename: string;
  contentType?: string;
  /** The bytes, base64-encoded. */
  data: string;
}

/** A member running a slash (or context-menu) command. */
export interface CommandInvocation {
  /** The member (user id or username). */
  user: string;
  /** The command's name. */
  name: string;
  /** Where: a guild channel (id or name), or the bot DM when neither `channel` nor `guild` is given. */
  channel?: string;
  /** A guild (id or name): the command runs in its first channel the member can write in. */
  guild?: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Option values by name, or raw interaction options. */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
  /** Context-menu commands: the user or message the command targets. */
  targetId?: string;
  locale?: string;
}

/** A member clicking a button or choosing in a select menu of a message. */
export interface ComponentUse {
  user: string;
  messageId: string;
  customId: string;
  /** Select menus: the chosen values (option values, or user/role/channel ids). */
  values?: string[];
}

/** A member submitting the modal the bot showed them. */
export interface ModalSubmission {
  user: string;
  /** The interaction the bot answered with the modal (default: the member's latest modal). */
  interactionId?: string;
  /** The modal's custom id, to pick among the member's modals. */
  customId?: string;
  /** Text input values (and select values as arrays) by component custom id. */
  values: Record<string, string | string[]>;
}

/** Where an interaction happens. */
interface Place {
  channel: ChannelRecord;
  guildId: string | null;
}

function resolveUser(core: EmulatorCore, ref: string): string {
  const user = core.state.findUser(ref);
  if (!user) throw new ControlError('not_found', `No user ${ref}`);
  return user.id;
}

/** The command's place: the named channel, a guild's first writable channel, or the bot DM. */
function placeFor(
  core: EmulatorCore,
  userId: string,
  input: { channel?: string | undefined; guild?: string | undefined },
): Place {
  const { state } = core;
  if (input.channel !== undefined) {
    const guildId = input.guild === undefined ? undefined : state.findGuild(input.guild)?.id;
    const channel = state.findChannel(input.channel, guildId);
    if (!channel) throw new ControlError('not_found', `No channel ${input.channel}`);
    return { channel, guildId: channel.guild_id };
  }
  if (input.guild !== undefined) {
    const guild = state.findGuild(input.guild);
    if (!guild) throw new ControlError('not_found', `No guild ${input.guild}`);
    const channel = state
      .guildChannels(guild.id)
      .find(
        (candidate) =>
          isTextBased(candidate) &&
          has(channelPermissions(state, candidate, userId), PermissionFlagsBits.SendMessages),
      );
    if (!channel)
      throw new ControlError('not_found', `No channel in ${guild.name} where the member can write`);
    return { channel, guildId: guild.id };
  }
  return { channel: openDm(core, userId), guildId: null };
}

/** The fields every interaction has, for the member in a place. */
function basePayload<Type extends InteractionType, Data>(
  core: EmulatorCore,
  type: Type,
  data: Data,
  userId: string,
  place: Place,
  locale: string | undefined,
): APIBaseInteraction<Type, Data> {
  const { state } = core;
  const user = state.user(userId);
  const guild = place.guildId ? state.guild(place.guildId) : null;
  const { channel } = place;
  const apiChannel = toApiChannel(state, channel);
  const payload: APIBaseInteraction<Type, Data> = {
    id: core.ids.next(),
    application_id: core.options.applicationId,
    type,
    data,
    channel: {
      ...apiChannel,
      ...(channel.guild_id ? { permissions: channelPermissions(state, channel, userId).toString() } : {}),
    },
    channel_id: channel.id,
    token: `aW50ZXJhY3Rpb24${randomBytes(48).toString('base64url')}`,
    version: 1,
    app_permissions: channelPermissions(state, channel, state.botUserId).toString(),
    locale: (locale ?? user.locale) as Locale,
    entitlements: [],
    authorizing_integration_owners: { 0: guild ? guild.id : '0' },
    context: guild ? InteractionContextType.Guild : InteractionContextType.BotDM,
    attachment_size_limit: core.options.uploadLimitBytes,
  };
  if (guild) {
    const member = guild.members.get(userId);
    if (!member) throw new ControlError('forbidden', `${user.username} is not a member of ${guild.name}`);
    payload.guild_id = guild.id;
    payload.guild = { id: guild.id, features: [], locale: guild.preferred_locale as Locale };
    payload.guild_locale = guild.preferred_locale as Locale;
    payload.member = toInteractionMember(state, member, channel);
  } else {
    payload.user = toApiUser(user);
  }
  return payload;
}

/** Stores an interaction, starts its 3-second clock and sends INTERACTION_CREATE. */
function dispatchInteraction(
  core: EmulatorCore,
  payload: APIInteraction,
  userId: string,
  place: Place,
  sourceMessageId: string | null,
): InteractionRecord {
  const record: InteractionRecord = {
    id: payload.id,
    token: payload.token,
    type: payload.type,
    payload,
    userId,
    guildId: place.guildId,
    channelId: place.channel.id,
    createdAt: Date.now(),
    sourceMessageId,
    response: null,
    originalMessageId: null,
    loading: false,
    followupIds: [],
    modal: null,
    waiters: [],
    deadlineTimer: null,
  };
  record.deadlineTimer = setTimeout(() => {
    record.deadlineTimer = null;
    if (record.response) return;
    for (const waiter of record.waiters.splice(0)) waiter(null);
    core.feed.publish({ type: 'interaction.expired', interaction_id: record.id });
  }, core.options.interactionDeadlineMs);
  record.deadlineTimer.unref();
  core.state.interactions.set(record.id, record);
  core.state.interactionsByToken.set(record.token, record.id);
  core.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, { guildId: place.guildId });
  core.feed.publish({ type: 'interaction.created', interaction: payload });
  return record;
}

/** Resolves with the bot's first response, or null once the deadline passes without one. */
export function waitForInitialResponse(
  core: EmulatorCore,
  record: InteractionRecord,
): Promise<InitialResponse | null> {
  if (record.response) return Promise.resolve(record.response);
  if (Date.now() - record.createdAt >= core.options.interactionDeadlineMs) return Promise.resolve(null);
  return new Promise((resolve) => record.waiters.push(resolve));
}

/** Resolved data for ids of users, members, roles, channels or attachments, as interactions carry it. */
class ResolvedBuilder {
  readonly data: APIInteractionDataResolved & { messages?: Record<string, APIMessage> } = {};

  constructor(
    private readonly core: EmulatorCore,
    private readonly place: Place,
  ) {}

  user(id: string): void {
    const { state } = this.core;
    const user = state.users.get(id);
    if (!user) throw new ControlError('not_found', `No user ${id}`);
    this.data.users = { ...this.data.users, [id]: toApiUser(user) };
    const member = this.place.guildId ? state.guilds.get(this.place.guildId)?.members.get(id) : undefined;
    if (member) {
      const { user: _user, ...partial } = toInteractionMember(state, member, this.place.channel);
      this.data.members = { ...this.data.members, [id]: partial };
    }
  }

  role(id: string): void {
    const role = this.place.guildId
      ? this.core.state.guilds.get(this.place.guildId)?.roles.get(id)
      : undefined;
    if (!role) throw new ControlError('not_found', `No role ${id}`);
    this.data.roles = { ...this.data.roles, [id]: role };
  }

  channel(id: string): void {
    const { state } = this.core;
    const channel = state.channels.get(id);
    if (!channel) throw new ControlError('not_found', `No channel ${id}`);
    const resolved = {
      id: channel.id,
      name: channel.name ?? '',
      type: channel.type,
      permissions: channelPermissions(state, channel, state.botUserId).toString(),
      ...(isThread(channel)
        ? { parent_id: channel.parent_id, thread_metadata: channel.thread_metadata }
        : {}),
    } as APIInteractionDataResolvedChannel;
    this.data.channels = { ...this.data.channels, [id]: resolved };
  }

  mentionable(id: string): void {
    if (this.core.state.users.has(id)) this.user(id);
    else this.role(id);
  }

  attachment(input: AttachmentInput): string {
    const id = this.core.ids.next();
    const data = Buffer.from(input.data, 'base64');
    const filename = input.filename.replace(/\s/g, '_');
    const contentType = input.contentType ?? 'application/octet-stream';
    this.core.state.files.set(`${this.place.channel.id}/${id}/${filename}`, { filename, contentType, data });
    const attachment: APIAttachment = {
      id,
      filename,
      size: data.length,
      url: this.core.attachmentUrl(this.place.channel.id, id, filename),
      proxy_url: this.core.attachmentUrl(this.place.channel.id, id, filename, true),
      content_type: contentType,
      ephemeral: true,
    };
    this.data.attachments = { ...this.data.attachments, [id]: attachment };
    return id;
  }
}

/** Turns `{name: value}` into interaction options typed by the command's definition. */
function buildOptions(
  definitions: readonly APIApplicationCommandOption[],
  values: Record<string, OptionValue>,
  resolved: ResolvedBuilder,
): APIApplicationCommandInteractionDataOption[] {
  for (const name of Object.keys(values)) {
    if (!definitions.some((definition) => definition.name === name)) {
      throw new ControlError('bad_request', `The command has no option ${name}`);
    }
  }
  const options: APIApplicationCommandInteractionDataOption[] = [];
  for (const definition of definitions) {
    const value = values[definition.name];
    if (value === undefined) {
      if ('required' in definition && definition.required) {
        throw new ControlError('bad_request', `Option ${definition.name} is required`);
      }
      continue;
    }
    const choices = 'choices' in definition ? definition.choices : undefined;
    if (choices && choices.length > 0 && !choices.some((choice) => choice.value === value)) {
      throw new ControlError('bad_request', `${String(value)} is not a choice of ${definition.name}`);
    }
    const { type, name } = definition;
    switch (type) {
      case ApplicationCommandOptionType.String:
        options.push({ type, name, value: String(value) });
        break;
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number:
        options.push({ type, name, value: Number(value) });
        break;
      case ApplicationCommandOptionType.Boolean:
        options.push({ type, name, value: value === true || value === 'true' });
        break;
      case ApplicationCommandOptionType.User:
        resolved.user(String(value));
        options.push({ type, name, value: String(value) });
        break;
      case ApplicationCommandOptionType.Role:
        resolved.role(String(value));
        options.push({ type, name, value: String(value) });
        break;
      case ApplicationCommandOptionType.Channel:
        resolved.channel(String(value));
        options.push({ type, name, value: String(value) });
        break;
      case ApplicationCommandOptionType.Mentionable:
        resolved.mentionable(String(value));
        options.push({ type, name, value: String(value) });
        break;
      case ApplicationCommandOptionType.Attachment:
        if (typeof value !== 'object') throw new ControlError('bad_request', `Option ${name} takes a file`);
        options.push({ type, name, value: resolved.attachment(value) });
        break;
      default:
        throw new ControlError(
          'bad_request',
          `Option ${name} is a subcommand; use subcommand/subcommandGroup`,
        );
    }
  }
  return options;
}

/** Whether the member may see and use the command where they are. */
function assertCommandUsable(
  core: EmulatorCore,
  command: APIApplicationCommand,
  userId: string,
  place: Place,
): void {
  const { state } = core;
  if (place.guildId === null) {
    const inDm = command.contexts
      ? command.contexts.includes(InteractionContextType.BotDM)
      : command.dm_permission !== false;
    if (command.guild_id || !inDm)
      throw new ControlError('forbidden', `/${command.name} is not available in DMs`);
    return;
  }
  if (command.contexts && !command.contexts.includes(InteractionContextType.Guild)) {
    throw new ControlError('forbidden', `/${command.name} is not available in servers`);
  }
  if (command.default_member_permissions !== null) {
    const guild = state.guild(place.guildId);
    const required = BigInt(command.default_member_permissions);
    const permissions = basePermissions(guild, userId);
    const admin = has(permissions, PermissionFlagsBits.Administrator);
    if (!admin && (required === 0n || !has(permissions, required))) {
      throw new ControlError(
        'forbidden',
        `/${command.name} is limited to members with permissions ${required}`,
      );
    }
  }
}

/**
 * A member runs an application command: INTERACTION_CREATE (type 2) goes to the bot.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-application-command-data-structure
 */
export function invokeCommand(core: EmulatorCore, input: CommandInvocation): InteractionRecord {
  const { state } = core;
  const userId = resolveUser(core, input.user);
  const place = placeFor(core, userId, input);
  const type = input.targetId === undefined ? ApplicationCommandType.ChatInput : undefined;
  const candidates = [...state.commands.values()].filter(
    (command) =>
      command.name === input.name &&
      (type === undefined || command.type === type) &&
      (command.guild_id === undefined || command.guild_id === place.guildId),
  );
  const command = candidates.find((candidate) => candidate.guild_id !== undefined) ?? candidates[0];
  if (!command) throw new ControlError('not_found', `No command /${input.name} registered here`);
  assertCommandUsable(core, command, userId, place);

  const resolved = new ResolvedBuilder(core, place);
  let options: APIApplicationCommandInteractionDataOption[] | undefined;
  if (Array.isArray(input.options)) {
    options = input.options;
  } else if (command.type === ApplicationCommandType.ChatInput) {
    let definitions = command.options ?? [];
    const path: Array<{
      type: ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup;
      name: string;
    }> = [];
    for (const [kind, name] of [
      [ApplicationCommandOptionType.SubcommandGroup, input.subcommandGroup],
      [ApplicationCommandOptionType.Subcommand, input.subcommand],
    ] as const) {
      if (name === undefined) continue;
      const found = definitions.find((definition) => definition.type === kind && definition.name === name);
      if (!found || !('options' in found))
        throw new ControlError('bad_request', `/${command.name} has no ${name}`);
      definitions = (found.options ?? []) as APIApplicationCommandOption[];
      path.push({ type: kind, name });
    }
    const leaf = buildOptions(definitions, input.options ?? {}, resolved);
    options = path.reduceRight<APIApplicationCommandInteractionDataOption[]>(
      (inner, step) => [
        { type: step.type, name: step.name, options: inner } as APIApplicationCommandInteractionDataOption,
      ],
      leaf,
    );
  }
  if (input.targetId !== undefined) {
    if (command.type === ApplicationCommandType.User) resolved.user(input.targetId);
    if (command.type === ApplicationCommandType.Message) {
      const target = state.messages.get(input.targetId);
      if (!target) throw new ControlError('not_found', `No message ${input.targetId}`);
      resolved.data.messages = { [target.message.id]: structuredClone(target.message) };
    }
  }
  const data = {
    id: command.id,
    name: command.name,
    type: command.type,
    ...(options && options.length > 0 ? { options } : {}),
    ...(Object.keys(resolved.data).length > 0 ? { resolved: resolved.data } : {}),
    ...(command.guild_id ? { guild_id: command.guild_id } : {}),
    ...(input.targetId === undefined ? {} : { target_id: input.targetId }),
  };
  const payload = basePayload(core, InteractionType.ApplicationCommand, data, userId, place, input.locale);
  return dispatchInteraction(core, payload as APIInteraction, userId, place, null);
}

/** The message a member interacts with, checked to be visible to them. */
function messageFor(core: EmulatorCore, userId: string, messageId: string): MessageRecord {
  const record = core.state.messages.get(messageId);
  if (!record || (record.visibleTo !== null && record.visibleTo !== userId)) {
    throw new ControlError('not_found', `No message ${messageId} visible to the member`);
  }
  return record;
}

/**
 * A member clicks a button or chooses values in a select menu: INTERACTION_CREATE (type 3).
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-message-component-data-structure
 */
export function useComponent(core: EmulatorCore, input: ComponentUse): InteractionRecord {
  const userId = resolveUser(core, input.user);
  const record = messageFor(core, userId, input.messageId);
  const component = [...allComponents(record.message.components)].find(
    (node) => node.custom_id === input.customId,
  );
  if (!component)
    throw new ControlError('not_found', `No component ${input.customId} on message ${input.messageId}`);
  if ((component as { disabled?: boolean }).disabled)
    throw new ControlError('conflict', `${input.customId} is disabled`);
  const channel = core.state.channel(record.message.channel_id);
  const place: Place = { channel, guildId: channel.guild_id };
  const resolved = new ResolvedBuilder(core, place);
  let data: JsonObject;
  switch (component.type) {
    case ComponentType.Button:
      data = { custom_id: input.customId, component_type: ComponentType.Button };
      break;
    case ComponentType.StringSelect:
    case ComponentType.UserSelect:
    case ComponentType.RoleSelect:
    case ComponentType.ChannelSelect:
    case ComponentType.MentionableSelect: {
      const values = input.values ?? [];
      const select = component as {
        min_values?: number;
        max_values?: number;
        options?: Array<{ value: string }>;
      };
      const min = select.min_values ?? 1;
      const max = select.max_values ?? 1;
      if (values.length < min || values.length > max) {
        throw new ControlError('bad_request', `Choose between ${min} and ${max} values`);
      }
      if (component.type === ComponentType.StringSelect) {
        for (const value of values) {
          if (!select.options?.some((option) => option.value === value)) {
            throw new ControlError('bad_request', `${value} is not an option of ${input.customId}`);
          }
        }
      }
      for (const value of values) {
        if (component.type === ComponentType.UserSelect) resolved.user(value);
        if (component.type === ComponentType.RoleSelect) resolved.role(value);
        if (component.type === ComponentType.ChannelSelect) resolved.channel(value);
        if (component.type === ComponentType.MentionableSelect) resolved.mentionable(value);
      }
      data = {
        custom_id: input.customId,
        component_type: component.type,
        values,
        ...(component.type === ComponentType.StringSelect ? {} : { resolved: resolved.data }),
      };
      break;
    }
    default:
      throw new ControlError('bad_request', `${input.customId} is not a button or select menu`);
  }
  if (component.type === ComponentType.Button && (component.style === 5 || component.style === 6)) {
    throw new ControlError('bad_request', `${input.customId} is a link button; it sends no interaction`);
  }
  const payload = basePayload(core, InteractionType.MessageComponent, data, userId, place, undefined);
  payload.message = structuredClone(record.message);
  return dispatchInteraction(core, payload as unknown as APIInteraction, userId, place, record.message.id);
}

/**
 * A member submits a modal the bot showed: INTERACTION_CREATE (type 5) with the values, in the shape
 * the modal had (action rows or labels).
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-modal-submit-data-structure
 */
export function submitModal(core: EmulatorCore, input: ModalSubmission): InteractionRecord {
  const { state } = core;
  const userId = resolveUser(core, input.user);
  const source =
    input.interactionId === undefined
      ? [...state.interactions.values()]
          .reverse()
          .find(
            (record) =>
              record.userId === userId &&
              record.modal &&
              (input.customId === undefined || record.modal.custom_id === input.customId),
          )
      : state.interactions.get(input.interactionId);
  const modal = source?.modal;
  if (!source || !modal || source.userId !== userId)
    throw new ControlError('not_found', 'No modal was shown to the member');
  const known = new Set<string>();
  const submitted = modal.components.map((raw): APIModalSubmissionComponent => {
    const node = raw as unknown as {
      type: number;
      id?: number;
      component?: ModalField;
      components?: ModalField[];
    };
    if (node.type === ComponentType.Label && node.component) {
      return {
        type: ComponentType.Label,
        id: node.id ?? 0,
        component: fieldValue(node.component, input.values, known),
      } as APIModalSubmissionComponent;
    }
    if (node.type === ComponentType.ActionRow) {
      return {
        type: ComponentType.ActionRow,
        id: node.id ?? 0,
        components: (node.components ?? []).map((field) => fieldValue(field, input.values, known)),
      } as APIModalSubmissionComponent;
    }
    return { type: ComponentType.TextDisplay, id: node.id ?? 0 } as APIModalSubmissionComponent;
  });
  for (const key of Object.keys(input.values)) {
    if (!known.has(key)) throw new ControlError('bad_request', `The modal has no field ${key}`);
  }
  const channel = state.channel(source.channelId);
  const place: Place = { channel, guildId: channel.guild_id };
  const payload = basePayload(
    core,
    InteractionType.ModalSubmit,
    { custom_id: modal.custom_id, components: submitted },
    userId,
    place,
    undefined,
  );
  const sourceMessage = source.sourceMessageId ? state.messages.get(source.sourceMessageId) : undefined;
  if (sourceMessage) payload.message = structuredClone(sourceMessage.message);
  source.modal = null;
  return dispatchInteraction(
    core,
    payload as APIInteraction,
    userId,
    place,
    sourceMessage?.message.id ?? null,
  );
}

interface ModalField {
  type: number;
  id?: number;
  custom_id: string;
  required?: boolean;
  min_length?: number;
  max_length?: number;
  options?: Array<{ value: string }>;
}

function fieldValue(field: ModalField, values: Record<string, string | string[]>, known: Set<string>) {
  known.add(field.custom_id);
  const value = values[field.custom_id];
  if (field.type === ComponentType.TextInput) {
    const text = typeof value === 'string' ? value : (value?.join(' ') ?? '');
    if (field.required !== false && text === '')
      throw new ControlError('bad_request', `${field.custom_id} is required`);
    if (text !== '' && (text.length < (field.min_length ?? 0) || text.length > (field.max_length ?? 4000))) {
      throw new ControlError(
        'bad_request',
        `${field.custom_id} must be ${field.min_length ?? 0}–${field.max_length ?? 4000} characters`,
      );
    }
    return { type: ComponentType.TextInput, id: field.id ?? 0, custom_id: field.custom_id, value: text };
  }
  const list = value === undefined ? [] : [value].flat();
  if (field.required !== false && list.length === 0)
    throw new ControlError('bad_request', `${field.custom_id} is required`);
  return { type: field.type, id: field.id ?? 0, custom_id: field.custom_id, values: list };
}

/**
 * Reads and checks a modal response: title 1–45, custom id 1–100, 1–5 rows of inputs, each text
 * input with a label of 1–45, a placeholder of up to 100, `min_length` 0–4000, `max_length`
 * 1–4000 and a style of 1 (short) or 2 (paragraph).
 *
 * @see https://discord.com/developers/docs/components/reference#text-input-text-input-structure
 */
function readModal(data: JsonObject): APIModalInteractionResponseCallbackData {
  const v = new FormValidator();
  v.string(['data', 'title'], data.title, 1, 45, true);
  v.string(['data', 'custom_id'], data.custom_id, 1, 100, true);
  if (!Array.isArray(data.components) || data.components.length === 0 || data.components.length > 5) {
    v.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  } else {
    (data.components as JsonObject[]).forEach((row, index) => {
      const fields =
        row.type === ComponentType.Label
          ? [row.component as JsonObject]
          : row.type === ComponentType.ActionRow
            ? (row.components as JsonObject[])
            : [];
      if (row.type === ComponentType.Label)
        v.string(['data', 'components', index, 'label'], row.label, 1, 45, true);
      for (const field of fields ?? []) {
        if (field?.type === ComponentType.TextInput) {
          v.string(['data', 'components', index, 'custom_id'], field.custom_id, 1, 100, true);
          v.string(['data', 'components', index, 'value'], field.value, 0, 4000);
          v.string(['data', 'components', index, 'placeholder'], field.placeholder, 0, 100);
          v.int(['data', 'components', index, 'min_length'], field.min_length, 0, 4000);
          v.int(['data', 'components', index, 'max_length'], field.max_length, 1, 4000);
          v.choice(['data', 'components', index, 'style'], field.style, [1, 2]);
          if (row.type === ComponentType.ActionRow)
            v.string(['data', 'components', index, 'label'], field.label, 1, 45, true);
        }
      }
    });
  }
  v.throwIfAny();
  return structuredClone(data) as unknown as APIModalInteractionResponseCallbackData;
}

/** Fields of a message made by an interaction response or followup. */
function responseExtra(
  core: EmulatorCore,
  record: InteractionRecord,
  followup: boolean,
): Partial<APIMessage> {
  const { state } = core;
  const user = toApiUser(state.user(record.userId));
  const payload = record.payload as { data?: { name?: string; type?: ApplicationCommandType } };
  const command = record.type === InteractionType.ApplicationCommand;
  const source = record.sourceMessageId;
  const metadata = {
    id: record.id,
    type: record.type,
    user,
    authorizing_integration_owners: record.payload.authorizing_integration_owners,
    ...(followup && record.originalMessageId
      ? { original_response_message_id: record.originalMessageId }
      : {}),
    ...(record.type === InteractionType.MessageComponent && source ? { interacted_message_id: source } : {}),
  };
  const channel = state.channel(record.channelId);
  let type = command
    ? payload.data?.type === ApplicationCommandType.ChatInput
      ? MessageType.ChatInputCommand
      : MessageType.ContextMenuCommand
    : MessageType.Default;
  const extra: Partial<APIMessage> = {
    webhook_id: core.options.applicationId,
    application_id: core.options.applicationId,
    interaction_metadata: metadata as NonNullable<APIMessage['interaction_metadata']>,
    interaction: { id: record.id, type: record.type, name: payload.data?.name ?? '', user },
  };
  if (!command && source && state.messages.get(source)?.message.channel_id === channel.id) {
    type = MessageType.Reply;
    extra.message_reference = {
      message_id: source,
      channel_id: channel.id,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    };
  }
  extra.type = type;
  return extra;
}

function settle(core: EmulatorCore, record: InteractionRecord, response: InitialResponse): void {
  record.response = response;
  if (record.deadlineTimer) clearTimeout(record.deadlineTimer);
  record.deadlineTimer = null;
  for (const waiter of record.waiters.splice(0)) waiter(response);
  core.feed.publish({ type: 'interaction.responded', interaction_id: record.id, response });
}

/**
 * Handles `POST /interactions/{id}/{token}/callback`: the bot's first response. Within the deadline
 * (3 s) and once only: 10062 after the deadline, 40060 when already acknowledged.
 *
 * @returns the callback response object when `with_response` is set, otherwise null (204)
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-interaction-response
 */
export function respondToInteraction(
  core: EmulatorCore,
  interactionId: string,
  token: string,
  rawBody: unknown,
  files: readonly UploadedFile[],
  withResponse: boolean,
): RESTPostAPIInteractionCallbackWithResponseResult | null {
  const { state } = core;
  const record = state.interactions.get(interactionId);
  if (!record || record.token !== token) throw apiError(RESTJSONErrorCodes.UnknownInteraction);
  if (record.response) throw apiError(RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);
  if (Date.now() - record.createdAt > core.options.interactionDeadlineMs)
    throw apiError(RESTJSONErrorCodes.UnknownInteraction);

  const body = asObject(rawBody);
  const type = Number(body.type);
  const data = body.data === undefined || body.data === null ? {} : asObject(body.data);
  const ephemeral = typeof data.flags === 'number' && (data.flags & MessageFlags.Ephemeral) !== 0;
  const component = record.type === InteractionType.MessageComponent;
  const fromComponentMessage =
    component || (record.type === InteractionType.ModalSubmit && record.sourceMessageId !== null);
  const invalid = () => {
    const v = new FormValidator();
    v.add(
      ['type'],
      'INTERACTION_RESPONSE_TYPE_INVALID',
      `Interaction response type ${type} is not valid for this interaction`,
    );
    return v;
  };

  let response: InitialResponse;
  let message: MessageRecord | null = null;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      message = createMessage(core, record.channelId, data, files, {
        authorId: state.botUserId,
        checkPermissions: false,
        visibleTo: ephemeral ? record.userId : null,
        interactionId: record.id,
        extra: responseExtra(core, record, false),
        extraAllowedFlags: MessageFlags.Ephemeral,
      });
      record.originalMessageId = message.message.id;
      response = { type, kind: 'message', message: toRecordedMessage(message) };
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      message = createMessage(core, record.channelId, { content: '' }, [], {
        authorId: state.botUserId,
        checkPermissions: false,
        visibleTo: ephemeral ? record.userId : null,
        interactionId: record.id,
        extra: { ...responseExtra(core, record, false), flags: MessageFlags.Loading },
        allowEmpty: true,
      });
      record.originalMessageId = message.message.id;
      record.loading = true;
      response = { type, kind: 'deferred', ephemeral, message: toRecordedMessage(message) };
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate: {
      if (!fromComponentMessage) invalid().throwIfAny();
      record.originalMessageId = record.sourceMessageId;
      response = { type, kind: 'deferred-update' };
      break;
    }
    case InteractionResponseType.UpdateMessage: {
      if (!fromComponentMessage || record.sourceMessageId === null) invalid().throwIfAny();
      const source = state.messages.get(record.sourceMessageId ?? '');
      if (!source) throw apiError(RESTJSONErrorCodes.UnknownMessage);
      message = editMessage(core, source.message.channel_id, source.message.id, data, files, null, {
        extraAllowedFlags: MessageFlags.Ephemeral,
      });
      record.originalMessageId = source.message.id;
      response = { type, kind: 'update', message: toRecordedMessage(message) };
      break;
    }
    case InteractionResponseType.Modal: {
      if (record.type === InteractionType.ModalSubmit) invalid().throwIfAny();
      const modal = readModal(data);
      record.modal = modal;
      response = { type, kind: 'modal', modal };
      break;
    }
    default:
      invalid().throwIfAny();
      throw apiError(RESTJSONErrorCodes.UnknownInteraction);
  }
  settle(core, record, response);
  if (!withResponse) return null;
  return {
    interaction: {
      id: record.id,
      type: record.type,
      ...(message
        ? {
            response_message_id: message.message.id,
            response_message_loading: record.loading,
            response_message_ephemeral: message.visibleTo !== null,
          }
        : {}),
    },
    resource: { type, ...(message ? { message: structuredClone(message.message) } : {}) } as NonNullable<
      RESTPostAPIInteractionCallbackWithResponseResult['resource']
    >,
  };
}

/**
 * The interaction behind a webhook token (`/webhooks/{application.id}/{interaction.token}`): 10015 when
 * unknown, 50027 once the 15-minute token has expired.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
 */
export function interactionForWebhook(
  core: EmulatorCore,
  applicationId: string,
  token: string,
): InteractionRecord {
  const id = core.state.interactionsByToken.get(token);
  const record = id === undefined ? undefined : core.state.interactions.get(id);
  if (!record || applicationId !== core.options.applicationId)
    throw apiError(RESTJSONErrorCodes.UnknownWebhook);
  if (Date.now() - record.createdAt > core.options.interactionTokenTtlMs)
    throw apiError(RESTJSONErrorCodes.InvalidWebhookToken);
  if (!record.response) throw apiError(RESTJSONErrorCodes.UnknownWebhook);
  return record;
}

/**
 * A followup message. After a deferred reply the first followup fills the loading message (keeping
 * the deferral's ephemeral flag), as on Discord; later ones are new messages.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message
 */
export function createFollowup(
  core: EmulatorCore,
  record: InteractionRecord,
  rawBody: unknown,
  files: readonly UploadedFile[],
): MessageRecord {
  const body = asObject(rawBody);
  if (record.loading && record.originalMessageId) {
    const original = core.state.messages.get(record.originalMessageId);
    if (original) {
      record.loading = false;
      const { flags: _flags, ...rest } = body;
      const filled = editMessage(core, original.message.channel_id, original.message.id, rest, files, null, {
        clearLoading: true,
      });
      record.followupIds.push(filled.message.id);
      return filled;
    }
  }
  const ephemeral = typeof body.flags === 'number' && (body.flags & MessageFlags.Ephemeral) !== 0;
  const message = createMessage(core, record.channelId, body, files, {
    authorId: core.state.botUserId,
    checkPermissions: false,
    visibleTo: ephemeral ? record.userId : null,
    interactionId: record.id,
    extra: responseExtra(core, record, true),
    extraAllowedFlags: MessageFlags.Ephemeral,
  });
  record.followupIds.push(message.message.id);
  return message;
}

/** `@original` or a followup's id → the message, 10008 when the interaction has no such message. */
export function webhookMessage(
  core: EmulatorCore,
  record: InteractionRecord,
  messageRef: string,
): MessageRecord {
  const id = messageRef === '@original' ? record.originalMessageId : messageRef;
  const owned = id !== null && (id === record.originalMessageId || record.followupIds.includes(id));
  const message = owned ? core.state.messages.get(id) : undefined;
  if (!message) throw apiError(RESTJSONErrorCodes.UnknownMessage);
  return message;
}

/**
 * Edits the original response or a followup; editing a deferred reply's loading message fills it.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
 */
export function editWebhookMessage(
  core: EmulatorCore,
  record: InteractionRecord,
  messageRef: string,
  rawBody: unknown,
  files: readonly UploadedFile[],
): MessageRecord {
  const target = webhookMessage(core, record, messageRef);
  const clearLoading = record.loading && target.message.id === record.originalMessageId;
  if (clearLoading) record.loading = false;
  return editMessage(core, target.message.channel_id, target.message.id, asObject(rawBody), files, null, {
    clearLoading,
  });
}

/** @see https://discord.com/developers/docs/interactions/receiving-and-responding#delete-original-interaction-response */
export function deleteWebhookMessage(
  core: EmulatorCore,
  record: InteractionRecord,
  messageRef: string,
): void {
  const target = webhookMessage(core, record, messageRef);
  deleteMessage(core, target.message.channel_id, target.message.id, null);
}
