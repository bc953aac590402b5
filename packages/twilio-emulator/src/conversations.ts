import { type Request, Router } from 'express';
import { parseIsoDuration, twilioDate } from './clock.ts';
import type { ActionSource, EmulatorContext } from './context.ts';
import { SYSTEM_ACTION } from './context.ts';
import { invalidParameter, notFound, TwilioApiError } from './errors.ts';
import { paramsOf, type TwilioParams, webhookEnabled } from './http.ts';
import { pageOf } from './paging.ts';
import { newSid } from './sids.ts';
import type {
  ConversationRecord,
  ConversationState,
  ConversationWebhookRecord,
  MessageRecord,
  ParticipantRecord,
  ServiceWebhookConfig,
} from './store.ts';
import { where } from './store.ts';

/**
 * Twilio Conversations v1: conversations (with state and timers), participants, messages,
 * conversation-scoped webhooks, participant conversations and the service webhook configuration,
 * firing post-event webhooks the way Twilio does.
 *
 * @see https://www.twilio.com/docs/conversations/api
 * @see https://www.twilio.com/docs/conversations/conversations-webhooks
 */

const PUBLIC_BASE = 'https://conversations.twilio.com/v1';
const MAX_BODY_BYTES = 32 * 1024;
/** Flex's chat attachment limits: one file a message, 16777216 bytes at most. */
export const MAX_MEDIA_PER_MESSAGE = 1;
export const MAX_MEDIA_BYTES = 16_777_216;
const MAX_CONVERSATION_ATTRIBUTES_BYTES = 16 * 1024;
const MAX_ATTRIBUTES_BYTES = 4 * 1024;
const MAX_WEBHOOKS_PER_CONVERSATION = 5;
const MIN_INACTIVE_MS = 60_000;
const MIN_CLOSED_MS = 10 * 60_000;

/** 400 / 50377: the conversation is closed and takes no more writes. */
function conversationClosed(): TwilioApiError {
  return new TwilioApiError(400, 50377, "Can't update conversation as it's in final closed state");
}

/** A message added, as the Studio trigger sees it. */
export interface StudioMessageEvent {
  webhook: ConversationWebhookRecord;
  conversation: ConversationRecord;
  message: MessageRecord;
  /** The onMessageAdded webhook fields (without webhook-specific ones). */
  params: Record<string, string>;
  source: ActionSource;
}

export interface CreateConversationInput {
  friendlyName?: string | undefined;
  uniqueName?: string | undefined;
  attributes?: string | undefined;
  state?: ConversationState | undefined;
  timersInactive?: string | undefined;
  timersClosed?: string | undefined;
}

export interface AddMessageInput {
  author?: string | undefined;
  body?: string | undefined;
  attributes?: string | undefined;
  mediaSids?: string[] | undefined;
  /** `DateCreated`/`DateUpdated`: the dates to record (an import of older messages). */
  dateCreated?: Date | undefined;
  dateUpdated?: Date | undefined;
}

export class ConversationsService {
  /** Called for every onMessageAdded that a `target=studio` webhook hears. */
  onStudioMessage: ((event: StudioMessageEvent) => void) | undefined;

  readonly #createdAt: Date;

  constructor(private readonly ctx: EmulatorContext) {
    this.#createdAt = ctx.clock.now();
    ctx.clock.onAdvance(() => this.checkTimers());
  }

  // ---- conversations -------------------------------------------------------------------------

  createConversation(input: CreateConversationInput, source: ActionSource): ConversationRecord {
    const { store } = this.ctx;
    if (input.uniqueName && this.#byUniqueName(input.uniqueName)) {
      throw new TwilioApiError(409, 50353, 'Conversation with provided unique name already exists');
    }
    const now = this.ctx.clock.now();
    const conversation: ConversationRecord = {
      sid: newSid('CH'),
      friendlyName: input.friendlyName ?? null,
      uniqueName: input.uniqueName ?? null,
      attributes: checkAttributes(input.attributes, MAX_CONVERSATION_ATTRIBUTES_BYTES) ?? '{}',
      state: input.state ?? 'active',
      messagingServiceSid: this.ctx.messagingServiceSid,
      timers: parseTimers(input.timersInactive, input.timersClosed, {}),
      lastActivity: now,
      nextMessageIndex: 0,
      createdBy: source.source === 'SDK' ? (source.clientIdentity ?? 'system') : 'system',
      dateCreated: now,
      dateUpdated: now,
    };
    store.conversations.set(conversation.sid, conversation);
    store.emit('conversation.created', { conversation: this.conversationJson(conversation) });
    this.#fire(conversation, 'onConversationAdded', this.#conversationFields(conversation), source);
    return conversation;
  }

  /** A conversation by SID or unique name, or 404. */
  conversation(sidOrUniqueName: string): ConversationRecord {
    const found =
      this.ctx.store.conversations.get(sidOrUniqueName) ?? this.#byUniqueName(sidOrUniqueName) ?? undefined;
    if (!found) throw notFound(`/Conversations/${sidOrUniqueName}`);
    return found;
  }

  updateConversation(
    sidOrUniqueName: string,
    changes: CreateConversationInput,
    source: ActionSource,
  ): ConversationRecord {
    const conversation = this.conversation(sidOrUniqueName);
    const { state, ...rest } = changes;
    const hasOtherChanges = Object.values(rest).some((value) => value !== undefined);
    if (conversation.state === 'closed' && (hasOtherChanges || (state !== undefined && state !== 'closed'))) {
      throw conversationClosed();
    }
    if (rest.uniqueName !== undefined && rest.uniqueName !== conversation.uniqueName) {
      if (rest.uniqueName && this.#byUniqueName(rest.uniqueName)) {
        throw new TwilioApiError(409, 50353, 'Conversation with provided unique name already exists');
      }
      conversation.uniqueName = rest.uniqueName || null;
    }
    if (rest.friendlyName !== undefined) conversation.friendlyName = rest.friendlyName;
    if (rest.attributes !== undefined) {
      conversation.attributes = checkAttributes(rest.attributes, MAX_CONVERSATION_ATTRIBUTES_BYTES) ?? '{}';
    }
    if (rest.timersInactive !== undefined || rest.timersClosed !== undefined) {
      conversation.timers = parseTimers(rest.timersInactive, rest.timersClosed, conversation.timers);
      conversation.lastActivity = this.ctx.clock.now();
    }
    if (hasOtherChanges) {
      conversation.dateUpdated = this.ctx.clock.now();
      this.ctx.store.emit('conversation.updated', { conversation: this.conversationJson(conversation) });
      this.#fire(conversation, 'onConversationUpdated', this.#conversationFields(conversation), source);
    }
    if (state !== undefined && state !== conversation.state)
      this.setState(conversation, state, 'API', source);
    return conversation;
  }

