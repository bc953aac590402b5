import type { BugSeverity, Case, CaseActor, CaseEvent, DiscordUser, PublicPost } from '@flexcord/contracts';
import { similarCandidates } from '../../infrastructure/db/case-search-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import { findDraft, saveDraft } from '../../infrastructure/db/drafts-repository.ts';
import { upsertMember } from '../../infrastructure/db/members-repository.ts';
import { claimEvent } from '../../infrastructure/db/processed-events.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { waitForDelivery } from '../../infrastructure/outbox/outbox-repository.ts';
import type { CaseService } from '../cases/case-service.ts';
import type { KbService } from '../kb/kb-service.ts';
import { tokenize } from '../kb/text-analysis.ts';
import { enqueueCasePost } from './public-posts.ts';
import { type BugForm, type FeatureForm, SEVERITY_PRIORITY } from './report-forms.ts';

/** A report as the member filed it: a bug (validated form and its severity) or a feature request. */
export type Report =
  | { type: 'bug'; form: BugForm; severity: BugSeverity }
  | { type: 'feature'; form: FeatureForm };

/** An open bug report a new one looks like ("Is it one of these?"). */
export interface SimilarReport {
  caseNumber: number;
  subject: string;
  url: string | null;
}

/**
 * How alike an open report must be to be offered: the KB's ranking, and the share of the new
 * report's words it covers (all of it, in either language) and names in its title.
 */
export const SIMILARITY = {
  minCoverage: 0.5,
  minNaming: 0.2,
  /** Offered at most. */
  shown: 3,
  /** Candidates read: the best full-text matches, and the newest open reports. */
  matching: 50,
  recent: 100,
} as const;

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
      /** The KB's search, which also finds open reports like a new one; absent → none offered. */
      kb?: KbService;
      /** Where new reports also go as TaskRouter tasks (`TRIAGE_ROUTING=task`); absent → the Cases view only. */
      triage?: { workspaceSid: string; workflowSid: string; taskChannel: string } | undefined;
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

  /**
   * Open bug reports that look like the new one (its title and what happened), up to three, best
   * first: candidates from the cases' full-text search and the newest open reports, ranked by the
   * KB's search and kept when close enough ({@link SIMILARITY}).
   */
  async similarOpenBugs(form: BugForm): Promise<SimilarReport[]> {
    const { kb, db } = this.deps;
    if (!kb) return [];
    const question = `${form.title}\n${form.whatHappened}`;
    const words = [
      ...new Set(
        tokenize(question)
          .filter((token) => !token.stop && token.word.length > 2)
          .map((token) => token.word),
      ),
    ];
    const candidates = await similarCandidates(db, words, SIMILARITY);
    const ranked = await kb.rankTexts(
      question,
      candidates.map((candidate) => ({
        id: String(candidate.number),
        title: candidate.subject,
        body: candidate.text,
      })),
      SIMILARITY.shown * 2,
    );
    const byNumber = new Map(candidates.map((candidate) => [String(candidate.number), candidate]));
    return ranked
      .filter((hit) => hit.coverage >= SIMILARITY.minCoverage && hit.naming >= SIMILARITY.minNaming)
      .slice(0, SIMILARITY.shown)
      .flatMap((hit) => {
        const found = byNumber.get(hit.id);
        return found ? [{ caseNumber: found.number, subject: found.subject, url: found.url }] : [];
      });
  }

  /**
   * "Add me to #12": the member is counted as a reporter of that open bug report (once) instead of
   * filing theirs. Resolves the case's count, and whether they were counted already.
   */
  async joinReport(
    caseNumber: number,
    user: DiscordUser,
    locale: string | null,
  ): Promise<{ case: Case; added: boolean; reports: number }> {
    await upsertMember(this.deps.db, user, locale);
    return this.deps.cases.addReporter(caseNumber, { kind: 'member', id: user.id, name: user.displayName });
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
      const { triage } = this.deps;
      if (triage)
        await outbox.enqueue(tx, {
          key: `case:${caseNumber}:triage-task`,
          kind: 'twilio.triage-task',
          payload: { caseNumber, ...triage },
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
