import { createHmac, randomInt } from 'node:crypto';
import type { PrivacyRequest, PrivacySummary } from '@flexcord/contracts';
import { latestConversationOfMember } from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Tx } from '../../infrastructure/db/database.ts';
import {
  eraseMemberRows,
  hasOpenChat,
  namesOfMember,
} from '../../infrastructure/db/member-erasure-repository.ts';
import {
  countPrivacyRequests,
  insertExportFile,
  insertPrivacyRequest,
  listPrivacyRequests,
  type MemberData,
  purgeExportFiles,
  readMemberData,
} from '../../infrastructure/db/privacy-repository.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { ConflictError, DomainError } from '../../infrastructure/util/domain-errors.ts';
import type { CaseService } from '../cases/case-service.ts';
import { t } from '../i18n/messages.ts';

export type PrivacyKind = 'export' | 'delete';

/** Who asked: the member on Discord, or an admin through the plugin API (a request by e-mail). */
export type PrivacyRequester = { source: 'discord' } | { source: 'plugin-api'; admin: string };

/** The member asked for this too often: allowed again in `retryAfterSeconds`. */
export class PrivacyRateLimitedError extends DomainError {
  constructor(
    readonly request: PrivacyKind,
    readonly retryAfterSeconds: number,
  ) {
    super(
      'rate_limited',
      'privacy_rate_limited',
      `a ${request} was asked for this member recently; try again in ${Math.ceil(retryAfterSeconds / 3600)} h`,
    );
  }
}

/** An erasure waits until the member's chat has ended (its lines are still being written). */
export class ChatStillOpenError extends ConflictError {
  constructor() {
    super('chat_open', "the member's chat is still open; erase their data once it has ended");
  }
}

export interface PrivacyServiceDeps {
  db: Database;
  outbox: Outbox;
  cases: CaseService;
  /** The key the members' ids are hashed with in the request log (a secret of the bridge). */
  hashKey: string;
  /** Requests of each kind one member may make per window. */
  requestsPerWindow: number;
  windowHours: number;
  now?: () => Date;
}

const FLEXCORD = { kind: 'system', id: 'flexcord', name: 'Flexcord' } as const;

/** The export file's format version: what a reader of old exports checks. */
const EXPORT_FORMAT = 'flexcord-member-export/1';

/**
 * Members' data rights (GDPR articles 15 and 17), asked on Discord (`/privacy`) or by an admin
 * for a request that came by e-mail: an export of everything kept about the member, sent to them
 * on Discord through the outbox; an erasure that removes their name and their words while their
 * cases, counts and figures stay, anonymised. Both are rate-limited per member and logged in
 * `privacy_requests` without personal data.
 */
export class PrivacyService {
  private readonly now: () => Date;