  /** Moves a conversation to `to`, firing onConversationStateUpdated. */
  setState(
    conversation: ConversationRecord,
    to: ConversationState,
    reason: 'API' | 'TIMER' | 'EVENT',
    source: ActionSource,
  ): void {
    const from = conversation.state;
    if (from === to) return;
    if (from === 'closed') throw conversationClosed();
    const now = this.ctx.clock.now();
    conversation.state = to;
    conversation.dateUpdated = now;
    if (to === 'active') conversation.lastActivity = now;
    this.ctx.store.emit('conversation.state', {
      conversationSid: conversation.sid,
      from,
      to,
      reason,
      conversation: this.conversationJson(conversation),
    });
    this.#fire(
      conversation,
      'onConversationStateUpdated',
      {
        StateFrom: from,
        StateTo: to,
        Reason: reason,
        StateUpdated: now.toISOString(),
        DateUpdated: now.toISOString(),
      },
      source,
    );
  }

  deleteConversation(sidOrUniqueName: string, source: ActionSource): void {
    const conversation = this.conversation(sidOrUniqueName);
    const fields = this.#conversationFields(conversation);
    // The removal webhook is built before the webhooks of the conversation go away with it.
    this.#fire(conversation, 'onConversationRemoved', fields, source);
    const { store } = this.ctx;
    for (const map of [store.participants, store.messages, store.conversationWebhooks] as const) {
      for (const [sid, record] of map) if (record.conversationSid === conversation.sid) map.delete(sid);
    }
    store.conversations.delete(conversation.sid);
    store.emit('conversation.deleted', { conversationSid: conversation.sid });
  }

  /** Moves conversations whose inactivity timers have run out (called on clock moves and every second). */
  checkTimers(): void {
    const now = this.ctx.clock.now().getTime();
    for (const conversation of this.ctx.store.conversations.values()) {
      if (conversation.state === 'closed') continue;
      const { inactiveMs, closedMs } = conversation.timers;
      const since = conversation.lastActivity.getTime();
      if (conversation.state === 'active' && inactiveMs !== undefined && now >= since + inactiveMs) {
        this.setState(conversation, 'inactive', 'TIMER', SYSTEM_ACTION);
      }
      if (closedMs !== undefined && now >= since + closedMs) {
        this.setState(conversation, 'closed', 'TIMER', SYSTEM_ACTION);
      }
    }
  }

  // ---- participants --------------------------------------------------------------------------

  addParticipant(
    conversationSid: string,
    input: { identity?: string | undefined; attributes?: string | undefined; roleSid?: string | undefined },
    source: ActionSource,
  ): ParticipantRecord {
    const conversation = this.conversation(conversationSid);
    if (conversation.state === 'closed') throw conversationClosed();
    if (!input.identity) {
      throw invalidParameter('A participant needs an Identity (chat) or a MessagingBinding.Address');
    }
    const existing = this.participants(conversation.sid).find((p) => p.identity === input.identity);
    if (existing) throw new TwilioApiError(409, 50433, 'Participant already exists');
    const now = this.ctx.clock.now();
    if (!this.ctx.store.users.has(input.identity)) this.ctx.store.users.set(input.identity, newSid('US'));
    const participant: ParticipantRecord = {
      sid: newSid('MB'),
      conversationSid: conversation.sid,
      identity: input.identity,
      attributes: checkAttributes(input.attributes, MAX_ATTRIBUTES_BYTES) ?? '{}',
      roleSid: input.roleSid ?? this.ctx.participantRoleSid,
      messagingBinding: null,
      lastReadMessageIndex: null,
      lastReadTimestamp: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.ctx.store.participants.set(participant.sid, participant);
    this.ctx.store.emit('participant.added', { participant: this.participantJson(participant) });
    this.#fire(conversation, 'onParticipantAdded', this.#participantFields(participant), source);
    return participant;
  }

  participants(conversationSid: string): ParticipantRecord[] {
    return where(this.ctx.store.participants, (p) => p.conversationSid === conversationSid);
  }

  /** A participant of the conversation by SID or identity, or 404. */
  participant(conversationSid: string, sidOrIdentity: string): ParticipantRecord {
    const found = this.participants(conversationSid).find(
      (p) => p.sid === sidOrIdentity || p.identity === sidOrIdentity,
    );
    if (!found) throw notFound(`/Conversations/${conversationSid}/Participants/${sidOrIdentity}`);
    return found;
  }

  updateParticipant(
    conversationSid: string,
    sidOrIdentity: string,
    changes: {
      attributes?: string | undefined;
      roleSid?: string | undefined;
      lastReadMessageIndex?: number | undefined;
    },
    source: ActionSource,
  ): ParticipantRecord {
    const conversation = this.conversation(conversationSid);
    if (conversation.state === 'closed') throw conversationClosed();
    const participant = this.participant(conversation.sid, sidOrIdentity);
    if (changes.attributes !== undefined) {
      participant.attributes = checkAttributes(changes.attributes, MAX_ATTRIBUTES_BYTES) ?? '{}';
    }
    if (changes.roleSid !== undefined) participant.roleSid = changes.roleSid;
    if (changes.lastReadMessageIndex !== undefined) {
      participant.lastReadMessageIndex = changes.lastReadMessageIndex;
      participant.lastReadTimestamp = this.ctx.clock.now().toISOString();
    }
    participant.dateUpdated = this.ctx.clock.now();
    this.#fire(conversation, 'onParticipantUpdated', this.#participantFields(participant), source);
    return participant;
  }

  removeParticipant(conversationSid: string, sidOrIdentity: string, source: ActionSource): void {
    const conversation = this.conversation(conversationSid);
    const participant = this.participant(conversation.sid, sidOrIdentity);
    this.ctx.store.participants.delete(participant.sid);
    this.ctx.store.emit('participant.removed', { participant: this.participantJson(participant) });
    this.#fire(conversation, 'onParticipantRemoved', this.#participantFields(participant), source);
  }

  // ---- messages ------------------------------------------------------------------------------

  addMessage(conversationSid: string, input: AddMessageInput, source: ActionSource): MessageRecord {
    const conversation = this.conversation(conversationSid);
    if (conversation.state === 'closed') throw conversationClosed();
    const mediaSids = input.mediaSids ?? [];
    if ((input.body === undefined || input.body === '') && mediaSids.length === 0) {
      throw invalidParameter('Either Body or MediaSid must be specified');
    }
    if (input.body !== undefined && Buffer.byteLength(input.body, 'utf8') > MAX_BODY_BYTES) {
      throw new TwilioApiError(400, 50504, 'Message body parameter is too long');
    }
    // The Message resource takes one `MediaSid`; Flex's chat channels accept one attachment of up
    // to 16 MiB (16777216 bytes) a message ("File Attachments and API Limits").
    if (mediaSids.length > MAX_MEDIA_PER_MESSAGE) {
      throw invalidParameter(
        `A message can carry ${MAX_MEDIA_PER_MESSAGE} media (MediaSid); got ${mediaSids.length}`,
      );
    }
    for (const mediaSid of mediaSids) {
      const media = this.ctx.store.media.get(mediaSid);
      if (!media || media.serviceSid !== this.ctx.conversationsServiceSid) {
        throw invalidParameter(`Media ${mediaSid} was not found in the Conversations service`);
      }
      if (media.size > MAX_MEDIA_BYTES)
        throw new TwilioApiError(400, 50512, 'Message media size is too large');
    }
    const attributes = checkAttributes(input.attributes, MAX_ATTRIBUTES_BYTES) ?? '{}';
    const author = input.author || (source.source === 'SDK' ? (source.clientIdentity ?? 'system') : 'system');
    const now = this.ctx.clock.now();
    const message: MessageRecord = {
      sid: newSid('IM'),
      conversationSid: conversation.sid,
      index: conversation.nextMessageIndex,
      author,
      body: input.body ?? null,
      attributes,
      participantSid: this.participants(conversation.sid).find((p) => p.identity === author)?.sid ?? null,
      mediaSids,
      dateCreated: input.dateCreated ?? now,
      dateUpdated: input.dateUpdated ?? input.dateCreated ?? now,
    };
    conversation.nextMessageIndex += 1;
    conversation.lastActivity = now;
    for (const mediaSid of mediaSids) {
      const media = this.ctx.store.media.get(mediaSid);
      if (media) {
        media.messageSid = message.sid;
        media.conversationSid = conversation.sid;
      }
    }
    this.ctx.store.messages.set(message.sid, message);
    this.ctx.store.emit('message.added', { message: this.messageJson(message) });
    if (conversation.state === 'inactive') this.setState(conversation, 'active', 'EVENT', source);
    const fields = this.#messageFields(message);
    this.#fire(conversation, 'onMessageAdded', fields, source);
    if (source.webhooks) {
      for (const webhook of this.webhooks(conversation.sid)) {
        if (webhook.target === 'studio') this.#toStudio(webhook, conversation, message, source);
      }
    }
    return message;
  }

  messages(conversationSid: string): MessageRecord[] {
    return where(this.ctx.store.messages, (m) => m.conversationSid === conversationSid).sort(
      (a, b) => a.index - b.index,
    );
  }

  message(conversationSid: string, sidOrIndex: string): MessageRecord {
    const found = this.messages(conversationSid).find(
      (m) => m.sid === sidOrIndex || String(m.index) === sidOrIndex,
    );
    if (!found) throw notFound(`/Conversations/${conversationSid}/Messages/${sidOrIndex}`);
    return found;
  }

  updateMessage(
    conversationSid: string,
    sid: string,
    changes: { author?: string | undefined; body?: string | undefined; attributes?: string | undefined },
    source: ActionSource,
  ): MessageRecord {
    const conversation = this.conversation(conversationSid);
    if (conversation.state === 'closed') throw conversationClosed();
    const message = this.message(conversation.sid, sid);
    if (changes.body !== undefined) {
      if (Buffer.byteLength(changes.body, 'utf8') > MAX_BODY_BYTES) {
        throw new TwilioApiError(400, 50504, 'Message body parameter is too long');
      }
      message.body = changes.body;
    }
    if (changes.author !== undefined) message.author = changes.author;
    if (changes.attributes !== undefined) {
      message.attributes = checkAttributes(changes.attributes, MAX_ATTRIBUTES_BYTES) ?? '{}';
    }
    message.dateUpdated = this.ctx.clock.now();
    this.ctx.store.emit('message.updated', { message: this.messageJson(message) });
    this.#fire(
      conversation,
      'onMessageUpdated',
      { ...this.#messageFields(message), DateUpdated: message.dateUpdated.toISOString() },
      source,
    );
    return message;
  }

  removeMessage(conversationSid: string, sid: string, source: ActionSource): void {
    const conversation = this.conversation(conversationSid);
    const message = this.message(conversation.sid, sid);
    this.ctx.store.messages.delete(message.sid);
    this.ctx.store.emit('message.removed', { conversationSid: conversation.sid, messageSid: message.sid });
    this.#fire(
      conversation,
      'onMessageRemoved',
      { ...this.#messageFields(message), DateRemoved: this.ctx.clock.now().toISOString() },
      source,
    );
  }

  // ---- conversation-scoped webhooks ----------------------------------------------------------

  webhooks(conversationSid: string): ConversationWebhookRecord[] {
    return where(this.ctx.store.conversationWebhooks, (w) => w.conversationSid === conversationSid);
  }

  webhook(conversationSid: string, sid: string): ConversationWebhookRecord {
    const found = this.webhooks(conversationSid).find((w) => w.sid === sid);
    if (!found) throw notFound(`/Conversations/${conversationSid}/Webhooks/${sid}`);
    return found;
  }

  addWebhook(conversationSid: string, params: TwilioParams): ConversationWebhookRecord {
    const conversation = this.conversation(conversationSid);
    if (this.webhooks(conversation.sid).length >= MAX_WEBHOOKS_PER_CONVERSATION) {
      throw new TwilioApiError(400, 50361, 'Too many conversation webhooks');
    }
    const target = params.required('Target');
    if (target !== 'webhook' && target !== 'studio' && target !== 'trigger') {
      throw invalidParameter(`Invalid Target ${target}: expected webhook, trigger or studio`);
    }
    const now = this.ctx.clock.now();
    const webhook: ConversationWebhookRecord = {
      sid: newSid('WH'),
      conversationSid: conversation.sid,
      target,
      url: null,
      method: 'POST',
      filters: [],
      triggers: [],
      flowSid: null,
      replayAfter: null,
      dateCreated: now,
      dateUpdated: now,
    };
    applyWebhookConfiguration(webhook, params);
    if (target !== 'studio' && !webhook.url) throw invalidParameter('Configuration.Url is required');
    if (target === 'studio' && !webhook.flowSid) throw invalidParameter('Configuration.FlowSid is required');
    this.ctx.store.conversationWebhooks.set(webhook.sid, webhook);
    if (target === 'studio' && webhook.replayAfter !== null) {
      const replayFrom = webhook.replayAfter;
      for (const message of this.messages(conversation.sid)) {
        if (message.index >= replayFrom) this.#toStudio(webhook, conversation, message, SYSTEM_ACTION);
      }
    }
    return webhook;
  }

  updateWebhook(conversationSid: string, sid: string, params: TwilioParams): ConversationWebhookRecord {
    const webhook = this.webhook(this.conversation(conversationSid).sid, sid);
    applyWebhookConfiguration(webhook, params);
    webhook.dateUpdated = this.ctx.clock.now();
    return webhook;
  }

  removeWebhook(conversationSid: string, sid: string): void {
    const webhook = this.webhook(this.conversation(conversationSid).sid, sid);
    this.ctx.store.conversationWebhooks.delete(webhook.sid);
  }

  // ---- JSON as Twilio returns it -------------------------------------------------------------

  conversationJson(c: ConversationRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Conversations/${c.sid}`;
    const timers: Record<string, string> = {};
    if (c.state !== 'closed') {
      const since = c.lastActivity.getTime();
      if (c.timers.inactiveMs !== undefined && c.state === 'active') {
        timers.date_inactive = twilioDate(new Date(since + c.timers.inactiveMs));
      }
      if (c.timers.closedMs !== undefined)
        timers.date_closed = twilioDate(new Date(since + c.timers.closedMs));
    }
    return {
      account_sid: this.ctx.accountSid,
      chat_service_sid: this.ctx.conversationsServiceSid,
      messaging_service_sid: c.messagingServiceSid,
      sid: c.sid,
      friendly_name: c.friendlyName,
      unique_name: c.uniqueName,
      attributes: c.attributes,
      state: c.state,
      date_created: twilioDate(c.dateCreated),
      date_updated: twilioDate(c.dateUpdated),
      timers,
      url,
      links: {
        participants: `${url}/Participants`,
        messages: `${url}/Messages`,
        webhooks: `${url}/Webhooks`,
      },
      bindings: null,
    };
  }

  participantJson(p: ParticipantRecord): Record<string, unknown> {
    return {
      account_sid: this.ctx.accountSid,
      chat_service_sid: this.ctx.conversationsServiceSid,
      conversation_sid: p.conversationSid,
      sid: p.sid,
      identity: p.identity,
      attributes: p.attributes,
      messaging_binding: p.messagingBinding,
      role_sid: p.roleSid,
      date_created: twilioDate(p.dateCreated),
      date_updated: twilioDate(p.dateUpdated),
      url: `${PUBLIC_BASE}/Conversations/${p.conversationSid}/Participants/${p.sid}`,
      last_read_message_index: p.lastReadMessageIndex,
      last_read_timestamp: p.lastReadTimestamp,
    };
  }

  messageJson(m: MessageRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Conversations/${m.conversationSid}/Messages/${m.sid}`;
    return {
      account_sid: this.ctx.accountSid,
      chat_service_sid: this.ctx.conversationsServiceSid,
      conversation_sid: m.conversationSid,
      sid: m.sid,
      index: m.index,
      author: m.author,
      body: m.body,
      media: m.mediaSids.length ? m.mediaSids.map((sid) => this.#mediaJson(sid)) : null,
      attributes: m.attributes,
      participant_sid: m.participantSid,
      date_created: twilioDate(m.dateCreated),
      date_updated: twilioDate(m.dateUpdated),
      url,
      delivery: null,
      links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
      content_sid: null,
    };
  }

  webhookJson(w: ConversationWebhookRecord): Record<string, unknown> {
    const configuration: Record<string, unknown> =
      w.target === 'studio'
        ? { flow_sid: w.flowSid, ...(w.replayAfter === null ? {} : { replay_after: w.replayAfter }) }
        : {
            url: w.url,
            // Conversation-scoped webhooks take and show the method in lower case (get, post).
            method: w.method.toLowerCase(),
            filters: w.filters,
            ...(w.target === 'trigger' ? { triggers: w.triggers } : {}),
          };
    return {
      account_sid: this.ctx.accountSid,
      chat_service_sid: this.ctx.conversationsServiceSid,
      conversation_sid: w.conversationSid,
      sid: w.sid,
      target: w.target,
      configuration,
      date_created: twilioDate(w.dateCreated),
      date_updated: twilioDate(w.dateUpdated),
      url: `${PUBLIC_BASE}/Conversations/${w.conversationSid}/Webhooks/${w.sid}`,
    };
  }

  participantConversationJson(p: ParticipantRecord): Record<string, unknown> {
    const c = this.conversation(p.conversationSid);
    const conversation = this.conversationJson(c);
    return {
      account_sid: this.ctx.accountSid,
      chat_service_sid: this.ctx.conversationsServiceSid,
      participant_sid: p.sid,
      participant_user_sid: p.identity ? (this.ctx.store.users.get(p.identity) ?? null) : null,
      participant_identity: p.identity,
      participant_messaging_binding: p.messagingBinding,
      conversation_sid: c.sid,
      conversation_unique_name: c.uniqueName,
      conversation_friendly_name: c.friendlyName,
      conversation_attributes: c.attributes,
      conversation_date_created: twilioDate(c.dateCreated),
      conversation_date_updated: twilioDate(c.dateUpdated),
      conversation_created_by: c.createdBy,
      conversation_state: c.state,
      conversation_timers: conversation.timers,
      links: {
        participant: `${PUBLIC_BASE}/Conversations/${c.sid}/Participants/${p.sid}`,
        conversation: `${PUBLIC_BASE}/Conversations/${c.sid}`,
      },
    };
  }

  /**
   * `/v1/Services/{IS}/Configuration/Webhooks`: the service's own webhooks.
   *
   * @see https://www.twilio.com/docs/conversations/api/per-service-webhook-resource
   */
  serviceWebhooksJson(): Record<string, unknown> {
    const config = this.ctx.store.serviceWebhooks;
    return {
      account_sid: this.ctx.accountSid,
      chat_service_sid: this.ctx.conversationsServiceSid,
      pre_webhook_url: config.preWebhookUrl,
      post_webhook_url: config.postWebhookUrl,
      filters: config.filters,
      method: config.method,
      url: `${PUBLIC_BASE}/Services/${this.ctx.conversationsServiceSid}/Configuration/Webhooks`,
    };
  }

  /**
   * `/v1/Configuration/Webhooks`: the account's (global) webhooks.
   *
   * @see https://www.twilio.com/docs/conversations/api/webhook-configuration-resource
   */
  accountWebhooksJson(): Record<string, unknown> {
    const config = this.ctx.store.accountWebhooks;
    return {
      account_sid: this.ctx.accountSid,
      method: config.method,
      filters: config.filters,
      pre_webhook_url: config.preWebhookUrl,
      post_webhook_url: config.postWebhookUrl,
      target: config.target,
      url: `${PUBLIC_BASE}/Configuration/Webhooks`,
    };
  }

  /**
   * `/v1/Configuration`: the account's Conversations defaults (its default service is the
   * emulator's one service).
   *
   * @see https://www.twilio.com/docs/conversations/api/configuration-resource
   */
  accountConfigurationJson(): Record<string, unknown> {
    return {
      account_sid: this.ctx.accountSid,
      default_chat_service_sid: this.ctx.conversationsServiceSid,
      default_messaging_service_sid: this.ctx.messagingServiceSid,
      default_inactive_timer: null,
      default_closed_timer: null,
      url: `${PUBLIC_BASE}/Configuration`,
      links: {
        service: `${PUBLIC_BASE}/Services/${this.ctx.conversationsServiceSid}`,
        webhooks: `${PUBLIC_BASE}/Configuration/Webhooks`,
      },
    };
  }

  /**
   * `/v1/Services/{IS}`: the one Conversations service.
   *
   * @see https://www.twilio.com/docs/conversations/api/service-resource
   */
  serviceJson(): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Services/${this.ctx.conversationsServiceSid}`;
    return {
      account_sid: this.ctx.accountSid,
      sid: this.ctx.conversationsServiceSid,
      friendly_name: 'Flex Chat Service',
      date_created: twilioDate(this.#createdAt),
      date_updated: twilioDate(this.#createdAt),
      url,
      links: {
        conversations: `${url}/Conversations`,
        users: `${url}/Users`,
        roles: `${url}/Roles`,
        bindings: `${url}/Bindings`,
        configuration: `${url}/Configuration`,
        participant_conversations: `${url}/ParticipantConversations`,
      },
    };
  }

  /**
   * `/v1/Services/{IS}/Configuration`: the service's default roles.
   *
   * @see https://www.twilio.com/docs/conversations/api/service-configuration-resource
   */
  serviceConfigurationJson(): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Services/${this.ctx.conversationsServiceSid}/Configuration`;
    return {
      chat_service_sid: this.ctx.conversationsServiceSid,
      default_conversation_creator_role_sid: this.ctx.participantRoleSid,
      default_conversation_role_sid: this.ctx.participantRoleSid,
      default_chat_service_role_sid: this.ctx.participantRoleSid,
      url,
      links: { notifications: `${url}/Notifications`, webhooks: `${url}/Webhooks` },
      reachability_enabled: false,
    };
  }

  /**
   * The post-event sink of the conversation's service: the service's own webhooks when it has
   * any configured, else the account's (global) ones — "service-scoped webhooks will override
   * your global webhook settings such that only the service-scoped hooks will fire".
   *
   * @see https://www.twilio.com/docs/conversations/api/per-service-webhook-resource
   */
  #postEventSink(): ServiceWebhookConfig {
    const service = this.ctx.store.serviceWebhooks;
    return service.preWebhookUrl || service.postWebhookUrl ? service : this.ctx.store.accountWebhooks;
  }

  // ---- webhook fields ------------------------------------------------------------------------

  #mediaJson(sid: string): Record<string, unknown> {
    const media = this.ctx.store.media.get(sid);
    return {
      sid,
      content_type: media?.contentType ?? 'application/octet-stream',
      filename: media?.filename ?? null,
      size: media?.size ?? 0,
      category: 'media',
    };
  }

  #conversationFields(c: ConversationRecord): Record<string, string> {
    return {
      FriendlyName: c.friendlyName ?? '',
      UniqueName: c.uniqueName ?? '',
      Attributes: c.attributes,
      State: c.state,
      DateCreated: c.dateCreated.toISOString(),
      DateUpdated: c.dateUpdated.toISOString(),
    };
  }

  #participantFields(p: ParticipantRecord): Record<string, string> {
    return {
      ParticipantSid: p.sid,
      ...(p.identity === null ? {} : { Identity: p.identity }),
      RoleSid: p.roleSid,
      Attributes: p.attributes,
      DateCreated: p.dateCreated.toISOString(),
    };
  }

  #messageFields(m: MessageRecord): Record<string, string> {
    const fields: Record<string, string> = {
      MessageSid: m.sid,
      Index: String(m.index),
      Author: m.author,
      ...(m.participantSid ? { ParticipantSid: m.participantSid } : {}),
      Body: m.body ?? '',
      Attributes: m.attributes,
      DateCreated: m.dateCreated.toISOString(),
    };
    if (m.mediaSids.length) {
      fields.Media = JSON.stringify(
        m.mediaSids.map((sid) => {
          const media = this.ctx.store.media.get(sid);
          return {
            Sid: sid,
            ContentType: media?.contentType ?? 'application/octet-stream',
            Filename: media?.filename ?? null,
            Size: media?.size ?? 0,
          };
        }),
      );
    }
    return fields;
  }

  #common(c: ConversationRecord, eventType: string, source: ActionSource): Record<string, string> {
    return {
      AccountSid: this.ctx.accountSid,
      ChatServiceSid: this.ctx.conversationsServiceSid,
      MessagingServiceSid: c.messagingServiceSid,
      ConversationSid: c.sid,
      EventType: eventType,
      Source: source.source,
      ...(source.source === 'SDK' && source.clientIdentity ? { ClientIdentity: source.clientIdentity } : {}),
    };
  }

  /** Sends a post-event webhook to the service sink and every conversation webhook that filters for it. */
  #fire(
    c: ConversationRecord,
    eventType: string,
    fields: Record<string, string>,
    source: ActionSource,
  ): void {
    if (!source.webhooks) return;
    const params = { ...this.#common(c, eventType, source), ...fields };
    const service = this.#postEventSink();
    if (service.postWebhookUrl && service.filters.includes(eventType)) {
      this.ctx.dispatcher.enqueue({
        kind: 'conversations',
        url: service.postWebhookUrl,
        method: service.method,
        eventType,
        params,
        orderingKey: `${c.sid} ${service.postWebhookUrl}`,
        conversationSid: c.sid,
        retryCountParam: true,
      });
    }
    for (const webhook of this.webhooks(c.sid)) {
      if (webhook.target === 'studio' || !webhook.url || !webhook.filters.includes(eventType)) continue;
      this.ctx.dispatcher.enqueue({
        kind: 'conversations',
        url: webhook.url,
        method: webhook.method,
        eventType,
        params: { ...params, WebhookSid: webhook.sid, WebhookType: 'webhook' },
        orderingKey: `${c.sid} ${webhook.sid}`,
        conversationSid: c.sid,
        retryCountParam: true,
      });
    }
  }

  #toStudio(
    webhook: ConversationWebhookRecord,
    conversation: ConversationRecord,
    message: MessageRecord,
    source: ActionSource,
  ): void {
    const params = {
      ...this.#common(conversation, 'onMessageAdded', source),
      ...this.#messageFields(message),
      WebhookSid: webhook.sid,
    };
    this.onStudioMessage?.({ webhook, conversation, message, params, source });
  }

  #byUniqueName(uniqueName: string): ConversationRecord | undefined {
    for (const c of this.ctx.store.conversations.values()) if (c.uniqueName === uniqueName) return c;
    return undefined;
  }
}

