import type { Case, CaseStage, CaseStatus } from '@flexcord/contracts';
import type { Tx } from '../../infrastructure/db/database.ts';
import type { OutboxInput } from '../../infrastructure/outbox/kind-registry.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import type { CaseChangeHook } from '../cases/case-service.ts';
import { shownStatus } from '../cases/case-status-label.ts';

/**
 * The forum tags the bridge applies on a report's post: one per status, and one per stage of a bug
 * report or feature request (a report's post carries its stage's tag, not its status's:
 * "investigating" and "planned" are both the status open). Matched against the forum's
 * `available_tags` case-insensitively; provisioning creates the missing ones.
 */
export interface ForumTags {
  status: Record<CaseStatus, string>;
  stage: Record<CaseStage, string>;
}

export const DEFAULT_FORUM_TAGS: ForumTags = {
  status: { open: 'open', pending: 'in progress', resolved: 'resolved', closed: 'closed' },
  stage: {
    open: 'open',
    investigating: 'investigating',
    planned: 'planned',
    fixed: 'fixed',
    wont_fix: "won't fix",
  },
};

/** Discord's limit on a forum tag's name. @see https://discord.com/developers/docs/resources/channel#forum-tag-object */
const TAG_NAME_MAX = 20;

/**
 * `FORUM_TAGS`: the default tags with some renamed, as `key=Tag name` pairs separated by commas —
 * keys are the stages (`investigating`, `planned`, `fixed`, `wont_fix`, `open`) and the statuses
 * (`pending`, `resolved`, `closed`); e.g. `planned=On the roadmap,wont_fix=Not planned`.
 */
export function parseForumTags(value: string): ForumTags {
  const tags: ForumTags = {
    status: { ...DEFAULT_FORUM_TAGS.status },
    stage: { ...DEFAULT_FORUM_TAGS.stage },
  };
  for (const pair of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [key = '', ...rest] = pair.split('=');
    const name = rest.join('=').trim();
    const id = key.trim();
    if (!name) throw new Error(`"${pair}" has no tag name: write key=Tag name`);
    if (name.length > TAG_NAME_MAX)
      throw new Error(`"${name}" is longer than Discord's ${TAG_NAME_MAX} characters for a tag`);
    const isStage = id in tags.stage;
    const isStatus = id in tags.status;
    if (!isStage && !isStatus)
      throw new Error(
        `"${id}" is not a stage or status (one of ${[...new Set([...Object.keys(tags.stage), ...Object.keys(tags.status)])].join(', ')})`,
      );
    if (isStage) tags.stage[id as CaseStage] = name;
    if (isStatus) tags.status[id as CaseStatus] = name;
  }
  return tags;
}

/** Every tag name a report's post may carry (what provisioning makes sure the forums have). */
export function forumTagNames(tags: ForumTags): string[] {
  const seen = new Map<string, string>();
  for (const name of [...Object.values(tags.status), ...Object.values(tags.stage)])
    if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/** The tag names a case's post carries: its shown status (`shownStatus`), and a bug's severity. */
export function caseTagNames(found: Case, tags: ForumTags): string[] {
  const shown = shownStatus(found);
  return [
    shown.kind === 'stage' ? tags.stage[shown.stage] : tags.status[shown.status],
    ...(found.details.kind === 'bug' ? [found.details.severity] : []),
  ];
}

/** Enqueues the public post of a new bug/feature case, in the caller's transaction. */
export async function enqueueCasePost(
  outbox: Outbox,
  tx: Tx,
  key: string,
  payload: OutboxInput<'discord.case-post'>,
): Promise<void> {
  await outbox.enqueue(tx, {
    key,
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
    kind: 'discord.case-post-update',
    payload: { caseNumber: found.number, guildId: '', channelId: found.publicPost.channelId },
  });
}

/**
 * A report's public post follows its case: a change of status or stage enqueues the post's update
 * (tag, lock and title) in the change's own transaction, once per change.
 */
export function postFollowsItsCase(outbox: Outbox): CaseChangeHook {
  return async (tx, before, after) => {
    if (before.status === after.status && before.stage === after.stage) return;
    await enqueueCasePostUpdate(
      outbox,
      tx,
      after,
      `case:${after.number}:post-status:${after.stage ?? after.status}:${after.updatedAt}`,
    );
  };
}
