/**
 * The slice of a Flex message the plugin reads (`ConversationState.messages[n]`, a `MessageState`:
 * `source` is the Conversations message, its `attributes` parsed).
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/manager#conversations (the chat state)
 */
export interface ChatMessageState {
  readonly isFromMe?: boolean;
  readonly source?: {
    readonly author?: string | null;
    readonly body?: string | null;
    readonly attributes?: unknown;
  } | null;
}

/** The Conversations identity of a Discord member (`discord:<user id>`), as the bridge adds them. */
const MEMBER_IDENTITY = /^discord:\d+$/;

/**
 * The member's last message in this chat, what an agent most likely has to answer: the newest
 * message written by the Discord member, skipping what the bridge posted on their behalf (the
 * "talk to an agent" request, attribute `handover`; a notice, `flexcord.notice`). Null when the
 * member has said nothing yet.
 */
export function lastMemberMessage(messages: readonly ChatMessageState[] | undefined): string | null {
  for (const message of [...(messages ?? [])].reverse()) {
    const source = message.source;
    if (!source || message.isFromMe || !MEMBER_IDENTITY.test(source.author ?? '')) continue;
    if (postedForMember(source.attributes)) continue;
    const body = source.body?.trim();
    if (body) return body;
  }
  return null;
}

/** The "talk to an agent" request (`handover`) or a notice (`flexcord.notice`), not the member's words. */
function postedForMember(attributes: unknown): boolean {
  if (!attributes || typeof attributes !== 'object') return false;
  if ('handover' in attributes) return true;
  const flexcord = 'flexcord' in attributes ? attributes.flexcord : null;
  return Boolean(flexcord && typeof flexcord === 'object' && 'notice' in flexcord);
}
