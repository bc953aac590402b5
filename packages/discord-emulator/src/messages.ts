import {
  AllowedMentionsTypes,
  type APIAllowedMentions,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIUser,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { channelUpdated } from './channels.ts';
import type { EmulatorCore } from './core.ts';
import { apiError } from './errors.ts';
import { toApiMember, toApiUser, toRecordedMessage } from './payloads.ts';
import { channelPermissions, has, isTextBased, isThread } from './permissions.ts';
import { compareSnowflakes, isoTimestamp } from './snowflake.ts';
import type { ChannelRecord, MessageRecord } from './state.ts';
import { FormValidator, type JsonObject } from './validation.ts';

/** A file part of a multipart request (`files[n]`). */
export interface UploadedFile {
  /** The form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Who is writing a message and how it is shown. */
export interface MessageContext {
  authorId: string;
  /** Check the author's permissions in the channel (false for interaction responses, sent as webhooks). */
  checkPermissions: boolean;
  /** Ephemeral: only this user sees the message. */
  visibleTo?: string | null;
  interactionId?: string | null;
  /** Fields that override the built message (type, interaction metadata, webhook id…). */
  extra?: Partial<APIMessage>;
  /** Use this id (a forum post's starter message shares the thread's id). */
  id?: string;
  /** Flags the caller may set beyond the usual ones (Ephemeral for interaction responses). */
  extraAllowedFlags?: number;
  /** Allow an empty message (a deferred response's loading placeholder). */
  allowEmpty?: boolean;
}

/** Flags a message create or edit may set. */
const SETTABLE_FLAGS =
  MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

const NONCE_WINDOW_MS = 5 * 60_000;

/** A message component as it arrives, read loosely to validate it. */
interface ComponentNode {
  type?: number;
  id?: number;
  custom_id?: string;
  style?: number;
  label?: string;
  url?: string;
  options?: unknown[];
  placeholder?: string;
  min_values?: number;
  max_values?: number;
  components?: ComponentNode[];
  component?: ComponentNode;
  accessory?: ComponentNode;
}

/** The parts of a message body after validation. */
export interface MessageFields {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  /** Existing attachments to keep (edits) plus new uploads. */
  attachments?: APIAttachment[];
  flags?: number;
  tts?: boolean;
  allowed_mentions?: APIAllowedMentions;
}

/**
 * Validates a message body (content, embeds, components, attachments, flags) as Discord does,
 * storing uploaded files. Throws 50035 with every problem found.
 *
 * @see https://discord.com/developers/docs/resources/message#create-message-jsonform-params
 */
export function readMessageFields(
  core: EmulatorCore,
  channelId: string,
  body: JsonObject,
  files: readonly UploadedFile[],
  options: {
    existing?: APIAttachment[];
    extraAllowedFlags?: number;
    pathPrefix?: ReadonlyArray<string | number>;
  } = {},
): MessageFields {
  const prefix = options.pathPrefix ?? [];
  const v = new FormValidator();
  const fields: MessageFields = {};

  if (body.content !== undefined) {
    if (body.content === null) fields.content = '';
    else if (v.string([...prefix, 'content'], body.content, 0, 2000)) fields.content = body.content;
  }
  if (body.embeds !== undefined) {
    fields.embeds = body.embeds === null ? [] : readEmbeds(v, body.embeds, prefix);
  }
  if (body.components !== undefined) {
    const componentsV2 = typeof body.flags === 'number' && (body.flags & MessageFlags.IsComponentsV2) !== 0;
    fields.components =
      body.components === null ? [] : readComponents(v, body.components, componentsV2, prefix);
  }
  if (body.flags !== undefined && body.flags !== null) {
    fields.flags = Number(body.flags) & (SETTABLE_FLAGS | (options.extraAllowedFlags ?? 0));
  }
  if (body.tts !== undefined) fields.tts = body.tts === true;
  if (body.allowed_mentions !== undefined && body.allowed_mentions !== null) {
    fields.allowed_mentions = body.allowed_mentions as APIAllowedMentions;
  }

  let total = 0;
  for (const file of files) {
    total += file.data.length;
    if (file.data.length > core.options.uploadLimitBytes || total > core.options.uploadLimitBytes) {
      throw apiError(RESTJSONErrorCodes.RequestEntityTooLarge);
    }
  }
  const described = Array.isArray(body.attachments) ? (body.attachments as JsonObject[]) : null;
  if (described && described.length > 10) {
    v.add([...prefix, 'attachments'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  }
  if (files.length > 10)
    v.add([...prefix, 'files'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  v.throwIfAny();

  const uploads = new Map(files.map((file, index) => [fileIndex(file.field) ?? String(index), file]));
  if (described) {
    const attachments: APIAttachment[] = [];
    for (const entry of described) {
      const ref = String(entry.id);
      const upload = uploads.get(ref);
      if (upload) {
        attachments.push(storeFile(core, channelId, upload, entry));
        uploads.delete(ref);
        continue;
      }
      const kept = options.existing?.find((attachment) => attachment.id === ref);
      if (kept) attachments.push(kept);
    }
    // Files not described in `attachments` are still attached.
    for (const upload of uploads.values()) attachments.push(storeFile(core, channelId, upload, {}));
    fields.attachments = attachments;
  } else if (files.length > 0) {
    fields.attachments = [
      ...(options.existing ?? []),
      ...[...uploads.values()].map((upload) => storeFile(core, channelId, upload, {})),
    ];
  }
  if (fields.embeds && fields.attachments)
    fields.embeds = resolveAttachmentUrls(fields.embeds, fields.attachments);
  return fields;
}

function fileIndex(field: string): string | null {
  return /^files\[(\d+)\]$/.exec(field)?.[1] ?? /^file(\d*)$/.exec(field)?.[1] ?? null;
}

/** Stores an upload and returns its attachment object, served from the emulator's CDN path. */
function storeFile(
  core: EmulatorCore,
  channelId: string,
  upload: UploadedFile,
  entry: JsonObject,
): APIAttachment {
  const id = core.ids.next();
  const filename = (typeof entry.filename === 'string' ? entry.filename : upload.filename).replace(
    /\s/g,
    '_',
  );
  core.state.files.set(`${channelId}/${id}/${filename}`, {
    filename,
    contentType: upload.contentType,
    data: upload.data,
  });
  const attachment: APIAttachment = {
    id,
    filename,
    size: upload.data.length,
    url: core.attachmentUrl(channelId, id, filename),
    proxy_url: core.attachmentUrl(channelId, id, filename, true),
    content_type: upload.contentType,
  };
  // Discord marks a `SPOILER_` file with the attachment flag IS_SPOILER (1 << 3).
  if (filename.startsWith('SPOILER_')) attachment.flags = 1 << 3;
  if (typeof entry.description === 'string') attachment.description = entry.description;
  if (typeof entry.title === 'string') attachment.title = entry.title;
  return attachment;
}

/** `attachment://name` in embed images point at the uploaded file, as on Discord. */
function resolveAttachmentUrls(embeds: APIEmbed[], attachments: APIAttachment[]): APIEmbed[] {
  const resolve = (url: string | undefined): string | undefined => {
    if (!url?.startsWith('attachment://')) return url;
    return (
      attachments.find((attachment) => attachment.filename === url.slice('attachment://'.length))?.url ?? url
    );
  };
  return embeds.map((embed) => {
    const copy = structuredClone(embed);
    if (copy.image) copy.image = { ...copy.image, url: resolve(copy.image.url) ?? copy.image.url };
    if (copy.thumbnail)
      copy.thumbnail = { ...copy.thumbnail, url: resolve(copy.thumbnail.url) ?? copy.thumbnail.url };
    return copy;
  });
}

/**
 * Embed limits: 10 embeds, title 256, description 4096, 25 fields (name 256, value 1024), footer 2048,
 * author name 256, and 6000 characters across all embeds.
 *
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
function readEmbeds(v: FormValidator, value: unknown, prefix: ReadonlyArray<string | number>): APIEmbed[] {
  if (!v.array([...prefix, 'embeds'], value, 10)) return [];
  let total = 0;
  const embeds = value.map((raw, index) => {
    const embed = (raw ?? {}) as JsonObject;
    const path = [...prefix, 'embeds', index];
    const text = (key: string, max: number, sub?: string) => {
      const holder = sub ? ((embed[sub] ?? {}) as JsonObject) : embed;
      const field = holder[key];
      if (typeof field === 'string') {
        total += [...field].length;
        v.string(sub ? [...path, sub, key] : [...path, key], field, 0, max);
      }
    };
    text('title', 256);
    text('description', 4096);
    text('text', 2048, 'footer');
    text('name', 256, 'author');
    if (v.array([...path, 'fields'], embed.fields, 25)) {
      (embed.fields as JsonObject[]).forEach((field, fieldIndex) => {
        v.string([...path, 'fields', fieldIndex, 'name'], field?.name, 1, 256, true);
        v.string([...path, 'fields', fieldIndex, 'value'], field?.value, 1, 1024, true);
        total += [...String(field?.name ?? '')].length + [...String(field?.value ?? '')].length;
      });
    }
    // Discord answers every field with `inline` (false unless asked).
    const fields = Array.isArray(embed.fields)
      ? {
          fields: (embed.fields as JsonObject[]).map((field) => ({
            ...field,
            inline: field?.inline === true,
          })),
        }
      : {};
    return { type: 'rich', ...embed, ...fields } as APIEmbed;
  });
  if (total > 6000)
    v.add([...prefix, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  return embeds;
}

/**
 * Component rules: up to 5 action rows (40 components with IS_COMPONENTS_V2), each row 5 buttons or
 * one select; custom ids 1–100 characters, unique in the message; labels up to 80. Components get
 * their numeric `id` filled in, as Discord does.
 *
 * @see https://discord.com/developers/docs/components/reference
 */
function readComponents(
  v: FormValidator,
  value: unknown,
  componentsV2: boolean,
  prefix: ReadonlyArray<string | number>,
): APIMessageTopLevelComponent[] {
  if (!v.array([...prefix, 'components'], value, componentsV2 ? 40 : 5)) return [];
  const rows = structuredClone(value) as ComponentNode[];
  const seen = new Set<string>();
  let nextId = 1;
  const visit = (node: ComponentNode, path: Array<string | number>) => {
    if (typeof node.id !== 'number') node.id = nextId;
    nextId = Math.max(nextId, node.id) + 1;
    if (node.type === ComponentType.ActionRow) {
      const children = node.components ?? [];
      const selects = children.filter((child) => child.type !== ComponentType.Button).length;
      if (children.length === 0 || children.length > 5 || (selects > 0 && children.length > 1)) {
        v.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
      }
    }
    if (node.type === ComponentType.Button) {
      const link = node.style === 5 || node.style === 6;
      if (!link) v.string([...path, 'custom_id'], node.custom_id, 1, 100, true);
      else if (node.style === 5 && typeof node.url !== 'string') v.required([...path, 'url']);
      v.string([...path, 'label'], node.label, 0, 80);
    }
    if (node.type === ComponentType.StringSelect) {
      v.string([...path, 'custom_id'], node.custom_id, 1, 100, true);
      v.string([...path, 'placeholder'], node.placeholder, 0, 150);
      if (!Array.isArray(node.options) || node.options.length === 0 || node.options.length > 25) {
        v.add([...path, 'options'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
      } else {
        // Each option: label and value 1–100 characters, description up to 100.
        (node.options as { label?: unknown; value?: unknown; description?: unknown }[]).forEach(
          (option, index) => {
            v.string([...path, 'options', index, 'label'], option.label, 1, 100, true);
            v.string([...path, 'options', index, 'value'], option.value, 1, 100, true);
            v.string([...path, 'options', index, 'description'], option.description, 0, 100);
          },
        );
      }
      v.int([...path, 'min_values'], node.min_values, 0, 25);
      v.int([...path, 'max_values'], node.max_values, 1, 25);
    }
    if (typeof node.custom_id === 'string') {
      if (seen.has(node.custom_id)) {
        v.add(
          [...path, 'custom_id'],
          'COMPONENT_CUSTOM_ID_DUPLICATED',
          'Component custom id cannot be duplicated',
        );
      }
      seen.add(node.custom_id);
    }
    node.components?.forEach((child, index) => {
      visit(child, [...path, 'components', index]);
    });
    if (node.component) visit(node.component, [...path, 'component']);
    if (node.accessory) visit(node.accessory, [...path, 'accessory']);
  };
  rows.forEach((row, index) => {
    if (!componentsV2 && row.type !== ComponentType.ActionRow) {
      v.add(
        [...prefix, 'components', index, 'type'],
        'UNION_TYPE_CHOICES',
        'Value of field "type" must be one of (1,).',
      );
    }
    visit(row, [...prefix, 'components', index]);
  });
  return rows as unknown as APIMessageTopLevelComponent[];
}

/** Walks every component of a message, nested ones included. */
export function* allComponents(components: readonly unknown[] | undefined): Generator<ComponentNode> {
  for (const raw of components ?? []) {
    const node = raw as ComponentNode;
    yield node;
    yield* allComponents(node.components);
    if (node.component) yield* allComponents([node.component]);
    if (node.accessory) yield* allComponents([node.accessory]);
  }
}

/**
 * Who a message mentions, after `allowed_mentions` (by default everything in the content is parsed).
 *
 * @see https://discord.com/developers/docs/resources/message#allowed-mentions-object
 */
function resolveMentions(
  core: EmulatorCore,
  channel: ChannelRecord,
  content: string,
  allowed: APIAllowedMentions | undefined,
  repliedTo: APIMessage | null,
): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
  const parse =
    allowed?.parse ??
    (allowed ? [] : [AllowedMentionsTypes.User, AllowedMentionsTypes.Role, AllowedMentionsTypes.Everyone]);
  const userIds = new Set<string>();
  for (const [, id] of content.matchAll(/<@!?(\d+)>/g)) {
    if (id && (parse.includes(AllowedMentionsTypes.User) || allowed?.users?.includes(id))) userIds.add(id);
  }
  if (repliedTo && (allowed ? allowed.replied_user === true : true)) userIds.add(repliedTo.author.id);
  const guild = channel.guild_id ? core.state.guilds.get(channel.guild_id) : undefined;
  const roleIds = new Set<string>();
  for (const [, id] of content.matchAll(/<@&(\d+)>/g)) {
    if (
      id &&
      guild?.roles.has(id) &&
      (parse.includes(AllowedMentionsTypes.Role) || allowed?.roles?.includes(id))
    ) {
      roleIds.add(id);
    }
  }
  const mentions: APIUser[] = [];
  for (const id of userIds) {
    const user = core.state.users.get(id);
    if (user) mentions.push(toApiUser(user));
  }
  return {
    mentions,
    mention_roles: [...roleIds],
    mention_everyone: parse.includes(AllowedMentionsTypes.Everyone) && /@(everyone|here)/.test(content),
  };
}

/** Checks an author may post in a channel (bot: Send Messages from roles and overwrites; DMs open). */
function assertCanSend(
  core: EmulatorCore,
  channel: ChannelRecord,
  authorId: string,
  hasFiles: boolean,
): void {
  const { state } = core;
  if (channel.type === ChannelType.DM) {
    if (authorId === state.botUserId && channel.recipient_id) {
      const recipient = state.user(channel.recipient_id);
      if (recipient.dmsClosed || recipient.bot)
        throw apiError(RESTJSONErrorCodes.CannotSendMessagesToThisUser);
      if (state.mutualGuilds(recipient.id).length === 0) {
        throw apiError(RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds);
      }
    }
    return;
  }
  const permissions = channelPermissions(state, channel, authorId);
  if (!has(permissions, PermissionFlagsBits.ViewChannel)) throw apiError(RESTJSONErrorCodes.MissingAccess);
  const send = isThread(channel)
    ? PermissionFlagsBits.SendMessagesInThreads
    : PermissionFlagsBits.SendMessages;
  if (!has(permissions, send)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
  if (hasFiles && !has(permissions, PermissionFlagsBits.AttachFiles))
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  if (
    isThread(channel) &&
    channel.thread_metadata?.locked &&
    !has(permissions, PermissionFlagsBits.ManageThreads)
  ) {
    throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
  }
}

/**
 * Posts a message: validates it, honours `nonce` + `enforce_nonce` (the same author and nonce within
 * a few minutes returns the first message), resolves mentions and replies, stores attachments,
 * sends MESSAGE_CREATE (not for ephemeral messages) and the feed event.
 *
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createMessage(
  core: EmulatorCore,
  channelId: string,
  body: JsonObject,
  files: readonly UploadedFile[],
  context: MessageContext,
): MessageRecord {
  const { state } = core;
  const channel = state.channel(channelId);
  if (!isTextBased(channel)) throw apiError(RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel);
  if (context.checkPermissions) assertCanSend(core, channel, context.authorId, files.length > 0);

  const v = new FormValidator();
  const nonce = body.nonce;
  if (nonce !== undefined && nonce !== null) {
    if (typeof nonce === 'string') v.string(['nonce'], nonce, 0, 25);
    else if (typeof nonce !== 'number' || !Number.isInteger(nonce))
      v.add(['nonce'], 'BASE_TYPE_STRING', 'Could not interpret value as string.');
  }
  v.throwIfAny();
  const nonceKey =
    nonce === undefined || nonce === null ? null : `${channel.id}:${context.authorId}:${String(nonce)}`;
  if (nonceKey && body.enforce_nonce === true) {
    const seen = state.nonces.get(nonceKey);
    const first =
      seen && Date.now() - seen.at < NONCE_WINDOW_MS ? state.messages.get(seen.messageId) : undefined;
    if (first) return first;
  }

  const fields = readMessageFields(core, channel.id, body, files, {
    extraAllowedFlags: context.extraAllowedFlags ?? 0,
  });
  const content = fields.content ?? '';
  const stickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
  if (
    !context.allowEmpty &&
    content.trim() === '' &&
    !fields.embeds?.length &&
    !fields.attachments?.length &&
    !fields.components?.length &&
    !stickers &&
    body.poll === undefined
  ) {
    throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  }

  let referenced: MessageRecord | null = null;
  const reference = body.message_reference as JsonObject | undefined | null;
  if (reference && reference.message_id !== undefined) {
    const target = state.messages.get(String(reference.message_id));
    if (target && target.message.channel_id === channel.id) referenced = target;
    else if (reference.fail_if_not_exists !== false) {
      const rv = new FormValidator();
      rv.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
      rv.throwIfAny();
    }
  }

  const author = state.user(context.authorId);
  const message: APIMessage = {
    id: context.id ?? core.ids.next(),
    type: referenced ? MessageType.Reply : MessageType.Default,
    content,
    channel_id: channel.id,
    author: toApiUser(author),
    attachments: fields.attachments ?? [],
    embeds: fields.embeds ?? [],
    ...resolveMentions(core, channel, content, fields.allowed_mentions, referenced?.message ?? null),
    pinned: false,
    tts: fields.tts ?? false,
    timestamp: isoTimestamp(),
    edited_timestamp: null,
    flags: fields.flags ?? 0,
    components: fields.components ?? [],
  };
  if (nonce !== undefined && nonce !== null) message.nonce = nonce as string | number;
  if (referenced) {
    message.message_reference = {
      type: MessageReferenceType.Default,
      message_id: referenced.message.id,
      channel_id: channel.id,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    };
    message.referenced_message = structuredClone(referenced.message);
  }
  Object.assign(message, context.extra);
  if (context.visibleTo) {
    message.flags = (message.flags ?? 0) | MessageFlags.Ephemeral;
    for (const attachment of message.attachments) attachment.ephemeral = true;
  }

  const record: MessageRecord = {
    message,
    visibleTo: context.visibleTo ?? null,
    interactionId: context.interactionId ?? null,
  };
  state.messages.set(message.id, record);
  state.channelMessages(channel.id).push(record);
  if (nonceKey) state.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });

  if (!record.visibleTo) {
    channel.last_message_id = message.id;
    if (isThread(channel)) {
      channel.message_count += 1;
      channel.total_message_sent += 1;
      if (channel.thread_metadata?.archived) {
        channel.thread_metadata.archived = false;
        channel.thread_metadata.archive_timestamp = isoTimestamp();
        channelUpdated(core, channel);
      }
    }
    core.gateway.dispatch(GatewayDispatchEvents.MessageCreate, toGatewayMessage(core, record), {
      guildId: channel.guild_id,
      channelId: channel.id,
    });
  }
  core.feed.publish({ type: 'message.created', message: toRecordedMessage(record) });
  return record;
}

/**
 * Edits a message. Its author may change anything; anyone else only `flags` (suppressing embeds),
 * and only with Manage Messages in the channel (50013 without it, 50005 for any other field).
 * Sends MESSAGE_UPDATE.
 *
 * @param actorId - the editor, or null to skip the author check (interaction webhooks)
 * @see https://discord.com/developers/docs/resources/message#edit-message
 */
export function editMessage(
  core: EmulatorCore,
  channelId: string,
  messageId: string,
  body: JsonObject,
  files: readonly UploadedFile[],
  actorId: string | null,
  options: { clearLoading?: boolean; extraAllowedFlags?: number } = {},
): MessageRecord {
  const { state } = core;
  const record = state.message(channelId, messageId);
  const { message } = record;
  const byOther = actorId !== null && message.author.id !== actorId;
  if (byOther) assertMayEditFlagsOnly(core, channelId, body, files, actorId);
  const fields = readMessageFields(core, channelId, body, files, {
    existing: message.attachments,
    extraAllowedFlags: options.extraAllowedFlags ?? 0,
  });
  const next: APIMessage = { ...message };
  if (fields.content !== undefined) next.content = fields.content;
  if (fields.embeds !== undefined) next.embeds = fields.embeds;
  if (fields.components !== undefined) next.components = fields.components;
  if (fields.attachments !== undefined) next.attachments = fields.attachments;
  if (fields.flags !== undefined) {
    const kept = (message.flags ?? 0) & ~SETTABLE_FLAGS;
    next.flags = kept | (fields.flags & SETTABLE_FLAGS);
  }
  if (fields.content !== undefined || fields.allowed_mentions !== undefined) {
    const channel = state.channel(channelId);
    Object.assign(next, resolveMentions(core, channel, next.content, fields.allowed_mentions, null));
  }
  if (options.clearLoading) {
    next.flags = (next.flags ?? 0) & ~MessageFlags.Loading;
  } else if (!byOther) {
    next.edited_timestamp = isoTimestamp();
  }
  if (
    next.content.trim() === '' &&
    next.embeds.length === 0 &&
    next.attachments.length === 0 &&
    (next.components?.length ?? 0) === 0
  ) {
    throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  }
  record.message = next;
  announceUpdate(core, record);
  return record;
}

/** Someone else's message: only a flags-only edit, by a member holding Manage Messages there. */
function assertMayEditFlagsOnly(
  core: EmulatorCore,
  channelId: string,
  body: JsonObject,
  files: readonly UploadedFile[],
  actorId: string,
): void {
  const fields = Object.keys(body).filter((key) => body[key] !== undefined);
  if (files.length > 0 || fields.some((key) => key !== 'flags')) {
    throw apiError(RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser);
  }
  const channel = core.state.channel(channelId);
  if (channel.type === ChannelType.DM) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
  if (!has(channelPermissions(core.state, channel, actorId), PermissionFlagsBits.ManageMessages)) {
    throw apiError(RESTJSONErrorCodes.MissingPermissions);
  }
}

/** Sends MESSAGE_UPDATE (unless ephemeral) and the feed event for a changed message. */
export function announceUpdate(core: EmulatorCore, record: MessageRecord): void {
  const channel = core.state.channel(record.message.channel_id);
  if (!record.visibleTo) {
    core.gateway.dispatch(GatewayDispatchEvents.MessageUpdate, toGatewayMessage(core, record), {
      guildId: channel.guild_id,
      channelId: channel.id,
    });
  }
  core.feed.publish({ type: 'message.updated', message: toRecordedMessage(record) });
}

/**
 * Deletes a message: its author, or someone with Manage Messages in a guild channel.
 *
 * @see https://discord.com/developers/docs/resources/message#delete-message
 */
export function deleteMessage(
  core: EmulatorCore,
  channelId: string,
  messageId: string,
  actorId: string | null,
): void {
  const { state } = core;
  const record = state.message(channelId, messageId);
  const channel = state.channel(channelId);
  if (actorId !== null && record.message.author.id !== actorId) {
    if (channel.type === ChannelType.DM) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    if (!has(channelPermissions(state, channel, actorId), PermissionFlagsBits.ManageMessages)) {
      throw apiError(RESTJSONErrorCodes.MissingPermissions);
    }
  }
  state.messages.delete(messageId);
  const list = state.channelMessages(channelId);
  list.splice(list.indexOf(record), 1);
  if (!record.visibleTo) {
    core.gateway.dispatch(
      GatewayDispatchEvents.MessageDelete,
      { id: messageId, channel_id: channelId, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}) },
      { guildId: channel.guild_id, channelId },
    );
  }
  core.feed.publish({ type: 'message.deleted', channel_id: channelId, id: messageId });
}

/**
 * Messages of a channel, newest first, as `GET /channels/{id}/messages` pages them (`limit` 1–100,
 * `before`, `after`, `around`). Ephemeral messages are never listed.
 *
 * @see https://discord.com/developers/docs/resources/message#get-channel-messages
 */
export function listMessages(
  core: EmulatorCore,
  channelId: string,
  query: { limit?: number; before?: string; after?: string; around?: string },
): APIMessage[] {
  const limit = Math.min(100, Math.max(1, query.limit ?? 50));
  const all = core.state.channelMessages(channelId).filter((record) => !record.visibleTo);
  let picked: MessageRecord[];
  if (query.around) {
    const around = query.around;
    const older = all
      .filter((record) => compareSnowflakes(record.message.id, around) <= 0)
      .slice(-Math.ceil(limit / 2));
    const newer = all
      .filter((record) => compareSnowflakes(record.message.id, around) > 0)
      .slice(0, Math.floor(limit / 2));
    picked = [...older, ...newer];
  } else if (query.after) {
    const after = query.after;
    picked = all.filter((record) => compareSnowflakes(record.message.id, after) > 0).slice(0, limit);
  } else {
    const before = query.before;
    picked = (before ? all.filter((record) => compareSnowflakes(record.message.id, before) < 0) : all).slice(
      -limit,
    );
  }
  return picked.map((record) => structuredClone(record.message)).reverse();
}

/**
 * A message as the gateway sends it: with `guild_id`, the author's `member`, mentions' members and
 * `channel_type` (discord.js drops DM messages without it).
 *
 * @see https://discord.com/developers/docs/events/gateway-events#message-create
 */
export function toGatewayMessage(
  core: EmulatorCore,
  record: MessageRecord,
): APIMessage & Record<string, unknown> {
  const { state } = core;
  const message = structuredClone(record.message);
  const channel = state.channel(message.channel_id);
  const gateway: APIMessage & Record<string, unknown> = { ...message, channel_type: channel.type };
  const guild = channel.guild_id ? state.guilds.get(channel.guild_id) : undefined;
  if (guild) {
    gateway.guild_id = guild.id;
    const member = guild.members.get(message.author.id);
    if (member && !message.webhook_id) {
      const { user: _user, ...partial } = toApiMember(state, member);
      gateway.member = partial;
    }
    gateway.mentions = message.mentions.map((user) => {
      const mentioned = guild.members.get(user.id);
      if (!mentioned) return user;
      const { user: _user, ...partial } = toApiMember(state, mentioned);
      return { ...user, member: partial };
    });
  }
  return gateway;
}
