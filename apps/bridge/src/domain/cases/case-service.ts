import type {
  AuditEntry,
  AuditSource,
  Case,
  CaseActor,
  CaseDetailResponse,
  CaseDetails,
  CaseEvent,
  CaseEventType,
  CasePriority,
  CaseSearchQuery,
  CaseSearchResponse,
  CaseType,
  PublicPost,
  UpdateCaseRequest,
} from '@flexcord/contracts';
import { CASE_COUNT_CAP, CASE_STAGE_STATUS, type CaseStage, type CaseStatus } from '@flexcord/contracts';
import { insertAuditEntry, listAuditEntries } from '../../infrastructure/db/case-audit-repository.ts';
import {
  addReporter,
  isReporter,
  listExtraReporters,
  mergeInto,
} from '../../infrastructure/db/case-reporters-repository.ts';
import {
  appendNoteWords,
  type CaseFilter,
  caseQueryOf,
  countCases,
  searchCases,
} from '../../infrastructure/db/case-search-repository.ts';
import { addVote } from '../../infrastructure/db/case-votes-repository.ts';
import {
  agentTookPart,
  caseVersion,
  countResolutions,
  countStageChanges,
  findCase,
  findOpenSupportCase,
  insertCase,
  insertCaseEvent,
  listCaseEvents,
  listCasesOfConversation,
  listCasesOfMember,
  secondsUntilNextCase,
  updateCaseRow,
} from '../../infrastructure/db/cases-repository.ts';
import { latestConversationOfMember } from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Sql, Tx } from '../../infrastructure/db/database.ts';
import { findMember, memberAsDiscordUser, memberSince } from '../../infrastructure/db/members-repository.ts';
import { listChatsOfMember } from '../../infrastructure/db/transcripts-repository.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
} from '../../infrastructure/util/domain-errors.ts';
import { clipCodePoints } from '../../infrastructure/util/safe-text.ts';
import { agentNameFromIdentity } from '../chat/agent-identity.ts';
import { t } from '../i18n/messages.ts';
import { decodeCursor, encodeCursor } from './case-cursor.ts';
import { STAGE_LABEL_KEYS, statusLabel } from './case-status-label.ts';
import { postLink } from './post-link.ts';

/** Reacts to a case change beyond the timeline (e.g. the public bug post follows its status). */
export type CaseChangeHook = (tx: Tx, before: Case, after: Case, actor: CaseActor) => Promise<void>;

/**
 * An agent tried to change a case assigned to someone else without a supervisor's role: agents
 * change their own cases and unassigned ones.
 */
export class NotYourCaseError extends ForbiddenError {
  constructor(
    readonly caseNumber: number,
    readonly assignee: string,
  ) {
    super(
      'not_your_case',
      `case #${caseNumber} is assigned to ${assignee}; only a supervisor or an admin can change someone else's case`,
    );
  }
}

/** An agent asked for the chats of a case they had no part in (not its assignee, not in its chats). */
export class NotInCaseChatsError extends ForbiddenError {
  constructor(readonly caseNumber: number) {
    super(
      'not_in_case_chats',
      `case #${caseNumber}'s chats are for its assignee, the agents who took part in them and supervisors`,
    );
  }
}

/** Who changes a case, and whether their Flex role lets them change anyone's (supervisors, admins). */
export interface CaseEditor {
  actor: CaseActor;
  mayChangeAnyCase: boolean;
  /** Where the change comes from, for the audit log (default `flex`: Flex's own events). */
  source?: AuditSource;
}

/** Timeline data keys that hold what someone wrote: kept on the timeline, never in the audit log. */
const WRITTEN_KEYS = new Set(['body', 'note', 'comment', 'subject', 'originalSubject', 'excerpt']);

/** What the audit log keeps of a timeline entry's data: what changed, not what was written. */
function auditChanges(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !WRITTEN_KEYS.has(key)));
}

export class CaseNotFoundError extends NotFoundError {
  constructor(readonly caseNumber: number) {
    super('case_not_found', `case #${caseNumber} does not exist`);
  }
}