function checkAttributes(value: string | undefined, maxBytes: number): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') return '{}';
  try {
    JSON.parse(value);
  } catch (error) {
    throw new TwilioApiError(400, 20001, 'Attributes must be a valid JSON string', { cause: error });
  }
  if (Buffer.byteLength(value, 'utf8') > maxBytes) {
    throw new TwilioApiError(400, 20001, `Attributes exceed the ${maxBytes / 1024} KB limit`);
  }
  return value;
}

function parseTimers(
  inactive: string | undefined,
  closed: string | undefined,
  current: ConversationRecord['timers'],
): ConversationRecord['timers'] {
  const timers = { ...current };
  if (inactive !== undefined) {
    if (inactive === '') delete timers.inactiveMs;
    else {
      const ms = parseIsoDuration(inactive);
      if (ms === undefined)
        throw invalidParameter(`Timers.Inactive must be an ISO 8601 duration, got ${inactive}`);
      if (ms < MIN_INACTIVE_MS)
        throw invalidParameter('Timers.Inactive should be greater or equal to 1 minute');
      timers.inactiveMs = ms;
    }
  }
  if (closed !== undefined) {
    if (closed === '') delete timers.closedMs;
    else {
      const ms = parseIsoDuration(closed);
      if (ms === undefined)
        throw invalidParameter(`Timers.Closed must be an ISO 8601 duration, got ${closed}`);
      if (ms < MIN_CLOSED_MS) {
        throw new TwilioApiError(400, 50376, 'TimeToClosed should be greater or equal to 10 minutes');
      }
      timers.closedMs = ms;
    }
  }
  return timers;
}

