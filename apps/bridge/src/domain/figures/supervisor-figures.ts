import type { AgentFigures, FiguresDay, SupervisorFigures } from '@flexcord/contracts';
import type { Database } from '../../infrastructure/db/database.ts';
import {
  agentChats,
  type BotChatEnding,
  botChatEndings,
  firstResponseSamples,
  openCaseCounts,
  resolutionSamples,
  surveyRatings,
} from '../../infrastructure/db/figures-repository.ts';
import { iso } from '../../infrastructure/db/rows.ts';
import { agentNameFromIdentity, normalizeAgentIdentity } from '../chat/agent-identity.ts';
import type { KbService } from '../kb/kb-service.ts';

/** The most asked unanswered questions a supervisor sees (the KB owner's report has them all). */
const TOP_GAPS = 5;
/** Enough groups of unanswered questions to count them all in any window. */
const ALL_GAPS = 10_000;

/** Without "This helped", an answer counts as a resolution once this long passed with no follow-up. */
export const ASSUMED_RESOLUTION_HOURS = 24;
/** A resolved case whose member opens a case of the same type within this long was not resolved. */
export const REOPENED_WITHIN_HOURS = 72;
const HOUR_MS = 3_600_000;

/** What one chat with the virtual agent came to (docs/case-desk.md, "Resolution by the virtual agent"). */
export type BotChatVerdict = 'handedOver' | 'confirmed' | 'assumed' | 'awaiting' | 'unresolved';

/** One measured duration: which case, when it ended (its day), how long, whose. */
interface Sample {
  caseNumber: number;
  at: Date;
  seconds: number;
  agent: string | null;
}

/**
 * A supervisor's figures from the bridge's own tables, with the definitions the figures view shows
 * (docs/case-desk.md, "Supervisor figures"):
 * - first response: from a chat's handover to the first message an agent wrote in it (one sample
 *   per chat an agent answered);
 * - resolution: from a case's opening to being set to resolved (closed cases — duplicates, spam —
 *   are not resolved);
 * - every count is the length of the list it counts; each figure also per day and per agent;
 * - each chat with the virtual agent gets one verdict (handed over, confirmed, assumed, awaiting,
 *   unresolved: {@link botChatVerdict}); deflection is the chats not handed over;
 * - a resolved case is reopened when its member opens a case of the same type within
 *   {@link REOPENED_WITHIN_HOURS} h.
 * Read on demand (the plugin's view, `/metrics` at each scrape).
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
    const [openCases, handovers, resolved, joined, ratings, botChats, gaps] = await Promise.all([
      openCaseCounts(this.db),
      firstResponseSamples(this.db, since),
      resolutionSamples(this.db, since),
      agentChats(this.db, since),
      surveyRatings(this.db, since),
      botChatEndings(this.db, since),
      this.kb.gaps({ days, limit: ALL_GAPS }),
    ]);
    // Agents by their plain identity → the name they were last seen with (names, never identities).
    const names = new Map(joined.map((chat) => [normalizeAgentIdentity(chat.agentId), chat.agentName]));
    const nameOf = (identity: string) =>
      names.get(normalizeAgentIdentity(identity)) ?? agentNameFromIdentity(identity);
    const firstResponses: Sample[] = handovers.flatMap((chat) =>
      chat.repliedAt && chat.author
        ? [
            {
              caseNumber: chat.caseNumber,
              at: chat.repliedAt,
              seconds: (chat.repliedAt.getTime() - chat.handoverAt.getTime()) / 1000,
              agent: nameOf(chat.author),
            },
          ]
        : [],
    );
    const resolutions: Sample[] = resolved.map((kase) => ({
      caseNumber: kase.caseNumber,
      at: kase.resolvedAt,
      seconds: (kase.resolvedAt.getTime() - kase.createdAt.getTime()) / 1000,
      agent: kase.assignee ? nameOf(kase.assignee) : null,
    }));
    const agentChatList = joined.map((chat) => ({ at: chat.at, agent: chat.agentName }));
    const byScore = [1, 2, 3, 4, 5].map((score) => ratings.filter((r) => r.rating === score).length);
    const verdicts = botChats.map((chat) => botChatVerdict(chat, generatedAt));
    const withVerdict = (verdict: BotChatVerdict) => verdicts.filter((v) => v === verdict).length;
    const handedOver = withVerdict('handedOver');
    const reopened = resolved.filter(
      (kase) =>
        kase.nextOpenedAt &&
        kase.nextOpenedAt.getTime() - kase.resolvedAt.getTime() <= REOPENED_WITHIN_HOURS * HOUR_MS,
    );
    return {
      since: iso(since),
      generatedAt: iso(generatedAt),
      openCases,
      firstResponse: duration(firstResponses),
      resolution: duration(resolutions),
      satisfaction: { ...rating(ratings), byScore },
      deflection: {
        chats: verdicts.length,
        withoutAgent: verdicts.length - handedOver,
        share: shareOf(verdicts.length - handedOver, verdicts.length),
      },
      virtualAgent: {
        chats: verdicts.length,
        handedOver,
        confirmed: withVerdict('confirmed'),
        assumed: withVerdict('assumed'),
        awaiting: withVerdict('awaiting'),
        unresolved: withVerdict('unresolved'),
        resolutionRate: shareOf(withVerdict('confirmed') + withVerdict('assumed'), verdicts.length),
        handoverRate: shareOf(handedOver, verdicts.length),
      },
      reopened: {
        resolved: resolved.length,
        reopened: reopened.length,
        share: shareOf(reopened.length, resolved.length),
        caseNumbers: reopened.map((kase) => kase.caseNumber),
      },
      kbGaps: { unanswered: gaps.gaps.length, top: gaps.gaps.slice(0, TOP_GAPS) },
      trend: daysOf(since, generatedAt).map(
        (day): FiguresDay => ({
          day,
          chats: agentChatList.filter((chat) => dayOf(chat.at) === day).length,
          firstResponse: median(firstResponses.filter((sample) => dayOf(sample.at) === day)),
          resolution: median(resolutions.filter((sample) => dayOf(sample.at) === day)),
          rating: rating(ratings.filter((answer) => dayOf(answer.at) === day)),
        }),
      ),
      agents: [
        ...new Set([
          ...agentChatList.map((chat) => chat.agent),
          ...firstResponses.flatMap((sample) => (sample.agent ? [sample.agent] : [])),
          ...resolutions.flatMap((sample) => (sample.agent ? [sample.agent] : [])),
          ...ratings.flatMap((answer) => (answer.agentName ? [answer.agentName] : [])),
        ]),
      ]
        .sort((a, b) => a.localeCompare(b))
        .map(
          (agent): AgentFigures => ({
            agent,
            chats: agentChatList.filter((chat) => chat.agent === agent).length,
            firstResponse: median(firstResponses.filter((sample) => sample.agent === agent)),
            resolution: median(resolutions.filter((sample) => sample.agent === agent)),
            rating: rating(ratings.filter((answer) => answer.agentName === agent)),
          }),
        ),
    };
  }
}

/**
 * What a chat with the virtual agent came to, as the leading AI helpdesks define a resolution
 * (docs/case-desk.md cites them): after the bot's last answer, the member confirmed it ("This
 * helped"), or left it for {@link ASSUMED_RESOLUTION_HOURS} h without a new question or an agent
 * request. A chat handed to an agent, or whose last question got no article, is no resolution.
 */
