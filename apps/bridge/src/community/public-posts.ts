import type { Case, CaseStage, CaseStatus } from '@flexcord/contracts';
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

/**
 * The tag of each stage of a bug report or feature request (a report's post carries its stage's
 * tag, not its status's: "investigating" and "planned" are both the status open).
 */
export const STAGE_TAGS: Record<CaseStage, string> = {
  open: 'open',
  investigating: 'investigating',
  planned: 'planned',
  fixed: 'fixed',
  wont_fix: "won't fix",
};

/** The tag names a case's post carries: its stage (else its status), and a bug's severity. */
export function caseTagNames(found: Case): string[] {
  return [
    found.stage ? STAGE_TAGS[found.stage] : STATUS_TAGS[found.status],
    ...(found.details.kind === 'bug' ? [found.details.severity] : []),
  ];
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