function applyWebhookConfiguration(webhook: ConversationWebhookRecord, params: TwilioParams): void {
  const url = params.get('Configuration.Url');
  if (url !== undefined) webhook.url = url;
  const method = params.get('Configuration.Method');
  if (method !== undefined) {
    const upper = method.toUpperCase();
    if (upper !== 'GET' && upper !== 'POST')
      throw invalidParameter('Configuration.Method must be GET or POST');
    webhook.method = upper;
  }
  if (params.has('Configuration.Filters')) webhook.filters = params.all('Configuration.Filters');
  if (params.has('Configuration.Triggers')) webhook.triggers = params.all('Configuration.Triggers');
  const flowSid = params.get('Configuration.FlowSid');
  if (flowSid !== undefined) webhook.flowSid = flowSid;
  const replayAfter = params.int('Configuration.ReplayAfter');
  if (replayAfter !== undefined) webhook.replayAfter = replayAfter;
}

/** A resource (or a page of them) without `chat_service_sid`. */
function withoutServiceSid(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const record = body as Record<string, unknown>;
  const meta = record.meta as { key?: unknown } | undefined;
  if (meta && typeof meta.key === 'string' && Array.isArray(record[meta.key])) {
    return { ...record, [meta.key]: (record[meta.key] as unknown[]).map(withoutServiceSid) };
  }
  if (!('chat_service_sid' in record) || 'code' in record) return body;
  const { chat_service_sid: _service, ...rest } = record;
  return rest;
}