/** A new case, as the feature that opens it knows it. */
export interface NewCase {
  type: CaseType;
  memberId: string;
  subject: string;
  details: CaseDetails;
  priority: CasePriority;
  actor: CaseActor;
  /** What the `created` timeline entry records (how the case came: `handover`, `/bug`, …). */
  createdData: Record<string, unknown>;
}

/**
 * The one owner of cases: every case is opened here (a live-agent request, /bug, /new_feature),
 * every change and timeline entry is written here, each in the caller's transaction where there
 * is one. A resolution is told to the member in Discord through the outbox, in the same
 * transaction.
 */
export class CaseService {
  private readonly hooks: CaseChangeHook[] = [];

  constructor(private readonly deps: { db: Database; outbox: Outbox }) {}

  onChange(hook: CaseChangeHook): void {
    this.hooks.push(hook);
  }

  /** Opens a case and records its `created` entry; resolves its number. */
  async open(tx: Tx, input: NewCase): Promise<number> {
    const number = await insertCase(tx, {
      type: input.type,
      memberId: input.memberId,
      subject: clipCodePoints(input.subject, 200),
      details: input.details,
      priority: input.priority,
    });
    await this.record(tx, number, 'created', input.actor, input.createdData);
    return number;
  }

  /** The member's open support case, which a new live-agent request reuses. */
  findOpenSupportCase(sql: Sql, memberId: string): Promise<Case | null> {
    return findOpenSupportCase(sql, memberId);
  }

  /** Seconds the member still waits before filing another case of `type`; 0 when they may. */
  async cooldownLeft(sql: Sql, memberId: string, type: CaseType, cooldownSeconds: number): Promise<number> {
    return Math.max(0, await secondsUntilNextCase(sql, memberId, type, cooldownSeconds));
  }

  /**
   * A timeline entry (what happened to the case, by whom). A staff member's (an agent's) is also
   * written to the audit log, with where it came from (`source`, default `flex`: Flex's events).
   */
  async record(
    sql: Sql,
    caseNumber: number,
    type: CaseEventType,
    actor: CaseActor,
    data: Record<string, unknown>,
    visibility: 'public' | 'internal' = 'public',
    source?: AuditSource,
  ): Promise<void> {
    await insertCaseEvent(sql, { caseNumber, type, actor, data, visibility });
    await this.audit(sql, caseNumber, type, actor, data, source);
  }

  /** The audit log's row for a staff action (agents'; members, the bot and the bridge are not staff). */
  private async audit(
    sql: Sql,
    caseNumber: number,
    action: CaseEventType,
    actor: CaseActor,
    data: Record<string, unknown>,
    source: AuditSource | undefined,
  ): Promise<void> {
    if (actor.kind !== 'agent') return;
    await insertAuditEntry(sql, {
      caseNumber,
      action,
      actor: { id: actor.id, name: actor.name },
      source: source ?? 'flex',
      changes: auditChanges(data),
    });
  }

  /** The audit log, newest first: the staff actions of the last `days` (of one case, when given). */
  auditLog(filter: { caseNumber?: number | undefined; days: number; limit: number }): Promise<AuditEntry[]> {
    return listAuditEntries(this.deps.db, {
      caseNumber: filter.caseNumber,
      since: new Date(Date.now() - filter.days * 86_400_000),
      limit: filter.limit,
    });
  }

