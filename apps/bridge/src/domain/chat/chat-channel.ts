import { NotFoundError } from '../../infrastructure/util/domain-errors.ts';

/**
 * What the chat rules need of the messaging platform behind a member's chat (Twilio Conversations;
 * `twilio/twilio-conversations.ts` implements it). The domain names the calls; the adapter makes them.
 */
export interface ChatChannel {
  /** Creates the chat (or finds it by `uniqueName`), with the member as participant and the webhooks. Idempotent. */
  openConversation(input: {
    uniqueName: string;
    friendlyName: string;
    attributes: Record<string, unknown>;
    memberIdentity: string;
  }): Promise<string>;
  /** The chat's messages after `afterIndex`, oldest first. Throws {@link ConversationGoneError}. */
  messagesAfter(conversationSid: string, afterIndex: number): Promise<ChatMessage[]>;
  /** `active`, `inactive` or `closed`. Throws {@link ConversationGoneError}. */
  conversationState(conversationSid: string): Promise<string>;
}

/** A message of the chat as the platform has it. */
export interface ChatMessage {
  sid: string;
  index: number;
  author: string;
  body: string;
  attributes: Record<string, unknown>;
  media: { sid: string; contentType: string; filename: string; size: number }[];
  dateCreated: Date;
}

/** The author the bot's own messages carry in the Conversation. */
export const BOT_AUTHOR = 'bot';

/** The author of the bridge's notices to the agent in the Conversation (not the member, not the bot). */
export const SYSTEM_AUTHOR = 'system';

/** The platform no longer has the chat (deleted by retention, a reset account). */
export class ConversationGoneError extends NotFoundError {
  constructor(
    readonly conversationSid: string,
    options?: { cause?: unknown },
  ) {
    super('conversation_gone', `conversation ${conversationSid} no longer exists`, options);
  }
}

/** A conversation SID the bridge does not know. */
export class UnknownConversationError extends NotFoundError {
  constructor(readonly conversationSid: string) {
    super('unknown_conversation', `unknown conversation ${conversationSid}`);
  }
}
