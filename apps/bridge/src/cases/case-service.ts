import type {
  Case,
  CaseActor,
  CaseDetailResponse,
  CaseDetails,
  CaseEventType,
  CasePriority,
  CaseType,
  PublicPost,
  UpdateCaseRequest,
} from '@flexcord/contracts';
import {
  countResolutions,
  findCase,
  findOpenSupportCase,
  insertCase,
  insertCaseEvent,
  listCaseEvents,
  listCasesOfConversation,
  listCasesOfMember,
  secondsUntilNextCase,
  updateCaseRow,
} from '../db/cases-repository.ts';
import { latestConversationOfMember } from '../db/conversations-repository.ts';
import type { Database, Sql, Tx } from '../db/database.ts';
import { findMember, memberAsDiscordUser, memberSince } from '../db/members-repository.ts';
import { t } from '../i18n/messages.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { discordMessageItems } from '../outbox/outbox-kinds.ts';
import { NotFoundError } from '../util/domain-errors.ts';
import { clipCodePoints } from '../util/safe-text.ts';

/** Reacts to a case change beyond the timeline (e.g. the public bug post follows its status). */
export type CaseChangeHook = (tx: Tx, before: Case, after: Case, actor: CaseActor) => Promise<void>;

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

  /** A timeline entry (what happened to the case, by whom). */
  async record(
    sql: Sql,
    caseNumber: number,
    type: CaseEventType,
    actor: CaseActor,
    data: Record<string, unknown>,
    visibility: 'public' | 'internal' = 'public',
  ): Promise<void> {
    await insertCaseEvent(sql, { caseNumber, type, actor, data, visibility });
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

  find(number: number, sql: Sql = this.deps.db): Promise<Case | null> {
    return findCase(sql, number);
  }

  listByMember(memberId: string): Promise<Case[]> {
    return listCasesOfMember(this.deps.db, memberId);
  }

  listByConversation(conversationSid: string): Promise<Case[]> {
    return listCasesOfConversation(this.deps.db, conversationSid);
  }

  /** The case's public timeline, as the member may see it. */
  publicTimeline(number: number) {
    return listCaseEvents(this.deps.db, number, 'public');
  }

  async detail(number: number, sql: Sql = this.deps.db): Promise<CaseDetailResponse> {
    const found = await findCase(sql, number);
    if (!found) throw new CaseNotFoundError(number);
    const [timeline, memberRow, others] = await Promise.all([
      listCaseEvents(sql, number),
      findMember(sql, found.member.id),
      listCasesOfMember(sql, found.member.id),
    ]);
    return {
      case: found,
      timeline,
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
      },
    };
  }

  async update(number: number, request: UpdateCaseRequest, actor: CaseActor): Promise<CaseDetailResponse> {
    await this.deps.db.transaction(async (tx) => {
      const before = await findCase(tx, number, true);
      if (!before) throw new CaseNotFoundError(number);
      const assignee = request.assignee === 'me' ? actor.id : request.assignee;
      const changes = {
        ...(request.status !== undefined && request.status !== before.status
          ? { status: request.status }
          : {}),
        ...(request.priority !== undefined && request.priority !== before.priority
          ? { priority: request.priority }
          : {}),
        ...(assignee !== undefined && assignee !== before.assignee ? { assignee } : {}),
      };
      if (!Object.keys(changes).length) return;
      await updateCaseRow(tx, number, changes);
      if (changes.status)
        await this.record(tx, number, 'status_changed', actor, { from: before.status, to: changes.status });
      if (changes.priority)
        await this.record(tx, number, 'priority_changed', actor, {
          from: before.priority,
          to: changes.priority,
        });
      if (changes.assignee !== undefined)
        await this.record(tx, number, 'assigned', actor, { from: before.assignee, to: changes.assignee });
      const after = (await findCase(tx, number))!;
      if (changes.status === 'resolved') await this.tellMemberResolved(tx, after);
      for (const hook of this.hooks) await hook(tx, before, after, actor);
    });
    return this.detail(number);
  }

  async addNote(number: number, body: string, actor: CaseActor): Promise<CaseDetailResponse> {
    await this.deps.db.transaction(async (tx) => {
      const found = await findCase(tx, number, true);
      if (!found) throw new CaseNotFoundError(number);
      await this.record(tx, number, 'note', actor, { body }, 'internal');
    });
    return this.detail(number);
  }

  private async tellMemberResolved(tx: Tx, resolved: Case): Promise<void> {
    const member = await findMember(tx, resolved.member.id);
    const chat = await latestConversationOfMember(tx, resolved.member.id);
    const locale = chat?.locale ?? member?.locale ?? null;
    const target = chat ? { channelId: chat.dm_channel_id } : { userId: resolved.member.id };
    const resolutions = (await countResolutions(tx, resolved.number)) || 1;
    await this.deps.outbox.enqueue(
      tx,
      discordMessageItems(`case:${resolved.number}:resolved:${resolutions}`, {
        ...target,
        content: t(locale, 'case.resolved', { caseNumber: resolved.number, subject: resolved.subject }),
      }),
    );
  }
}
