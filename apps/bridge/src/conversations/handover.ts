import type { CaseActor } from '@flexcord/contracts';
import { findOpenSupportCase, insertCase, insertCaseEvent } from '../db/cases-repository.ts';
import { type ConversationRow, updateConversation } from '../db/conversations-repository.ts';
import type { Sql } from '../db/database.ts';
import type { MemberRow } from '../db/members-repository.ts';
import { t } from '../i18n/messages.ts';
import { discordMessageItems } from '../outbox/outbox-kinds.ts';
import { enqueue } from '../outbox/outbox-repository.ts';

/**
 * The member asked for a person: open a support case (or reuse their open one), link this chat to
 * it, record the request on the timeline and tell the member — all in the caller's transaction.
 */
export async function openHandover(
  tx: Sql,
  input: {
    conversation: ConversationRow;
    member: MemberRow;
    source: 'button' | 'text';
    /** Where the flow will be in a moment: `handover` until the flow hears the request, `queued` once sent to Flex. */
    phase: 'handover' | 'queued';
    eventKey: string;
  },
): Promise<{ caseNumber: number; created: boolean }> {
  const { conversation, member } = input;
  const actor: CaseActor = { kind: 'member', id: member.discord_user_id, name: member.display_name };
  const existing = conversation.case_number
    ? { number: conversation.case_number }
    : await findOpenSupportCase(tx, member.discord_user_id);
  let caseNumber: number;
  let created = false;
  if (existing) {
    caseNumber = existing.number;
  } else {
    const subject = conversation.topic?.trim() || `Live chat with ${member.display_name}`;
    caseNumber = await insertCase(tx, {
      type: 'support',
      memberId: member.discord_user_id,
      subject: subject.slice(0, 200),
      details: { kind: 'support', ...(conversation.topic ? { topic: conversation.topic } : {}) },
      priority: 'normal',
    });
    created = true;
    await insertCaseEvent(tx, {
      caseNumber,
      type: 'created',
      actor,
      data: { conversationSid: conversation.sid, via: 'handover' },
    });
  }
  await updateConversation(tx, conversation.sid, { case_number: caseNumber, phase: input.phase });
  await insertCaseEvent(tx, {
    caseNumber,
    type: 'handover_requested',
    actor,
    data: { conversationSid: conversation.sid, source: input.source },
  });
  const locale = conversation.locale ?? member.locale;
  await enqueue(tx, [
    ...discordMessageItems(`${input.eventKey}:handover-notice`, {
      channelId: conversation.dm_channel_id,
      content: t(locale, created ? 'handover.created' : 'handover.reused', { caseNumber }),
    }),
    {
      key: `${input.eventKey}:attributes`,
      stream: `twilio:conversation:${conversation.sid}`,
      kind: 'twilio.conversation-attributes',
      payload: { conversationSid: conversation.sid },
    },
  ]);
  return { caseNumber, created };
}