  /** Where the case's public post is (set once the post exists). */
  async attachPublicPost(number: number, post: PublicPost): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await updateCaseRow(tx, number, { publicPost: post });
      await this.record(
        tx,
        number,
        'public_post',
        { kind: 'system', id: 'flexcord', name: 'Flexcord' },
        {
          url: post.url,
        },
      );
    });
  }

  /** The report's triage task exists (`TRIAGE_ROUTING=task`): on the timeline, for the agents. */
  async noteTriageTask(number: number, taskSid: string): Promise<void> {
    await this.record(
      this.deps.db,
      number,
      'triage_task_created',
      { kind: 'system', id: 'flexcord', name: 'Flexcord' },
      { taskSid },
      'internal',
    );
  }

  find(number: number, sql: Sql = this.deps.db): Promise<Case | null> {
    return findCase(sql, number);
  }

  listByMember(memberId: string): Promise<Case[]> {
    return listCasesOfMember(this.deps.db, memberId);
  }

  listByConversation(conversationSid: string): Promise<Case[]> {
    return listCasesOfConversation(this.deps.db, conversationSid);
  }

  /**
   * The case desk: one page of the cases matching the query (filters, words), in its sort, and
   * how many match. `assignee: "me"` is `agentId`, `none` is unassigned.
   */
  async search(query: CaseSearchQuery, agentId: string): Promise<CaseSearchResponse> {
    const day = 86_400_000;
    const now = Date.now();
    const filter: CaseFilter = {
      // Punctuation alone is no search: the list as if no words were given.
      tsquery:
        query.q && /[\p{L}\p{N}]/u.test(query.q) ? await caseQueryOf(this.deps.db, query.q) : undefined,
      types: query.type,
      statuses: query.status,
      priorities: query.priority,
      assignee:
        query.assignee === undefined
          ? undefined
          : query.assignee === 'none'
            ? null
            : query.assignee === 'me'
              ? agentId
              : query.assignee,
      memberId: query.memberId,
      createdBefore:
        query.olderThanDays !== undefined ? new Date(now - query.olderThanDays * day) : undefined,
      createdAfter: query.newerThanDays !== undefined ? new Date(now - query.newerThanDays * day) : undefined,
    };
    const after = query.cursor ? decodeCursor(query.sort, query.cursor) : undefined;
    const page = await searchCases(this.deps.db, filter, query.sort, query.limit, after);
    // Counted for the first page only (the view keeps it while paging on); a search with more
    // than one page is not counted (see CaseSearchResponse.total).
    const total = after
      ? null
      : !page.more
        ? page.cases.length
        : filter.tsquery
          ? null
          : await countCases(this.deps.db, filter, CASE_COUNT_CAP);
    return {
      cases: page.cases,
      nextCursor: page.more && page.lastKey ? encodeCursor(query.sort, page.lastKey) : null,
      total,
      totalCapped: total !== null && total >= CASE_COUNT_CAP,
    };
  }

  /** The case's public timeline, as the member may see it. */
  publicTimeline(number: number) {
    return listCaseEvents(this.deps.db, number, 'public');
  }

  async detail(number: number, sql: Sql = this.deps.db): Promise<CaseDetailResponse> {
    const found = await findCase(sql, number);
    if (!found) throw new CaseNotFoundError(number);
    const [timeline, memberRow, others, chats] = await Promise.all([
      listCaseEvents(sql, number),
      findMember(sql, found.member.id),
      listCasesOfMember(sql, found.member.id),
      listChatsOfMember(sql, found.member.id),
    ]);
    return {
      case: found,
      timeline,
      assigneeName: found.assignee ? assigneeNameOf(found.assignee, timeline) : null,
      member: {
        ...(memberRow ? memberAsDiscordUser(memberRow) : found.member),
        memberSince: memberRow ? memberSince(memberRow) : found.createdAt,
        otherCases: others
          .filter((other) => other.number !== number)
          .map(({ number: n, type, status, subject, updatedAt }) => ({
            number: n,
            type,
            status,
            subject,
            updatedAt,
          })),
        chats,
      },
    };
  }

  /**
   * Changes status, priority or assignee. Given as a {@link CaseEditor}, the change is refused
   * ({@link NotYourCaseError}) on a case assigned to someone else unless the editor may change any.
   */
  async update(
    number: number,
    request: UpdateCaseRequest,
    editor: CaseActor | CaseEditor,
  ): Promise<CaseDetailResponse> {
    const { actor, mayChangeAnyCase, source } =
      'actor' in editor ? editor : { actor: editor, mayChangeAnyCase: true, source: undefined };
    await this.deps.db.transaction(async (tx) => {
      if (!mayChangeAnyCase) await this.assertMayChange(tx, number, actor);
      await this.change(tx, number, request, actor, source);
    });
    return this.detail(number);
  }

  /**
   * Throws {@link NotYourCaseError} when the case is assigned to someone other than `actor` (the
   * rule: agents change their own cases and unassigned ones). In a transaction the row is locked,
   * so the answer holds until the change is written.
   */
  async assertMayChange(sql: Sql, number: number, actor: CaseActor): Promise<void> {
    const found = await findCase(sql, number, true);
    if (!found) throw new CaseNotFoundError(number);
    if (found.assignee && found.assignee !== actor.id) throw new NotYourCaseError(number, found.assignee);
  }

  /** {@link assertMayChange} for an editor, outside a transaction (the plugin API's check before a change). */
  async assertEditorMayChange(number: number, editor: CaseEditor): Promise<void> {
    if (editor.mayChangeAnyCase) {
      if (!(await findCase(this.deps.db, number))) throw new CaseNotFoundError(number);
      return;
    }
    await this.assertMayChange(this.deps.db, number, editor.actor);
  }

  /**
   * Throws {@link NotInCaseChatsError} unless the editor may read the case's chats (the member's own
   * words): its assignee, an agent who took part in one of its chats, or a supervisor.
   */
  async assertMayReadChats(number: number, editor: CaseEditor): Promise<void> {
    const found = await findCase(this.deps.db, number);
    if (!found) throw new CaseNotFoundError(number);
    if (editor.mayChangeAnyCase || found.assignee === editor.actor.id) return;
    if (await agentTookPart(this.deps.db, number, editor.actor.id)) return;
    throw new NotInCaseChatsError(number);
  }

  /** {@link CaseService.update} in the caller's transaction; resolves the case as it is after. */
  private async change(
    tx: Tx,
    number: number,
    request: UpdateCaseRequest,
    actor: CaseActor,
    source?: AuditSource,
  ): Promise<Case> {
    const before = await findCase(tx, number, true);
    if (!before) throw new CaseNotFoundError(number);
    const assignee = request.assignee === 'me' ? actor.id : request.assignee;
    const moved = stageChange(before, request);
    const status = moved?.status ?? request.status;
    const changes = {
      ...(status !== undefined && status !== before.status ? { status } : {}),
      ...(moved && moved.stage !== before.stage ? { stage: moved.stage } : {}),
      ...(request.priority !== undefined && request.priority !== before.priority
        ? { priority: request.priority }
        : {}),
      ...(assignee !== undefined && assignee !== before.assignee ? { assignee } : {}),
    };
    if (!Object.keys(changes).length) return before;
    await updateCaseRow(tx, number, changes);
    const entry = (type: CaseEventType, data: Record<string, unknown>) =>
      this.record(tx, number, type, actor, data, 'public', source);
    if (changes.status) await entry('status_changed', { from: before.status, to: changes.status });
    if (changes.stage) await entry('stage_changed', { from: before.stage, to: changes.stage });
    if (changes.priority) await entry('priority_changed', { from: before.priority, to: changes.priority });
    if (changes.assignee !== undefined)
      await entry('assigned', { from: before.assignee, to: changes.assignee });
    const after = (await findCase(tx, number))!;
    // A report's reporter hears of each stage; a support case's member of its resolution or closing.
    if (changes.stage) await this.tellReporterStage(tx, after);
    else if (changes.status === 'resolved') await this.tellMemberResolved(tx, after);
    else if (changes.status === 'closed') await this.tellMemberClosed(tx, after);
    else if (changes.status) await this.tellMemberStatus(tx, after);
    for (const hook of this.hooks) await hook(tx, before, after, actor);
    return after;
  }

  async addNote(
    number: number,
    body: string,
    actor: CaseActor,
    source?: AuditSource,
  ): Promise<CaseDetailResponse> {
    await this.deps.db.transaction(async (tx) => {
      const found = await findCase(tx, number, true);
      if (!found) throw new CaseNotFoundError(number);
      await this.record(tx, number, 'note', actor, { body }, 'internal', source);
      await appendNoteWords(tx, number, body);
    });
    return this.detail(number);
  }

  // ---- the agent's side of a chat (accept, wrap-up) --------------------------------------------

  /** What the case panel polls: changes whenever the case or its timeline does. */
  async version(number: number): Promise<string> {
    const version = await caseVersion(this.deps.db, number);
    if (version === null) throw new CaseNotFoundError(number);
    return version;
  }

  /**
   * An agent took a chat of the case: the case is theirs (assignee = the agent's plain identity)
   * and the timeline says "Dana took the chat" — or "joined" when it already was theirs.
   */
  async takeChat(tx: Tx, number: number, agent: CaseActor, conversationSid: string): Promise<void> {
    const before = await findCase(tx, number, true);
    if (!before) throw new CaseNotFoundError(number);
    const took = before.assignee !== agent.id;
    if (took) await updateCaseRow(tx, number, { assignee: agent.id });
    await this.record(tx, number, 'agent_joined', agent, {
      conversationSid,
      ...(took ? { took: true, from: before.assignee } : {}),
    });
  }

  /**
   * The agent's wrap-up of a chat: the disposition and note on the timeline, and the case's status
   * following the disposition (when it names one) — the member is told what that status means.
   */
  async wrapUp(
    tx: Tx,
    number: number,
    input: { disposition: string; status: CaseStatus | null; note: string | null; taskSid: string | null },
    actor: CaseActor,
    source?: AuditSource,
  ): Promise<Case> {
    const found = await findCase(tx, number, true);
    if (!found) throw new CaseNotFoundError(number);
    await this.record(
      tx,
      number,
      'wrapped_up',
      actor,
      {
        disposition: input.disposition,
        ...(input.note ? { note: input.note } : {}),
        ...(input.taskSid ? { taskSid: input.taskSid } : {}),
      },
      'public',
      source,
    );
    return input.status ? this.change(tx, number, { status: input.status }, actor, source) : found;
  }

  private async memberTarget(tx: Tx, memberId: string) {
    const member = await findMember(tx, memberId);
    const chat = await latestConversationOfMember(tx, memberId);
    return {
      locale: chat?.locale ?? member?.locale ?? null,
      target: chat ? { channelId: chat.dm_channel_id } : { userId: memberId },
    };
  }

  /** Any other status a case moves to (pending after "Follow-up needed", open again): the member reads it. */
  private async tellMemberStatus(tx: Tx, changed: Case): Promise<void> {
    const { locale, target } = await this.memberTarget(tx, changed.member.id);
    await this.deps.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: `case:${changed.number}:status:${changed.status}:${changed.updatedAt}`,
      payload: {
        ...target,
        content: t(locale, 'case.statusChanged', {
          caseNumber: changed.number,
          status: statusLabel(changed, locale),
        }),
      },
    });
  }

  private async tellMemberClosed(tx: Tx, closed: Case): Promise<void> {
    const { locale, target } = await this.memberTarget(tx, closed.member.id);
    await this.deps.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: `case:${closed.number}:closed:${closed.updatedAt}`,
      payload: {
        ...target,
        content: t(locale, 'case.closed', { caseNumber: closed.number, subject: closed.subject }),
      },
    });
  }

  /**
   * An official answer from the team in the report's public thread, posted with mentions disabled,
   * and recorded on the timeline.
   */
  async postOfficialReply(number: number, body: string, editor: CaseEditor): Promise<CaseDetailResponse> {
    const { actor, mayChangeAnyCase, source } = editor;
    await this.deps.db.transaction(async (tx) => {
      const found = await findCase(tx, number, true);
      if (!found) throw new CaseNotFoundError(number);
      // The team's public word on a report is its owner's (or a supervisor's), like its stage.
      if (!mayChangeAnyCase && found.assignee && found.assignee !== actor.id)
        throw new NotYourCaseError(number, found.assignee);
      const threadId = found.publicPost?.threadId ?? found.publicPost?.channelId;
      if (!found.publicPost || !threadId)
        throw new ConflictError('no_public_post', `case #${number} has no public post to answer in`);
      const event = await insertCaseEvent(tx, {
        caseNumber: number,
        type: 'official_reply',
        actor,
        data: { body },
      });
      await this.audit(tx, number, 'official_reply', actor, {}, source);
      await this.deps.outbox.enqueue(tx, {
        kind: 'discord.message',
        key: `case:${number}:official-reply:${event.id}`,
        payload: {
          channelId: threadId,
          content: t(null, 'case.officialReply', { name: actor.name, body }),
        },
      });
    });
    return this.detail(number);
  }

  /**
   * A member's +1 on a feature request: one per member, a repeat changes nothing. Resolves the
   * count and whether this vote was new.
   */
  async vote(number: number, member: CaseActor): Promise<{ votes: number; counted: boolean }> {
    return this.deps.db.transaction(async (tx) => {
      const found = await findCase(tx, number, true);
      if (!found) throw new CaseNotFoundError(number);
      if (found.type !== 'feature')
        throw new DomainError('invalid', 'not_votable', `case #${number} is not a feature request`);
      const outcome = await addVote(tx, number, member.id);
      if (outcome.counted) {
        await this.record(tx, number, 'voted', member, { votes: outcome.votes });
        // The post shows the new count (its embed and its +1 button), changed in place.
        if (found.publicPost)
          await this.deps.outbox.enqueue(tx, {
            key: `case:${number}:votes:${outcome.votes}`,
            kind: 'discord.case-post-update',
            payload: {
              caseNumber: number,
              guildId: '',
              channelId: found.publicPost.channelId,
              inPlace: true,
            },
          });
      }
      return outcome;
    });
  }

  /**
   * Marks case `number` a duplicate of case `of`: it is closed and points at `of`, its reporters
   * (and, for feature requests, its votes) are counted on `of`, and cases that were duplicates of
   * it follow to `of`; both timelines record it, both reporters are told in their language, the
   * duplicate's post gets a link to the original and is closed, the original's post shows its new
   * count. Refused with a reason ({@link DuplicateRefusedError}, {@link CaseNotFoundError},
   * {@link NotYourCaseError}). Resolves the original's detail.
   */
  async markDuplicate(number: number, of: number, editor: CaseEditor): Promise<CaseDetailResponse> {
    const { actor, mayChangeAnyCase, source } = editor;
    if (number === of)
      throw new DuplicateRefusedError('invalid', 'self_duplicate', `case #${number} cannot duplicate itself`);
    await this.deps.db.transaction(async (tx) => {
      // Both rows locked, the lower number first (two agents merging crosswise cannot deadlock).
      const [low, high] = number < of ? [number, of] : [of, number];
      const lowCase = await findCase(tx, low, true);
      const highCase = await findCase(tx, high, true);
      const duplicate = number === low ? lowCase : highCase;
      const original = number === low ? highCase : lowCase;
      if (!duplicate) throw new CaseNotFoundError(number);
      if (!original) throw new CaseNotFoundError(of);
      if (duplicate.type === 'support' || original.type === 'support')
        throw new DuplicateRefusedError(
          'invalid',
          'not_a_report',
          'only bug reports and feature requests can be duplicates',
        );
      if (duplicate.type !== original.type)
        throw new DuplicateRefusedError(
          'invalid',
          'different_type',
          `case #${number} is a ${duplicate.type} and case #${of} a ${original.type}; a duplicate is of the same type`,
        );
      if (duplicate.duplicateOf)
        throw new DuplicateRefusedError(
          'conflict',
          'already_duplicate',
          `case #${number} is already a duplicate of #${duplicate.duplicateOf}`,
        );
      if (original.duplicateOf === number)
        throw new DuplicateRefusedError(
          'conflict',
          'duplicate_cycle',
          `case #${of} is a duplicate of #${number}: marking #${number} a duplicate of it would make a cycle`,
        );
      if (original.duplicateOf)
        throw new DuplicateRefusedError(
          'conflict',
          'target_is_duplicate',
          `case #${of} is itself a duplicate of #${original.duplicateOf}; mark #${number} a duplicate of #${original.duplicateOf}`,
        );
      if (!mayChangeAnyCase && duplicate.assignee && duplicate.assignee !== actor.id)
        throw new NotYourCaseError(number, duplicate.assignee);

      const counts = await mergeInto(tx, number, of);
      if (duplicate.status !== 'closed') {
        await updateCaseRow(tx, number, { status: 'closed' });
        await this.record(
          tx,
          number,
          'status_changed',
          actor,
          { from: duplicate.status, to: 'closed' },
          'public',
          source,
        );
      }
      await this.record(
        tx,
        number,
        'marked_duplicate',
        actor,
        { of, subject: original.subject },
        'public',
        source,
      );
      await this.record(
        tx,
        of,
        'duplicate_merged',
        actor,
        { duplicate: number, subject: duplicate.subject, reports: counts.reports, votes: counts.votes },
        'public',
        source,
      );
      await this.tellDuplicateReporters(tx, duplicate, original, counts.reports);
      if (duplicate.publicPost)
        await this.deps.outbox.enqueue(tx, {
          key: `case:${number}:post-duplicate`,
          kind: 'discord.case-post-close',
          payload: { caseNumber: number, originalNumber: of },
        });
      if (original.publicPost)
        await this.deps.outbox.enqueue(tx, {
          key: `case:${of}:post-merged:${number}`,
          kind: 'discord.case-post-update',
          payload: {
            caseNumber: of,
            guildId: '',
            channelId: original.publicPost.channelId,
            note: t(null, 'duplicate.postMerged', { caseNumber: number, reports: counts.reports }),
          },
        });
    });
    return this.detail(of);
  }

  /** The reporter of a duplicate and the original's reporter, each told in their language. */
  private async tellDuplicateReporters(tx: Tx, duplicate: Case, original: Case, reports: number) {
    const link = postLink(original.publicPost, original.number);
    const toDuplicate = await this.memberTarget(tx, duplicate.member.id);
    await this.deps.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: `case:${duplicate.number}:duplicate-of:${original.number}`,
      payload: {
        ...toDuplicate.target,
        content: t(toDuplicate.locale, 'duplicate.toReporter', {
          caseNumber: duplicate.number,
          subject: duplicate.subject,
          original: original.number,
          originalSubject: original.subject,
          reports,
          link,
        }).trim(),
      },
    });
    if (original.member.id === duplicate.member.id) return;
    const toOriginal = await this.memberTarget(tx, original.member.id);
    await this.deps.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: `case:${original.number}:merged:${duplicate.number}`,
      payload: {
        ...toOriginal.target,
        content: t(toOriginal.locale, 'duplicate.toOriginalReporter', {
          original: original.number,
          originalSubject: original.subject,
          reports,
          link,
        }).trim(),
      },
    });
  }

  /**
   * A member says an open bug report is theirs too ("Is it one of these?" → "Add me"): counted as
   * a reporter once, on the timeline. Resolves the case and whether they were new to it; refuses
   * a case that is not an open bug report ({@link ConflictError} `not_open`).
   */
  async addReporter(
    number: number,
    member: CaseActor,
  ): Promise<{ case: Case; added: boolean; reports: number }> {
    return this.deps.db.transaction(async (tx) => {
      const found = await findCase(tx, number, true);
      if (!found) throw new CaseNotFoundError(number);
      if (await isReporter(tx, number, member.id))
        return { case: found, added: false, reports: found.reports ?? 1 };
      if (found.type !== 'bug' || found.status !== 'open' || found.duplicateOf)
        throw new ConflictError('not_open', `case #${number} is not an open bug report`);
      const outcome = await addReporter(tx, number, member.id);
      if (outcome.added)
        await this.record(tx, number, 'reporter_added', member, { reports: outcome.reports });
      return { case: (await findCase(tx, number))!, ...outcome };
    });
  }

  /**
   * Tells a report's reporters its new stage, each in their language, in their DM (opened at
   * delivery): its own reporter and the members who added themselves or whose duplicate it absorbed.
   */
  private async tellReporterStage(tx: Tx, found: Case): Promise<void> {
    if (!found.stage) return;
    const member = await findMember(tx, found.member.id);
    const changes = await countStageChanges(tx, found.number);
    const reporters = [
      { memberId: found.member.id, locale: member?.locale ?? null },
      ...(await listExtraReporters(tx, found.number)),
    ];
    for (const [index, reporter] of reporters.entries()) {
      await this.deps.outbox.enqueue(tx, {
        kind: 'discord.message',
        key:
          index === 0
            ? `case:${found.number}:stage:${changes}`
            : `case:${found.number}:stage:${changes}:${reporter.memberId}`,
        payload: {
          userId: reporter.memberId,
          content: t(reporter.locale, 'case.stageChanged', {
            caseNumber: found.number,
            subject: found.subject,
            stage: t(reporter.locale, STAGE_LABEL_KEYS[found.stage]),
            link: postLink(found.publicPost, found.number),
          }).trim(),
        },
      });
    }
  }

  private async tellMemberResolved(tx: Tx, resolved: Case): Promise<void> {
    const member = await findMember(tx, resolved.member.id);
    const chat = await latestConversationOfMember(tx, resolved.member.id);
    const locale = chat?.locale ?? member?.locale ?? null;
    const target = chat ? { channelId: chat.dm_channel_id } : { userId: resolved.member.id };
    const resolutions = (await countResolutions(tx, resolved.number)) || 1;
    await this.deps.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: `case:${resolved.number}:resolved:${resolutions}`,
      payload: {
        ...target,
        content: t(locale, 'case.resolved', { caseNumber: resolved.number, subject: resolved.subject }),
      },
    });
  }
}