/** An ISO 8601 date-time parameter (`DateCreated`), or 400 / 20001. */
function dateParam(params: TwilioParams, name: string): Date | undefined {
  const value = params.get(name);
  if (value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidParameter(`${name} must be an ISO 8601 date-time`);
  return date;
}

function actionSource(req: Request): ActionSource {
  return { source: 'API', webhooks: webhookEnabled(req) };
}

function conversationInput(params: TwilioParams): CreateConversationInput {
  const state = params.get('State');
  if (state !== undefined && state !== 'active' && state !== 'inactive' && state !== 'closed') {
    throw invalidParameter(`Invalid State ${state}`);
  }
  return {
    friendlyName: params.get('FriendlyName'),
    uniqueName: params.get('UniqueName'),
    attributes: params.get('Attributes'),
    state,
    timersInactive: params.get('Timers.Inactive'),
    timersClosed: params.get('Timers.Closed'),
  };
}

/**
 * The Conversations REST routes, relative to `/v1` — mounted at `/conversations/v1` and at
 * `/conversations/v1/Services/{ChatServiceSid}`.
 */
export function conversationsRouter(service: ConversationsService, ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });
  const page = <T>(req: Request, items: readonly T[], key: string) => pageOf(req, items, key, ctx.baseUrl());
  const scoped = (req: Request) =>
    (req.params as Record<string, string | undefined>).serviceSid !== undefined;

  router.use((req, _res, next) => {
    const serviceSid = (req.params as Record<string, string | undefined>).serviceSid;
    if (serviceSid !== undefined && serviceSid !== ctx.conversationsServiceSid) {
      next(notFound(`/Services/${serviceSid}`));
      return;
    }
    next();
  });

  // Twilio names the service on participants, messages and conversation webhooks only when they
  // are read under `/Services/{IS}`: the default service's short URLs leave `chat_service_sid` out.
  router.use('/Conversations/:sid/:kind', (req, res, next) => {
    const kind = (req.params as Record<string, string | undefined>).kind;
    if (!scoped(req) && (kind === 'Participants' || kind === 'Messages' || kind === 'Webhooks')) {
      const json = res.json.bind(res);
      res.json = (body: unknown) => json(withoutServiceSid(body));
    }
    next();
  });

  // Conversations
  router.post('/Conversations', (req, res) => {
    const conversation = service.createConversation(conversationInput(paramsOf(req)), actionSource(req));
    res.status(201).json(service.conversationJson(conversation));
  });
  router.get('/Conversations', (req, res) => {
    const params = paramsOf(req);
    const state = params.get('State');
    const start = params.get('StartDate');
    const end = params.get('EndDate');
    const items = [...ctx.store.conversations.values()].filter(
      (c) =>
        (!state || c.state === state) &&
        (!start || c.dateCreated >= new Date(start)) &&
        (!end || c.dateCreated <= new Date(`${end}T23:59:59.999Z`)),
    );
    res.json(
      page(
        req,
        items.map((c) => service.conversationJson(c)),
        'conversations',
      ),
    );
  });
  router.get('/Conversations/:sid', (req, res) => {
    res.json(service.conversationJson(service.conversation(req.params.sid)));
  });
  router.post('/Conversations/:sid', (req, res) => {
    const conversation = service.updateConversation(
      req.params.sid,
      conversationInput(paramsOf(req)),
      actionSource(req),
    );
    res.json(service.conversationJson(conversation));
  });
  router.delete('/Conversations/:sid', (req, res) => {
    service.deleteConversation(req.params.sid, actionSource(req));
    res.status(204).end();
  });

  // Participants
  router.post('/Conversations/:sid/Participants', (req, res) => {
    const params = paramsOf(req);
    if (params.get('MessagingBinding.Address') && !params.get('Identity')) {
      throw invalidParameter('The emulator supports chat participants (Identity) only');
    }
    const participant = service.addParticipant(
      req.params.sid,
      {
        identity: params.get('Identity'),
        attributes: params.get('Attributes'),
        roleSid: params.get('RoleSid'),
      },
      actionSource(req),
    );
    res.status(201).json(service.participantJson(participant));
  });
  router.get('/Conversations/:sid/Participants', (req, res) => {
    const conversation = service.conversation(req.params.sid);
    res.json(
      page(
        req,
        service.participants(conversation.sid).map((p) => service.participantJson(p)),
        'participants',
      ),
    );
  });
  router.get('/Conversations/:sid/Participants/:participantSid', (req, res) => {
    const conversation = service.conversation(req.params.sid);
    res.json(service.participantJson(service.participant(conversation.sid, req.params.participantSid)));
  });
  router.post('/Conversations/:sid/Participants/:participantSid', (req, res) => {
    const params = paramsOf(req);
    const participant = service.updateParticipant(
      req.params.sid,
      req.params.participantSid,
      {
        attributes: params.get('Attributes'),
        roleSid: params.get('RoleSid'),
        lastReadMessageIndex: params.int('LastReadMessageIndex'),
      },
      actionSource(req),
    );
    res.json(service.participantJson(participant));
  });
  router.delete('/Conversations/:sid/Participants/:participantSid', (req, res) => {
    service.removeParticipant(req.params.sid, req.params.participantSid, actionSource(req));
    res.status(204).end();
  });

  // Messages
  router.post('/Conversations/:sid/Messages', (req, res) => {
    const params = paramsOf(req);
    const message = service.addMessage(
      req.params.sid,
      {
        author: params.get('Author'),
        body: params.get('Body'),
        attributes: params.get('Attributes'),
        mediaSids: params.all('MediaSid'),
        dateCreated: dateParam(params, 'DateCreated'),
        dateUpdated: dateParam(params, 'DateUpdated'),
      },
      actionSource(req),
    );
    res.status(201).json(service.messageJson(message));
  });
  router.get('/Conversations/:sid/Messages', (req, res) => {
    const conversation = service.conversation(req.params.sid);
    const messages = service.messages(conversation.sid);
    if (paramsOf(req).get('Order') === 'desc') messages.reverse();
    res.json(
      page(
        req,
        messages.map((m) => service.messageJson(m)),
        'messages',
      ),
    );
  });
  router.get('/Conversations/:sid/Messages/:messageSid', (req, res) => {
    const conversation = service.conversation(req.params.sid);
    res.json(service.messageJson(service.message(conversation.sid, req.params.messageSid)));
  });
  router.post('/Conversations/:sid/Messages/:messageSid', (req, res) => {
    const params = paramsOf(req);
    const message = service.updateMessage(
      req.params.sid,
      req.params.messageSid,
      { author: params.get('Author'), body: params.get('Body'), attributes: params.get('Attributes') },
      actionSource(req),
    );
    res.json(service.messageJson(message));
  });
  router.delete('/Conversations/:sid/Messages/:messageSid', (req, res) => {
    service.removeMessage(req.params.sid, req.params.messageSid, actionSource(req));
    res.status(204).end();
  });

  // Conversation-scoped webhooks
  router.post('/Conversations/:sid/Webhooks', (req, res) => {
    res.status(201).json(service.webhookJson(service.addWebhook(req.params.sid, paramsOf(req))));
  });
  router.get('/Conversations/:sid/Webhooks', (req, res) => {
    const conversation = service.conversation(req.params.sid);
    res.json(
      page(
        req,
        service.webhooks(conversation.sid).map((w) => service.webhookJson(w)),
        'webhooks',
      ),
    );
  });
  router.get('/Conversations/:sid/Webhooks/:webhookSid', (req, res) => {
    const conversation = service.conversation(req.params.sid);
    res.json(service.webhookJson(service.webhook(conversation.sid, req.params.webhookSid)));
  });
  router.post('/Conversations/:sid/Webhooks/:webhookSid', (req, res) => {
    res.json(
      service.webhookJson(service.updateWebhook(req.params.sid, req.params.webhookSid, paramsOf(req))),
    );
  });
  router.delete('/Conversations/:sid/Webhooks/:webhookSid', (req, res) => {
    service.removeWebhook(req.params.sid, req.params.webhookSid);
    res.status(204).end();
  });

  // Participant conversations: every conversation an identity takes part in
  router.get('/ParticipantConversations', (req, res) => {
    const params = paramsOf(req);
    const identity = params.get('Identity');
    const address = params.get('Address');
    if (!identity && !address) throw invalidParameter('Either Identity or Address must be specified');
    const items = [...ctx.store.participants.values()]
      .filter((p) => identity !== undefined && p.identity === identity)
      .map((p) => service.participantConversationJson(p));
    res.json(page(req, items, 'conversations'));
  });

  // The service (under /Services/{IS}) and the account (without): two resources at Twilio
  router.get('/', (req, res, next) => {
    if (!scoped(req)) {
      next();
      return;
    }
    res.json(service.serviceJson());
  });
  router.get('/Services', (req, res, next) => {
    if (scoped(req)) {
      next();
      return;
    }
    res.json(page(req, [service.serviceJson()], 'services'));
  });
  router.get('/Configuration', (req, res) => {
    res.json(scoped(req) ? service.serviceConfigurationJson() : service.accountConfigurationJson());
  });
  router.get('/Configuration/Webhooks', (req, res) => {
    res.json(scoped(req) ? service.serviceWebhooksJson() : service.accountWebhooksJson());
  });
  router.post('/Configuration/Webhooks', (req, res) => {
    const params = paramsOf(req);
    const config = scoped(req) ? ctx.store.serviceWebhooks : ctx.store.accountWebhooks;
    const method = params.get('Method');
    if (method !== undefined) {
      const upper = method.toUpperCase();
      if (upper !== 'GET' && upper !== 'POST') throw invalidParameter('Method must be GET or POST');
      config.method = upper;
    }
    if (params.has('Filters')) config.filters = params.all('Filters');
    if (params.has('PreWebhookUrl')) config.preWebhookUrl = params.get('PreWebhookUrl') || null;
    if (params.has('PostWebhookUrl')) config.postWebhookUrl = params.get('PostWebhookUrl') || null;
    if (scoped(req)) {
      res.json(service.serviceWebhooksJson());
      return;
    }
    const target = params.get('Target');
    if (target !== undefined) {
      if (target !== 'webhook' && target !== 'flex') throw invalidParameter('Target must be webhook or flex');
      ctx.store.accountWebhooks.target = target;
    }
    res.json(service.accountWebhooksJson());
  });

  return router;
}
