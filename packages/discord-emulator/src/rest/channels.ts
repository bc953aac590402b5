import {
  type APIMessage,
  ChannelType,
  GatewayDispatchEvents,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { deleteChannel, deleteOverwrite, modifyChannel, putOverwrite } from '../channels.ts';
import type { EmulatorCore } from '../core.ts';
import { apiError } from '../errors.ts';
import { created, noContent, ok, type RestRequest, type RestRoute } from '../http/route.ts';
import { announceUpdate, createMessage, deleteMessage, editMessage, listMessages } from '../messages.ts';
import { toApiChannel, toApiThread } from '../payloads.ts';
import { channelPermissions, has, isThread } from '../permissions.ts';
import type { ChannelRecord } from '../state.ts';
import { startThread, startThreadFromMessage } from '../threads.ts';
import { asObject, FormValidator } from '../validation.ts';

/** The channel, when the bot can see it (10003 unknown, 50001 hidden). */
function visibleChannel(core: EmulatorCore, channelId: string): ChannelRecord {
  const channel = core.state.channel(channelId);
  if (!has(channelPermissions(core.state, channel, core.state.botUserId), PermissionFlagsBits.ViewChannel)) {
    throw apiError(RESTJSONErrorCodes.MissingAccess);
  }
  return channel;
}

const bot = (request: RestRequest) => request.core.state.botUserId;
const channelId = (request: RestRequest) => request.params.channel_id ?? '';
const messageId = (request: RestRequest) => request.params.message_id ?? '';

/** A message the bot can read: not someone's ephemeral message. */
function readableMessage(request: RestRequest): APIMessage {
  visibleChannel(request.core, channelId(request));
  const record = request.core.state.message(channelId(request), messageId(request));
  if (record.visibleTo) throw apiError(RESTJSONErrorCodes.UnknownMessage);
  return record.message;
}

/** The object without its `undefined` fields (for `exactOptionalPropertyTypes`). */
function withoutUndefined<T extends Record<string, unknown>>(
  object: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Channels, their messages, permission overwrites and threads.
 *
 * @see https://discord.com/developers/docs/resources/channel
 * @see https://discord.com/developers/docs/resources/message
 */
export const channelRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/channels/:channel_id',
    handle: (request) =>
      ok(toApiChannel(request.core.state, visibleChannel(request.core, channelId(request)))),
  },
  {
    method: 'PATCH',
    path: '/channels/:channel_id',
    handle: (request) =>
      ok(
        toApiChannel(
          request.core.state,
          modifyChannel(request.core, channelId(request), asObject(request.body), bot(request)),
        ),
      ),
  },
  {
    method: 'DELETE',
    path: '/channels/:channel_id',
    handle: (request) =>
      ok(toApiChannel(request.core.state, deleteChannel(request.core, channelId(request), bot(request)))),
  },
  {
    /** @see https://discord.com/developers/docs/resources/message#get-channel-messages */
    method: 'GET',
    path: '/channels/:channel_id/messages',
    handle: (request) => {
      const { core, query } = request;
      // Discord reads the query like a form body: a bad value is a 50035 naming the parameter.
      const v = new FormValidator();
      const page = {
        limit: v.queryInt(query, 'limit', 1, 100),
        before: v.querySnowflake(query, 'before'),
        after: v.querySnowflake(query, 'after'),
        around: v.querySnowflake(query, 'around'),
      };
      v.throwIfAny();
      const channel = visibleChannel(core, channelId(request));
      if (!has(channelPermissions(core.state, channel, bot(request)), PermissionFlagsBits.ReadMessageHistory))
        return ok([]);
      return ok(listMessages(core, channel.id, withoutUndefined(page)));
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/message#create-message */
    method: 'POST',
    path: '/channels/:channel_id/messages',
    handle: (request) =>
      ok(
        createMessage(request.core, channelId(request), asObject(request.body ?? {}), request.files, {
          authorId: bot(request),
          checkPermissions: true,
        }).message,
      ),
  },
  {
    method: 'GET',
    path: '/channels/:channel_id/messages/:message_id',
    handle: (request) => ok(readableMessage(request)),
  },
  {
    method: 'PATCH',
    path: '/channels/:channel_id/messages/:message_id',
    handle: (request) =>
      ok(
        editMessage(
          request.core,
          channelId(request),
          messageId(request),
          asObject(request.body ?? {}),
          request.files,
          bot(request),
        ).message,
      ),
  },
  {
    method: 'DELETE',
    path: '/channels/:channel_id/messages/:message_id',
    handle: (request) => {
      deleteMessage(request.core, channelId(request), messageId(request), bot(request));
      return noContent();
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/message#crosspost-message */
    method: 'POST',
    path: '/channels/:channel_id/messages/:message_id/crosspost',
    handle: (request) => {
      const { core } = request;
      const channel = visibleChannel(core, channelId(request));
      if (channel.type !== ChannelType.GuildAnnouncement)
        throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
      const record = core.state.message(channel.id, messageId(request));
      record.message = { ...record.message, flags: (record.message.flags ?? 0) | MessageFlags.Crossposted };
      announceUpdate(core, record);
      return ok(record.message);
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/channel#trigger-typing-indicator */
    method: 'POST',
    path: '/channels/:channel_id/typing',
    handle: (request) => {
      visibleChannel(request.core, channelId(request));
      return noContent();
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/channel#edit-channel-permissions */
    method: 'PUT',
    path: '/channels/:channel_id/permissions/:overwrite_id',
    handle: (request) => {
      putOverwrite(
        request.core,
        channelId(request),
        request.params.overwrite_id ?? '',
        asObject(request.body),
        bot(request),
      );
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/channels/:channel_id/permissions/:overwrite_id',
    handle: (request) => {
      deleteOverwrite(request.core, channelId(request), request.params.overwrite_id ?? '', bot(request));
      return noContent();
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel */
    method: 'POST',
    path: '/channels/:channel_id/threads',
    handle: (request) => {
      const { thread, message } = startThread(
        request.core,
        channelId(request),
        asObject(request.body),
        request.files,
        bot(request),
      );
      return created({ ...toApiThread(thread), ...(message ? { message: message.message } : {}) });
    },
  },
  {
    /** @see https://discord.com/developers/docs/resources/channel#start-thread-from-message */
    method: 'POST',
    path: '/channels/:channel_id/messages/:message_id/threads',
    handle: (request) =>
      created(
        toApiThread(
          startThreadFromMessage(
            request.core,
            channelId(request),
            messageId(request),
            asObject(request.body),
            bot(request),
          ),
        ),
      ),
  },
  ...['@me', ':user_id'].flatMap((who): RestRoute[] => [
    {
      /** @see https://discord.com/developers/docs/resources/channel#add-thread-member */
      method: 'PUT',
      path: `/channels/:channel_id/thread-members/${who}`,
      handle: (request) => {
        const thread = joinableThread(request);
        const userId = request.params.user_id ?? bot(request);
        if (thread.guild_id) request.core.state.member(thread.guild_id, userId);
        if (!thread.member_ids.includes(userId)) {
          thread.member_ids.push(userId);
          thread.member_count = thread.member_ids.length;
          membersUpdated(request.core, thread);
        }
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: `/channels/:channel_id/thread-members/${who}`,
      handle: (request) => {
        const thread = joinableThread(request);
        const userId = request.params.user_id ?? bot(request);
        thread.member_ids = thread.member_ids.filter((id) => id !== userId);
        thread.member_count = thread.member_ids.length;
        membersUpdated(request.core, thread);
        return noContent();
      },
    },
  ]),
];

function joinableThread(request: RestRequest): ChannelRecord {
  const thread = visibleChannel(request.core, channelId(request));
  if (!isThread(thread)) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType);
  if (thread.thread_metadata?.archived) throw apiError(RESTJSONErrorCodes.InvalidActionOnArchivedThread);
  return thread;
}

/** @see https://discord.com/developers/docs/events/gateway-events#thread-members-update */
function membersUpdated(core: EmulatorCore, thread: ChannelRecord): void {
  if (!thread.guild_id) return;
  core.gateway.dispatch(
    GatewayDispatchEvents.ThreadMembersUpdate,
    { id: thread.id, guild_id: thread.guild_id, member_count: thread.member_count },
    { guildId: thread.guild_id, channelId: thread.id },
  );
  // Who sees a private thread changed: the control feed's clients redraw their channel lists.
  core.feed.publish({ type: 'channel.updated', channel: toApiChannel(core.state, thread) });
}
