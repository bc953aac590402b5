import { BRIDGE_WEBHOOK_FILTERS, MessageAttributesSchema } from '@flexcord/contracts';
import { rewriteTwilioUrl } from '@flexcord/twilio-client';
import type { Twilio } from 'twilio';
import type { MessageInstance } from 'twilio/lib/rest/conversations/v1/service/conversation/message.js';
import { type ChatChannel, type ChatMessage, ConversationGoneError } from '../../domain/chat/chat-channel.ts';
import { safeDeep, safeText } from '../../infrastructure/util/safe-text.ts';
import { isTwilioRestError } from './twilio-errors.ts';

export interface TwilioConversationsOptions {
  client: Twilio;
  accountSid: string;
  authToken: string;
  serviceSid: string;
  /** Where conversation events are POSTed: `${PUBLIC_BASE_URL}/webhooks/twilio/conversations`. */
  webhookUrl: string;
  flowSid: string;
  timers: { inactive: string; closed: string };
  /** `https://twilio.com` or the emulator; media (MCS) has no twilio-node helper. */
  apiBaseUrl: string;
}

/** A Conversations message as the bridge reads it back. */
export type RecentMessage = ChatMessage;

function toRecentMessage(message: MessageInstance): RecentMessage {
  const attributes = safeDeep(MessageAttributesSchema.parse(message.attributes || '{}'));
  const media = (Array.isArray(message.media) ? message.media : []) as {
    sid: string;
    content_type: string;
    filename?: string | null;
    size?: number;
  }[];
  return {
    sid: message.sid,
    index: message.index,
    author: safeText(message.author ?? ''),
    body: safeText(message.body ?? ''),
    attributes,
    media: media.map((item) => ({
      sid: item.sid,
      contentType: item.content_type,
      filename: safeText(item.filename ?? item.sid),
      size: item.size ?? 0,
    })),
    dateCreated: message.dateCreated,
  };
}

export interface PostedMessage {
  sid: string;
  index: number;
}

/** The Twilio Conversations calls the bridge makes, on top of the real twilio-node client. */
export class TwilioConversations implements ChatChannel {
  constructor(private readonly options: TwilioConversationsOptions) {}

  private get service() {
    return this.options.client.conversations.v1.services(this.options.serviceSid);
  }

  /**
   * Creates the member's chat (or finds it by `uniqueName` when a previous attempt got that far),
   * adds the member as a participant and makes sure both webhooks are there. Idempotent.
   *
   * @see https://www.twilio.com/docs/conversations/api/conversation-resource
   */
  async openConversation(input: {
    uniqueName: string;
    friendlyName: string;
    attributes: Record<string, unknown>;
    memberIdentity: string;
  }): Promise<string> {
    let sid: string;
    try {
      const created = await this.service.conversations.create({
        uniqueName: input.uniqueName,
        friendlyName: input.friendlyName,
        attributes: JSON.stringify(input.attributes),
        'timers.inactive': this.options.timers.inactive,
        'timers.closed': this.options.timers.closed,
      });
      sid = created.sid;
    } catch (error) {
      if (!isTwilioRestError(error) || error.status !== 409) throw error;
      sid = (await this.service.conversations(input.uniqueName).fetch()).sid;
    }
    const conversation = this.service.conversations(sid);
    try {
      await conversation.participants.create({
        identity: input.memberIdentity,
        attributes: JSON.stringify({ channelType: 'discord' }),
      });
    } catch (error) {
      if (!isTwilioRestError(error) || error.status !== 409) throw error;
    }
    const webhooks = await conversation.webhooks.list({ limit: 20 });
    if (
      !webhooks.some(
        (hook) => hook.target === 'webhook' && hook.configuration?.url === this.options.webhookUrl,
      )
    ) {
      await conversation.webhooks.create({
        target: 'webhook',
        'configuration.url': this.options.webhookUrl,
        'configuration.method': 'post',
        'configuration.filters': [...BRIDGE_WEBHOOK_FILTERS],
      });
    }
    if (!webhooks.some((hook) => hook.target === 'studio')) {
      await conversation.webhooks.create({
        target: 'studio',
        'configuration.flowSid': this.options.flowSid,
        'configuration.replayAfter': 0,
      });
    }
    return sid;
  }

  async updateAttributes(conversationSid: string, attributes: Record<string, unknown>): Promise<void> {
    await this.service.conversations(conversationSid).update({ attributes: JSON.stringify(attributes) });
  }

  /**
   * Posts a message with webhooks enabled (so Studio and the bridge hear it). `key` goes into the
   * message attributes: after an attempt whose outcome is unknown, {@link findMessageByKey} tells
   * whether it landed, because Twilio has no idempotency key for message creation.
   */
  async postMessage(input: {
    conversationSid: string;
    author: string;
    body: string;
    key: string;
    attributes?: Record<string, unknown>;
    mediaSid?: string;
  }): Promise<PostedMessage> {
    const message = await this.service.conversations(input.conversationSid).messages.create({
      author: input.author,
      ...(input.body ? { body: input.body } : {}),
      ...(input.mediaSid ? { mediaSid: input.mediaSid } : {}),
      attributes: JSON.stringify({ ...input.attributes, flexcord: { key: input.key } }),
      xTwilioWebhookEnabled: 'true',
    });
    return { sid: message.sid, index: message.index };
  }

  /**
   * Changes a message the bridge posted (a member edited theirs in Discord); `key` stays in its
   * attributes so the bridge still knows the message as its own.
   *
   * @see https://www.twilio.com/docs/conversations/api/conversation-message-resource#update-a-conversationmessage-resource
   */
  async updateMessage(input: {
    conversationSid: string;
    messageSid: string;
    body: string;
    attributes: Record<string, unknown>;
    key: string;
  }): Promise<void> {
    await this.service
      .conversations(input.conversationSid)
      .messages(input.messageSid)
      .update({
        body: input.body,
        attributes: JSON.stringify({ ...input.attributes, flexcord: { key: input.key } }),
        xTwilioWebhookEnabled: 'true',
      });
  }

