import { z } from 'zod';
import { CaseStatusSchema, CaseTypeSchema } from './cases.ts';
import { KbGapSchema } from './kb.ts';

/**
 * A supervisor's figures, from the bridge's own data: `GET /api/figures?days=30` (Flex supervisor
 * or admin role). The same numbers are gauges in `/metrics`.
 */
export const FiguresQuerySchema = z
  .object({
    /** The window the durations, the survey and the virtual agent's share are taken over. */
    days: z.coerce.number().int().min(1).max(365).default(30),
    /** `csv`: the per-day trend and the per-agent table as one CSV file, for a spreadsheet. */
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type FiguresQuery = z.infer<typeof FiguresQuerySchema>;

/**
 * A median over the window (null: no sample), with how many samples it was taken over and which
 * cases they are (`samples` is always the length of `caseNumbers`).
 */
/** A median over the window (null: no sample) and how many samples it was taken over. */
const MedianSchema = z.object({
  medianSeconds: z.number().nonnegative().nullable(),
  samples: z.number().int().nonnegative(),
});

const DurationSchema = MedianSchema.extend({
  caseNumbers: z.array(z.number().int().positive()),
});

/** Survey answers (1–5): their average (null: none) and how many there were. */
const RatingSchema = z.object({
  average: z.number().min(1).max(5).nullable(),
  responses: z.number().int().nonnegative(),
});

/** One day of the window (UTC): each figure over what happened that day. */
export const FiguresDaySchema = z.object({
  day: z.iso.date(),
  /** Chats an agent took that day. */
  chats: z.number().int().nonnegative(),
  firstResponse: MedianSchema,
  resolution: MedianSchema,
  rating: RatingSchema,
});
export type FiguresDay = z.infer<typeof FiguresDaySchema>;

/** One agent's figures over the window, by name. */
export const AgentFiguresSchema = z.object({
  agent: z.string(),
  /** Chats the agent took (joined) in the window. */
  chats: z.number().int().nonnegative(),
  /** Chats where the agent wrote the first message after the handover. */
  firstResponse: MedianSchema,
  /** Cases resolved in the window that the agent has. */
  resolution: MedianSchema,
  /** Survey answers rating the agent's chats. */
  rating: RatingSchema,
});
export type AgentFigures = z.infer<typeof AgentFiguresSchema>;

export const SupervisorFiguresSchema = z.object({
  since: z.iso.datetime({ offset: true }),
  generatedAt: z.iso.datetime({ offset: true }),
  /** Cases not resolved or closed, whenever they were opened, by type and status. */
  openCases: z.array(
    z.object({ type: CaseTypeSchema, status: CaseStatusSchema, count: z.number().int().nonnegative() }),
  ),
  /**
   * From a chat's handover (the member asked for an agent) to the first message an agent wrote in
   * it, over the chats handed over in the window that an agent answered (one sample per chat).
   */
  firstResponse: DurationSchema,
  /**
   * From a case's opening to its resolution, over the cases set to resolved in the window and still
   * resolved; a case closed (a duplicate, spam) is not resolved.
   */
  resolution: DurationSchema,
  /** The satisfaction survey's answers in the window (1–5). */
  satisfaction: RatingSchema.extend({
    /** How many answers gave each score, 1 to 5. */
    byScore: z.array(z.number().int().nonnegative()).length(5),
  }),
  /** Chats where the member asked the virtual agent something, and how many of them ended without an agent. */
  deflection: z.object({
    chats: z.number().int().nonnegative(),
    withoutAgent: z.number().int().nonnegative(),
    share: z.number().min(0).max(1).nullable(),
  }),
  /**
   * What each chat with a question to the virtual agent came to, over the same chats as
   * `deflection` (docs/case-desk.md, "Resolution by the virtual agent"). Every chat gets exactly one
   * verdict, so `chats` = `handedOver` + `confirmed` + `assumed` + `awaiting` + `unresolved`, and
   * `handedOver` = `deflection.chats` − `deflection.withoutAgent`.
   */
  virtualAgent: z.object({
    chats: z.number().int().nonnegative(),
    /** The member asked for an agent in the chat (a case is linked to it). */
    handedOver: z.number().int().nonnegative(),
    /** No agent, and the member pressed "This helped" on the chat's last answer. */
    confirmed: z.number().int().nonnegative(),
    /**
     * No agent, the last question was answered with articles, not confirmed, and for 24 h after it
     * the member asked nothing more and asked for no agent.
     */
    assumed: z.number().int().nonnegative(),
    /** As `assumed`, but the 24 h have not passed yet: no verdict yet. */
    awaiting: z.number().int().nonnegative(),
    /**
     * No agent in the chat, but the last question got no article, the member turned the answer
     * down, or they came back within 24 h with a question or an agent request.
     */
    unresolved: z.number().int().nonnegative(),
    /** (`confirmed` + `assumed`) / `chats`; null with no chats. */
    resolutionRate: z.number().min(0).max(1).nullable(),
    /** `handedOver` / `chats` (= 1 − `deflection.share`); null with no chats. */
    handoverRate: z.number().min(0).max(1).nullable(),
  }),
  /**
   * The resolved cases of `resolution` whose member opened a new case of the same type within 72 h
   * of the resolution (`reopened` is always the length of `caseNumbers`).
   */
  reopened: z.object({
    /** The cases resolved in the window (= `resolution.samples`). */
    resolved: z.number().int().nonnegative(),
    reopened: z.number().int().nonnegative(),
    /** `reopened` / `resolved`; null with no resolved case. */
    share: z.number().min(0).max(1).nullable(),
    /** The resolved cases that were opened again. */
    caseNumbers: z.array(z.number().int().positive()),
  }),
  /** What the virtual agent could not answer: the questions asked most, from the KB's gaps report. */
  kbGaps: z.object({
    unanswered: z.number().int().nonnegative(),
    top: z.array(KbGapSchema).max(5),
  }),
  /** Each day of the window, oldest first. */
  trend: z.array(FiguresDaySchema),
  /** Each agent who took a chat, wrote a first response, has a resolved case or was rated in the window. */
  agents: z.array(AgentFiguresSchema),
});
export type SupervisorFigures = z.infer<typeof SupervisorFiguresSchema>;

export const FiguresResponseSchema = z.object({ figures: SupervisorFiguresSchema });
export type FiguresResponse = z.infer<typeof FiguresResponseSchema>;
