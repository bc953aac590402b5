import type { BugSeverity, Case, CaseActor, CaseEvent, DiscordUser, PublicPost } from '@flexcord/contracts';
import type { CaseService } from '../cases/case-service.ts';
import type { Database } from '../db/database.ts';
import { findDraft, saveDraft } from '../db/drafts-repository.ts';
import { upsertMember } from '../db/members-repository.ts';
import { claimEvent } from '../db/processed-events.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { waitForDelivery } from '../outbox/outbox-repository.ts';
import { enqueueCasePost } from './public-posts.ts';
import { type BugForm, type FeatureForm, SEVERITY_PRIORITY } from './report-forms.ts';

/** A report as the member filed it: a bug (validated form and its severity) or a feature request. */
export type Report =
  | { type: 'bug'; form: BugForm; severity: BugSeverity }
  | { type: 'feature'; form: FeatureForm };

export type FileOutcome =
  /** The interaction was handled already (a replayed gateway event). */
  | null
  /** A bug report too soon after the last one. */
  | { cooldown: number }
  | { caseNumber: number; postKey: string };

/**
 * Official reports from the community: a /bug or /new_feature becomes a case (opened by the case
 * service) with a public post, and members read their own cases. Every rule about reports lives
 * here; the Discord side only asks and answers.
 */
export class CommunityService {
  constructor(
    private readonly deps: {
      db: Database;
      outbox: Outbox;
      cases: CaseService;
      /** Seconds a member waits between two bug reports. */
      bugCooldownSeconds: number;
    },
  ) {}

  /** Keeps a refused bug report, so "Edit report" reopens it prefilled. */
  saveBugDraft(draftId: string, form: BugForm): Promise<void> {
    return saveDraft(this.deps.db, `bug-draft:${draftId}`, form);
  }

  bugDraft(draftId: string): Promise<BugForm | null> {
    return findDraft<BugForm>(this.deps.db, `bug-draft:${draftId}`);
  }

  /** Files the report as a case and enqueues its public post in `channelId`, once per interaction. */
  fileReport(input: {
    interactionId: string;
    user: DiscordUser;
    locale: string | null;
    guildId: string;
    channelId: string;
    report: Report;
  }): Promise<FileOutcome> {
    const { db, cases, outbox } = this.deps;
    const { user, report } = input;
    const actor: CaseActor = { kind: 'member', id: user.id, name: user.displayName };
    return db.transaction(async (tx) => {
      if (!(await claimEvent(tx, `discord:interaction:${input.interactionId}`))) return null;
      if (report.type === 'bug') {
        const wait = await cases.cooldownLeft(tx, user.id, 'bug', this.deps.bugCooldownSeconds);
        if (wait > 0) return { cooldown: wait };
      }
      await upsertMember(tx, user, input.locale);
      const caseNumber =
        report.type === 'bug'
          ? await cases.open(tx, {
              type: 'bug',
              memberId: user.id,
              subject: report.form.title.trim(),
              priority: SEVERITY_PRIORITY[report.severity],
              details: {
                kind: 'bug',
                whatHappened: report.form.whatHappened.trim(),
                steps: report.form.steps.trim(),
                expectedVsActual: report.form.expectedVsActual.trim(),
                severity: report.severity,
              },
              actor,
              createdData: { via: '/bug', severity: report.severity },
            })
          : await cases.open(tx, {
              type: 'feature',
              memberId: user.id,
              subject: report.form.title.trim() || 'Feature request',
              priority: 'normal',
              details: {
                kind: 'feature',
                description: report.form.description.trim(),
                whyItMatters: report.form.whyItMatters.trim(),
              },
              actor,
              createdData: { via: '/new_feature' },
            });
      const postKey = `case:${caseNumber}:post`;
      await enqueueCasePost(outbox, tx, postKey, {
        caseNumber,
        guildId: input.guildId,
        channelId: input.channelId,
      });
      return { caseNumber, postKey };
    });
  }

  /** The report's public post once it exists, if that happens within `timeoutMs`. */
  waitForPost(postKey: string, timeoutMs: number): Promise<PublicPost | null> {
    return waitForDelivery<PublicPost>(this.deps.db, postKey, timeoutMs);
  }

  /** A member's +1 on a feature request (once per member). */
  vote(caseNumber: number, user: DiscordUser): Promise<{ votes: number; counted: boolean }> {
    return this.deps.cases.vote(caseNumber, { kind: 'member', id: user.id, name: user.displayName });
  }

  memberCases(memberId: string): Promise<Case[]> {
    return this.deps.cases.listByMember(memberId);
  }

  /** One of the member's own cases with its public timeline; another member's case reads as missing. */
  async memberCase(memberId: string, number: number): Promise<{ case: Case; timeline: CaseEvent[] } | null> {
    const found = await this.deps.cases.find(number);
    if (!found || found.member.id !== memberId) return null;
    return { case: found, timeline: await this.deps.cases.publicTimeline(number) };
  }
}