  /** Removes a message the bridge posted; one already gone counts as removed. */
  async removeMessage(conversationSid: string, messageSid: string): Promise<void> {
    try {
      await this.service
        .conversations(conversationSid)
        .messages(messageSid)
        .remove({ xTwilioWebhookEnabled: 'true' });
    } catch (error) {
      if (!isTwilioRestError(error) || error.status !== 404) throw error;
    }
  }

  /**
   * The message this bridge posted with `key`, looking back from the newest message to `since`
   * (when the first attempt was made): other messages may have arrived after it meanwhile.
   */
  async findMessageByKey(conversationSid: string, key: string, since: Date): Promise<PostedMessage | null> {
    const cutoff = since.getTime() - 60_000;
    let page: { instances: MessageInstance[]; nextPage(): Promise<unknown> | undefined } = await this.service
      .conversations(conversationSid)
      .messages.page({ order: 'desc', pageSize: 100 });
    for (;;) {
      for (const message of page.instances) {
        if (flexcordKeyOf(message) === key) return { sid: message.sid, index: message.index };
      }
      const oldest = page.instances[page.instances.length - 1];
      if (!oldest || oldest.dateCreated.getTime() < cutoff) return null;
      const next = await page.nextPage();
      if (!next) return null;
      page = next as typeof page;
    }
  }

  /** The conversation's messages after `afterIndex`, oldest first (to fill a gap or catch up). */
  async messagesAfter(conversationSid: string, afterIndex: number): Promise<RecentMessage[]> {
    const found: RecentMessage[] = [];
    let page: { instances: MessageInstance[]; nextPage(): Promise<unknown> | undefined } = await this.service
      .conversations(conversationSid)
      .messages.page({ order: 'desc', pageSize: 100 })
      .catch((error: unknown) => {
        throw goneOr(error, conversationSid);
      });
    for (;;) {
      for (const message of page.instances) {
        if (message.index <= afterIndex) return found.reverse();
        found.push(toRecentMessage(message));
      }
      const next = page.instances.length ? await page.nextPage() : null;
      if (!next) return found.reverse();
      page = next as typeof page;
    }
  }

  async conversationState(conversationSid: string): Promise<string> {
    try {
      return (await this.service.conversations(conversationSid).fetch()).state;
    } catch (error) {
      throw goneOr(error, conversationSid);
    }
  }

  private mediaUrl(path: string): string {
    return rewriteTwilioUrl(
      `https://mcs.us1.twilio.com/v1/Services/${this.options.serviceSid}${path}`,
      this.options.apiBaseUrl,
    );
  }

  private get authHeader(): string {
    return `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`;
  }

  /**
   * Uploads a file to the Media Content Service, for a message's `MediaSid`. The file name goes in
   * the `Filename` query parameter, as Twilio's own MCS client sends it (`@twilio/mcs-client`,
   * `Network.post`): percent-encoded, so any script travels, where a header allows only Latin-1.
   *
   * @see https://www.twilio.com/docs/conversations/api/media-resource
   */
  async uploadMedia(data: Uint8Array, contentType: string, filename: string): Promise<string> {
    const url = new URL(this.mediaUrl('/Media'));
    url.searchParams.set('Filename', filename);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: this.authHeader, 'content-type': contentType },
      body: data,
    });
    const body = (await response.json()) as { sid?: string; message?: string; code?: number };
    if (!response.ok || !body.sid) {
      throw Object.assign(new Error(`media upload failed: ${body.message ?? response.statusText}`), {
        status: response.status,
        code: body.code,
      });
    }
    return body.sid;
  }

  /** Downloads a message's media through its short-lived direct URL. */
  async downloadMedia(
    mediaSid: string,
  ): Promise<{ data: Uint8Array; contentType: string; filename: string }> {
    const meta = await fetch(this.mediaUrl(`/Media/${mediaSid}`), {
      headers: { authorization: this.authHeader },
    });
    const body = (await meta.json()) as {
      content_type?: string;
      filename?: string | null;
      links?: { content_direct_temporary?: string };
      message?: string;
    };
    const url = body.links?.content_direct_temporary;
    if (!meta.ok || !url) {
      throw Object.assign(new Error(`media ${mediaSid} not available: ${body.message ?? meta.statusText}`), {
        status: meta.status,
      });
    }
    const content = await fetch(url);
    if (!content.ok)
      throw Object.assign(new Error(`media ${mediaSid} download failed`), { status: content.status });
    return {
      data: new Uint8Array(await content.arrayBuffer()),
      contentType: body.content_type ?? content.headers.get('content-type') ?? 'application/octet-stream',
      filename: body.filename ?? `${mediaSid}`,
    };
  }
}

/** The outbox key this bridge put in a message's attributes, if it is one of its own. */
function flexcordKeyOf(message: MessageInstance): string | null {
  const flexcord = MessageAttributesSchema.parse(message.attributes || '{}').flexcord;
  const key = typeof flexcord === 'object' && flexcord !== null ? (flexcord as { key?: unknown }).key : null;
  return typeof key === 'string' ? key : null;
}

/** Twilio's 404 for a conversation as the domain's {@link ConversationGoneError}; other errors as they are. */
function goneOr(error: unknown, conversationSid: string): unknown {
  return isTwilioRestError(error) && error.status === 404
    ? new ConversationGoneError(conversationSid, { cause: error })
    : error;
}
