import type { Case, CaseActor, CaseDetailResponse, UpdateCaseRequest } from '@flexcord/contracts';
import {
  findCase,
  insertCaseEvent,
  listCaseEvents,
  listCasesOfConversation,
  listCasesOfMember,
  updateCaseRow,
} from '../db/cases-repository.ts';
import type { Database, Sql } from '../db/database.ts';
import { findMember, memberSince, toDiscordUser } from '../db/members-repository.ts';
import { HttpError } from '../http/http-errors.ts';
import { t } from '../i18n/messages.ts';
import { discordMessageItems } from '../outbox/outbox-kinds.ts';
import { enqueue } from '../outbox/outbox-repository.ts';

/** Reacts to a case change beyond the timeline (e.g. the public bug post follows its status). */
export type CaseChangeHook = (tx: Sql, before: Case, after: Case, actor: CaseActor) => Promise<void>;

/**
 * Cases as agents work them: read with the timeline and the member, change status, priority and
 * assignee, add internal notes. Each change is a timeline entry; a resolution is told to the
 * member in Discord through the outbox, in the same transaction.
 */
export class CaseService {
  private readonly hooks: CaseChangeHook[] = [];

  constructor(private readonly deps: { db: Database; kick(): void }) {}

  onChange(hook: CaseChangeHook): void {
    this.hooks.push(hook);
  }

  listByMember(memberId: string): Promise<Case[]> {
    return listCasesOfMember(this.deps.db, memberId);
  }

  listByConversation(conversationSid: string): Promise<Case[]> {
    return listCasesOfConversation(this.deps.db, conversationSid);
  }

  async detail(number: number, sql: Sql = this.deps.db): Promise<CaseDetailResponse> {
    const found = await findCase(sql, number);
    if (!found) throw new HttpError(404, 'case_not_found', `case #${number} does not exist`);
    const [timeline, memberRow, others] = await Promise.all([
      listCaseEvents(sql, number),
      findMember(sql, found.member.id),
      listCasesOfMember(sql, found.member.id),
    ]);
    return {
      case: found,
      timeline,
      member: {
        ...(memberRow ? toDiscordUser(memberRow) : found.member),
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
      if (!before) throw new HttpError(404, 'case_not_found', `case #${number} does not exist`);
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
      if (changes.status) {
        await insertCaseEvent(tx, {
          caseNumber: number,
          type: 'status_changed',
          actor,
          data: { from: before.status, to: changes.status },
        });
      }
      if (changes.priority) {
        await insertCaseEvent(tx, {
          caseNumber: number,
          type: 'priority_changed',
          actor,
          data: { from: before.priority, to: changes.priority },
        });
      }
      if (changes.assignee !== undefined) {
        await insertCaseEvent(tx, {
          caseNumber: number,
          type: 'assigned',
          actor,
          data: { from: before.assignee, to: changes.assignee },
        });
      }
      const after = (await findCase(tx, number))!;
      if (changes.status === 'resolved') await this.tellMemberResolved(tx, after);
      for (const hook of this.hooks) await hook(tx, before, after, actor);
    });
    this.deps.kick();
    return this.detail(number);
  }

  async addNote(number: number, body: string, actor: CaseActor): Promise<CaseDetailResponse> {
    await this.deps.db.transaction(async (tx) => {
      const found = await findCase(tx, number, true);
      if (!found) throw new HttpError(404, 'case_not_found', `case #${number} does not exist`);
      await insertCaseEvent(tx, {
        caseNumber: number,
        type: 'note',
        actor,
        data: { body },
        visibility: 'internal',
      });
    });
    return this.detail(number);
  }

  private async tellMemberResolved(tx: Sql, resolved: Case): Promise<void> {
    const member = await findMember(tx, resolved.member.id);
    const { rows } = await tx.query<{ dm_channel_id: string; locale: string | null }>(
      'SELECT dm_channel_id, locale FROM conversations WHERE discord_user_id = $1 ORDER BY created_at DESC LIMIT 1',
      [resolved.member.id],
    );
    const locale = rows[0]?.locale ?? member?.locale ?? null;
    const target = rows[0] ? { channelId: rows[0].dm_channel_id } : { userId: resolved.member.id };
    const { rows: count } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM case_events WHERE case_number = $1 AND type = 'status_changed' AND data->>'to' = 'resolved'`,
      [resolved.number],
    );
    await enqueue(
      tx,
      discordMessageItems(`case:${resolved.number}:resolved:${count[0]?.n ?? 1}`, {
        ...target,
        content: t(locale, 'case.resolved', { caseNumber: resolved.number, subject: resolved.subject }),
      }),
    );
  }
}
