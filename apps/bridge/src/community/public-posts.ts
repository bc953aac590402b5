import type { Case, CaseStatus } from '@flexcord/contracts';
import type { Tx } from '../db/database.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { type CasePostPayload, casePostStream } from '../outbox/outbox-kinds.ts';

/** The tag names the bridge applies on forum posts (the forum's `available_tags`, matched case-insensitively). */
export const STATUS_TAGS: Record<CaseStatus, string> = {
  open: 'open',
  pending: 'in progress',
  resolved: 'resolved',
  closed: 'closed',
};

/** The tag names a case's post carries: its status, and a bug's severity. */
export function caseTagNames(found: Case): string[] {
  return [STATUS_TAGS[found.status], ...(found.details.kind === 'bug' ? [found.details.severity] : [])];
}

/** Enqueues the public post of a new bug/feature case, in the caller's transaction. */
export async function enqueueCasePost(
  outbox: Outbox,
  tx: Tx,
  key: string,
  payload: CasePostPayload,
): Promise<void> {
  await outbox.enqueue(tx, {
    key,
    stream: casePostStream(payload.caseNumber),
    kind: 'discord.case-post',
    payload,
  });
}

/** Enqueues the status follow-up of a case's public post (tags or embed, and a note in the thread). */
export async function enqueueCasePostUpdate(
  outbox: Outbox,
  tx: Tx,
  found: Case,
  eventKey: string,
): Promise<void> {
  if (!found.publicPost) return;
  await outbox.enqueue(tx, {
    key: eventKey,
    stream: casePostStream(found.number),
    kind: 'discord.case-post-update',
    payload: { caseNumber: found.number, guildId: '', channelId: found.publicPost.channelId },
  });
}
