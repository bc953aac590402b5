import type { Database } from '../../infrastructure/db/database.ts';
import { purgeCasesBefore, unlinkFilesBefore } from '../../infrastructure/db/retention-repository.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import type { ChatTranscripts } from '../chat/chat-transcripts.ts';
import type { PrivacyService } from './privacy-service.ts';

export interface RetentionDeps {
  db: Database;
  logger: Logger;
  transcripts: Pick<ChatTranscripts, 'purge'>;
  privacy: Pick<PrivacyService, 'purgeExports'>;
  /** Days a resolved or closed case is kept after its last change; 0 keeps them forever. */
  caseRetentionDays: number;
  /** Days a chat's files stay linked from its transcript; 0 as long as the transcript. */
  fileRetentionDays: number;
  intervalMs: number;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/**
 * The retention job: every interval, transcripts past `TRANSCRIPT_RETENTION_DAYS`, cases past
 * `CASE_RETENTION_DAYS`, file links past `FILE_RETENTION_DAYS` and members' export files older
 * than a day are purged. Every instance may run it; each purge is idempotent.
 */
export class Retention {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: RetentionDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.purge().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'retention purge failed, will retry'),
      );
    };
    run();
    this.timer = setInterval(run, this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; how many of each were purged. */
  async purge(): Promise<{ transcripts: number; cases: number; fileLinks: number; exports: number }> {
    const { db, caseRetentionDays, fileRetentionDays } = this.deps;
    const at = this.now().getTime();
    const transcripts = await this.deps.transcripts.purge();
    const cases =
      caseRetentionDays > 0
        ? await db.transaction((tx) => purgeCasesBefore(tx, new Date(at - caseRetentionDays * DAY_MS)))
        : 0;
    const fileLinks =
      fileRetentionDays > 0 ? await unlinkFilesBefore(db, new Date(at - fileRetentionDays * DAY_MS)) : 0;
    const exports = await this.deps.privacy.purgeExports();
    if (cases || fileLinks || exports)
      this.deps.logger.info({ cases, fileLinks, exports }, 'purged past their retention');
    return { transcripts, cases, fileLinks, exports };
  }
}
