import { ChannelType, MessageFlags, MessageType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { assertCanCreateThread, buildThread, storeThread } from './channels.ts';
import type { EmulatorCore } from './core.ts';
import { apiError } from './errors.ts';
import { announceUpdate, createMessage, readMessageFields, type UploadedFile } from './messages.ts';
import { toApiThread } from './payloads.ts';
import { isThread, isThreadOnly } from './permissions.ts';
import type { ChannelRecord, MessageRecord } from './state.ts';
import { asObject, FormValidator, type JsonObject } from './validation.ts';

/** A new thread and, for forum posts, its starter message. */
export interface StartedThread {
  thread: ChannelRecord;
  message: MessageRecord | null;
}

/**
 * Starts a thread in a channel. In a forum or media channel this creates a post: a thread whose
 * starter message comes from `message` (and shares the thread's id), tagged with `applied_tags`.
 * In a text channel it starts a thread without a message (private unless `type` says otherwise).
 *
 * @see https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel
 * @see https://discord.com/developers/docs/resources/channel#start-thread-without-message
 */
export function startThread(
  core: EmulatorCore,
  parentId: string,
  body: JsonObject,
  files: readonly UploadedFile[],
  actorId: string,
): StartedThread {
  const parent = core.state.channel(parentId);
  if (isThreadOnly(parent)) {
    assertCanCreateThread(core, parent, ChannelType.PublicThread, actorId);
    const v = new FormValidator();
    if (body.message === undefined || body.message === null) v.required(['message']);
    v.throwIfAny();
    const message = asObject(body.message);
    // Validate the starter message before anything exists, so a bad post leaves no thread behind.
    const fields = readMessageFields(core, parent.id, { ...message, attachments: undefined }, [], {
      pathPrefix: ['message'],
    });
    if (
      !fields.content?.trim() &&
      !fields.embeds?.length &&
      !fields.components?.length &&
      files.length === 0
    ) {
      throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
    }
    const thread = buildThread(
      core,
      parent,
      { ...body, name: body.name, type: ChannelType.PublicThread },
      actorId,
    );
    storeThread(core, thread);
    const starter = createMessage(core, thread.id, message, files, {
      authorId: actorId,
      checkPermissions: false,
      id: thread.id,
    });
    // The starter message is not counted in message_count.
    thread.message_count = Math.max(0, thread.message_count - 1);
    parent.last_message_id = thread.id;
    return { thread, message: starter };
  }

  const fallback =
    parent.type === ChannelType.GuildAnnouncement
      ? ChannelType.AnnouncementThread
      : ChannelType.PrivateThread;
  const type = body.type === undefined || body.type === null ? fallback : Number(body.type);
  if (
    type !== ChannelType.PublicThread &&
    type !== ChannelType.PrivateThread &&
    type !== ChannelType.AnnouncementThread
  ) {
    const v = new FormValidator();
    v.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of (10, 11, 12).');
    v.throwIfAny();
  }
  assertCanCreateThread(core, parent, type, actorId);
  const thread = buildThread(
    core,
    parent,
    { ...body, name: body.name, type: type as ChannelType.PublicThread },
    actorId,
  );
  storeThread(core, thread);
  if (type !== ChannelType.PrivateThread) {
    // Discord marks a new public thread in its parent with a "thread created" system message.
    createMessage(core, parent.id, { content: thread.name ?? '' }, [], {
      authorId: actorId,
      checkPermissions: false,
      extra: {
        type: MessageType.ThreadCreated,
        message_reference: {
          channel_id: thread.id,
          ...(parent.guild_id ? { guild_id: parent.guild_id } : {}),
        },
      },
    });
  }
  return { thread, message: null };
}

/**
 * Starts a public thread from an existing message; the thread takes the message's id.
 *
 * @see https://discord.com/developers/docs/resources/channel#start-thread-from-message
 */
export function startThreadFromMessage(
  core: EmulatorCore,
  channelId: string,
  messageId: string,
  body: JsonObject,
  actorId: string,
): ChannelRecord {
  const { state } = core;
  const parent = state.channel(channelId);
  const record = state.message(channelId, messageId);
  if (isThread(parent) || isThreadOnly(parent) || parent.type === ChannelType.DM) {
    throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  }
  if (state.channels.has(messageId)) throw apiError(RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage);
  const type =
    parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
  assertCanCreateThread(core, parent, type, actorId);
  const thread = buildThread(core, parent, { ...body, name: body.name, id: messageId, type }, actorId);
  storeThread(core, thread);
  record.message = {
    ...record.message,
    flags: (record.message.flags ?? 0) | MessageFlags.HasThread,
    thread: toApiThread(thread),
  };
  announceUpdate(core, record);
  return thread;
}