/** Why a case cannot be marked a duplicate of another (a 400 or 409 with this code). */
export class DuplicateRefusedError extends DomainError {
  constructor(kind: 'invalid' | 'conflict', code: string, message: string) {
    super(kind, code, message);
  }
}

/**
 * A report's stage and status after a change: a stage sets the status; a status alone moves the
 * stage where it must (resolved → fixed, closed → won't fix, reopened → open). Support cases have
 * no stage.
 */
function stageChange(
  before: Case,
  request: UpdateCaseRequest,
): { stage: CaseStage; status: CaseStatus } | null {
  if (before.type === 'support') {
    if (request.stage !== undefined)
      throw new DomainError(
        'invalid',
        'stage_not_applicable',
        'support cases have no stage; set their status',
      );
    return null;
  }
  if (request.stage !== undefined) return { stage: request.stage, status: CASE_STAGE_STATUS[request.stage] };
  if (request.status === undefined || request.status === before.status) return null;
  const current = before.stage ?? 'open';
  if (request.status === 'resolved') return { stage: 'fixed', status: 'resolved' };
  if (request.status === 'closed') return { stage: 'wont_fix', status: 'closed' };
  return { stage: CASE_STAGE_STATUS[current] === 'open' ? current : 'open', status: request.status };
}

/**
 * The assignee as a person reads them: the name the timeline last recorded for them (Flex's friendly
 * name when they joined a chat), else one read from their identity; never the e-mail address.
 */
function assigneeNameOf(assignee: string, timeline: readonly CaseEvent[]): string {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const actor = timeline[i]!.actor;
    if (actor.kind === 'agent' && actor.id === assignee && actor.name && !actor.name.includes('@')) {
      return actor.name;
    }
  }
  return agentNameFromIdentity(assignee);
}