  constructor(private readonly deps: PrivacyServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Everything kept about the member, as a file. With `send`, the file is also sent to the member
   * through the outbox, where their last chat was (their DM, or their private thread when their
   * DMs are closed), else in a DM.
   */
  async export(
    memberId: string,
    requester: PrivacyRequester,
    options: { send?: boolean; locale?: string | null } = {},
  ): Promise<{ filename: string; body: string; summary: PrivacySummary }> {
    return this.deps.db.transaction(async (tx) => {
      await this.assertAllowed(tx, memberId, 'export');
      const data = await readMemberData(tx, memberId);
      const at = this.now();
      const body = `${JSON.stringify(exportDocument(memberId, data, at), null, 2)}\n`;
      const filename = exportFilename(at);
      const summary = summaryOf(data);
      if (options.send) {
        const exportId = await insertExportFile(tx, { memberId, filename, body });
        const chat = await latestConversationOfMember(tx, memberId);
        const target = chat?.dm_channel_id ? { channelId: chat.dm_channel_id } : { userId: memberId };
        await this.deps.outbox.enqueue(tx, {
          kind: 'discord.message',
          key: `privacy:export:${exportId}`,
          payload: {
            ...target,
            content: t(options.locale, 'privacy.exportFile'),
            media: [{ source: 'export', exportId, filename, contentType: 'application/json' }],
          },
        });
      }
      await this.log(tx, memberId, 'export', requester, summary);
      return { filename, body, summary };
    });
  }

  /**
   * Erases the member's personal data: their name is gone from their cases, the transcripts and
   * the figures' lists, what they wrote is erased, and their cases, votes, reports and survey
   * ratings stay, counted, under a placeholder member. Each case's timeline records the erasure
   * (no personal data). Refused while their chat is open ({@link ChatStillOpenError}).
   */
  async erase(
    memberId: string,
    requester: PrivacyRequester,
  ): Promise<{ erased: boolean; summary: PrivacySummary }> {
    return this.deps.db.transaction(async (tx) => {
      await this.assertAllowed(tx, memberId, 'delete');
      if (await hasOpenChat(tx, memberId)) throw new ChatStillOpenError();
      const exists = await tx.query('SELECT 1 FROM members WHERE discord_user_id = $1', [memberId]);
      if (!exists.rows.length) {
        await this.log(tx, memberId, 'delete', requester, {});
        return { erased: false, summary: {} };
      }
      const names = await namesOfMember(tx, memberId);
      const erasedName = t(null, 'privacy.erasedName');
      const text = nameRemover(names, erasedName);
      const json = (value: unknown): unknown => mapStrings(value, text);
      const { caseNumbers, counts: summary } = await eraseMemberRows(tx, memberId, erasedMemberId(), {
        text,
        json,
        erasedName,
        erasedMessage: t(null, 'privacy.erasedMessage'),
      });
      // The supervisor's record of it, on each case: that it happened, nothing about whom.
      for (const number of caseNumbers)
        await this.deps.cases.record(tx, number, 'member_data_erased', FLEXCORD, {});
      await this.log(tx, memberId, 'delete', requester, summary);
      return { erased: true, summary };
    });
  }

  /** The request log, newest first (no names, no ids): what supervisors read. */
  requests(limit = 200): Promise<PrivacyRequest[]> {
    return listPrivacyRequests(this.deps.db, limit);
  }

  /** Deletes export files older than a day (delivered, or given up on); how many. */
  purgeExports(): Promise<number> {
    return purgeExportFiles(this.deps.db, new Date(this.now().getTime() - 86_400_000));
  }

  /** Throws {@link PrivacyRateLimitedError} when the member already made their requests of the window. */
  private async assertAllowed(tx: Tx, memberId: string, kind: PrivacyKind): Promise<void> {
    const windowMs = this.deps.windowHours * 3_600_000;
    const since = new Date(this.now().getTime() - windowMs);
    const made = await countPrivacyRequests(tx, this.hash(memberId), kind, since);
    if (made.count < this.deps.requestsPerWindow) return;
    const freeAt = (made.oldest ? new Date(made.oldest).getTime() : this.now().getTime()) + windowMs;
    throw new PrivacyRateLimitedError(kind, Math.max(1, Math.ceil((freeAt - this.now().getTime()) / 1000)));
  }

  private async log(
    tx: Tx,
    memberId: string,
    kind: PrivacyKind,
    requester: PrivacyRequester,
    summary: PrivacySummary,
  ): Promise<void> {
    await insertPrivacyRequest(tx, {
      kind,
      memberHash: this.hash(memberId),
      source: requester.source,
      requestedBy: requester.source === 'discord' ? 'member' : requester.admin,
      summary,
    });
  }

  private hash(memberId: string): string {
    return createHmac('sha256', this.deps.hashKey).update(`member:${memberId}`).digest('hex');
  }
}

/** A placeholder member's id: snowflake-shaped (the contracts' `DiscordUser`), and no real one (`0000…`). */
function erasedMemberId(): string {
  return `0000${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;
}

/**
 * The export's file name, which the member reads in Discord: ASCII only, with neither their name nor
 * their Discord id in it (the file itself says whose it is).
 */
export function exportFilename(at: Date): string {
  return `flexcord-data-${at.toISOString().slice(0, 10)}.json`;
}

/** The export file: what each section is, then the rows, in the member's own words. */
function exportDocument(memberId: string, data: MemberData, at: Date) {
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  return {
    format: EXPORT_FORMAT,
    exportedAt: at.toISOString(),
    discordUserId: memberId,
    profile: plain(data.member),
    cases: plain(
      data.cases.map((kase) => ({
        ...kase,
        timeline: data.timeline.filter((event) => event.case_number === kase.number),
      })),
    ),
    transcripts: plain(
      data.transcripts.map((transcript) => ({
        ...transcript,
        // The member's copy: the bridge's notes for the agents are not the member's data.
        lines: (transcript.lines as { audience?: string }[]).filter((line) => line.audience !== 'agents'),
      })),
    ),
    chatsNotYetKept: plain(data.openChatLines),
    surveyAnswers: plain(data.surveys),
    votes: plain(data.votes),
    reportsJoined: plain(data.reportsJoined),
    questionsToTheAssistant: plain(data.questions),
  };
}

function summaryOf(data: MemberData): PrivacySummary {
  return {
    cases: data.cases.length,
    transcripts: data.transcripts.length,
    surveys: data.surveys.length,
    votes: data.votes.length,
    reports: data.reportsJoined.length + data.cases.filter((kase) => kase.type !== 'support').length,
    questions: data.questions.length,
  };
}

/** Replaces each of the names, whole words in any case and script, longest first. */
export function nameRemover(names: readonly string[], replacement: string): (text: string) => string {
  const distinct = [...new Set(names.map((name) => name.trim()).filter((name) => name.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  if (!distinct.length) return (text) => text;
  const escaped = distinct.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  return (text) => text.replace(pattern, replacement);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  return value;
}
