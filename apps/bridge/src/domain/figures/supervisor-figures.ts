import type { SupervisorFigures } from '@flexcord/contracts';
import type { Database } from '../../infrastructure/db/database.ts';
import {
  botChats,
  firstResponseMedian,
  openCaseCounts,
  resolutionMedian,
  satisfactionScores,
} from '../../infrastructure/db/figures-repository.ts';
import { iso } from '../../infrastructure/db/rows.ts';
import type { KbService } from '../kb/kb-service.ts';

/** The most asked unanswered questions a supervisor sees (the KB owner's report has them all). */
const TOP_GAPS = 5;

/**
 * A supervisor's figures from the bridge's own tables: open cases, first response and resolution
 * medians, the satisfaction survey, the virtual agent's share of chats that needed no agent, and
 * what it could not answer. Read on demand (the plugin's view, `/metrics` at each scrape).
 */
export class SupervisorFiguresService {
  constructor(
    private readonly db: Database,
    private readonly kb: Pick<KbService, 'gaps'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async figures(days: number): Promise<SupervisorFigures> {
    const generatedAt = this.now();
    const since = new Date(generatedAt.getTime() - days * 86_400_000);
    const [openCases, firstResponse, resolution, scores, chats, gaps] = await Promise.all([
      openCaseCounts(this.db),
      firstResponseMedian(this.db, since),
      resolutionMedian(this.db, since),
      satisfactionScores(this.db, since),
      botChats(this.db, since),
      this.kb.gaps({ days, limit: TOP_GAPS }),
    ]);
    const responses = scores.reduce((sum, count) => sum + count, 0);
    const total = scores.reduce((sum, count, index) => sum + count * (index + 1), 0);
    return {
      since: iso(since),
      generatedAt: iso(generatedAt),
      openCases,
      firstResponse,
      resolution,
      satisfaction: {
        average: responses ? Number((total / responses).toFixed(2)) : null,
        responses,
        byScore: scores,
      },
      deflection: {
        ...chats,
        share: chats.chats ? Number((chats.withoutAgent / chats.chats).toFixed(4)) : null,
      },
      kbGaps: { unanswered: gaps.questions.unsure, top: gaps.gaps.slice(0, TOP_GAPS) },
    };
  }
}