export function botChatVerdict(chat: BotChatEnding, now: Date): BotChatVerdict {
  if (chat.handedOver) return 'handedOver';
  if (!chat.answered || chat.feedback === 'agent') return 'unresolved';
  if (chat.feedback === 'helped') return 'confirmed';
  const until = chat.lastAt.getTime() + ASSUMED_RESOLUTION_HOURS * HOUR_MS;
  const cameBack = [chat.nextQuestionAt, chat.nextAgentRequestAt].some(
    (at) => at !== null && at.getTime() <= until,
  );
  if (cameBack) return 'unresolved';
  return now.getTime() >= until ? 'assumed' : 'awaiting';
}

/** `part` of `whole` to 4 decimals; null when there is no whole to take it over. */
function shareOf(part: number, whole: number): number | null {
  return whole ? Number((part / whole).toFixed(4)) : null;
}

/** The median of the samples' durations in whole seconds (null: none), over how many. */
function median(samples: readonly Sample[]): { medianSeconds: number | null; samples: number } {
  const sorted = samples.map((sample) => sample.seconds).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const value = !sorted.length
    ? null
    : sorted.length % 2
      ? sorted[Math.floor(middle)]!
      : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { medianSeconds: value === null ? null : Math.max(0, Math.round(value)), samples: sorted.length };
}

function duration(samples: readonly Sample[]) {
  return { ...median(samples), caseNumbers: samples.map((sample) => sample.caseNumber) };
}

function rating(answers: readonly { rating: number }[]): { average: number | null; responses: number } {
  const total = answers.reduce((sum, answer) => sum + answer.rating, 0);
  return {
    average: answers.length ? Number((total / answers.length).toFixed(2)) : null,
    responses: answers.length,
  };
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Every UTC day from `since`'s to `until`'s, oldest first. */
function daysOf(since: Date, until: Date): string[] {
  const days: string[] = [];
  for (let at = Date.parse(dayOf(since)); at <= until.getTime(); at += 86_400_000)
    days.push(dayOf(new Date(at)));
  return days;
}

/** The per-day trend and the per-agent table as CSV (RFC 4180: quoted where needed, CRLF). */
export function figuresCsv(figures: SupervisorFigures): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const row = (values: (string | number | null)[]) => values.map(cell).join(',');
  const head = [
    'chats',
    'first_response_median_seconds',
    'first_responses',
    'resolution_median_seconds',
    'resolved',
    'rating_average',
    'ratings',
  ];
  const figuresOf = (entry: FiguresDay | AgentFigures) => [
    entry.chats,
    entry.firstResponse.medianSeconds,
    entry.firstResponse.samples,
    entry.resolution.medianSeconds,
    entry.resolution.samples,
    entry.rating.average,
    entry.rating.responses,
  ];
  return [
    row(['scope', 'day_or_agent', ...head]),
    ...figures.trend.map((day) => row(['day', day.day, ...figuresOf(day)])),
    ...figures.agents.map((agent) => row(['agent', agent.agent, ...figuresOf(agent)])),
    row([
      'total',
      `${figures.since.slice(0, 10)}..${figures.generatedAt.slice(0, 10)}`,
      figures.trend.reduce((sum, day) => sum + day.chats, 0),
      figures.firstResponse.medianSeconds,
      figures.firstResponse.samples,
      figures.resolution.medianSeconds,
      figures.resolution.samples,
      figures.satisfaction.average,
      figures.satisfaction.responses,
    ]),
  ]
    .map((line) => `${line}\r\n`)
    .join('');
}
