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
  })
  .strict();
export type FiguresQuery = z.infer<typeof FiguresQuerySchema>;

/** A median over the window, with how many cases it was taken over (null: none). */
const DurationSchema = z.object({
  medianSeconds: z.number().nonnegative().nullable(),
  samples: z.number().int().nonnegative(),
});

export const SupervisorFiguresSchema = z.object({
  since: z.iso.datetime({ offset: true }),
  generatedAt: z.iso.datetime({ offset: true }),
  /** Cases not resolved or closed, whenever they were opened, by type and status. */
  openCases: z.array(
    z.object({ type: CaseTypeSchema, status: CaseStatusSchema, count: z.number().int().nonnegative() }),
  ),
  /** From a case's opening to the first thing an agent did on it (joined the chat, replied, changed it). */
  firstResponse: DurationSchema,
  /** From a case's opening to its resolution, for the cases resolved in the window. */
  resolution: DurationSchema,
  /** The satisfaction survey's answers in the window (1–5). */
  satisfaction: z.object({
    average: z.number().min(1).max(5).nullable(),
    responses: z.number().int().nonnegative(),
    /** How many answers gave each score, 1 to 5. */
    byScore: z.array(z.number().int().nonnegative()).length(5),
  }),
  /** Chats where the member asked the virtual agent something, and how many of them ended without an agent. */
  deflection: z.object({
    chats: z.number().int().nonnegative(),
    withoutAgent: z.number().int().nonnegative(),
    share: z.number().min(0).max(1).nullable(),
  }),
  /** What the virtual agent could not answer: the questions asked most, from the KB's gaps report. */
  kbGaps: z.object({
    unanswered: z.number().int().nonnegative(),
    top: z.array(KbGapSchema).max(5),
  }),
});
export type SupervisorFigures = z.infer<typeof SupervisorFiguresSchema>;

export const FiguresResponseSchema = z.object({ figures: SupervisorFiguresSchema });
export type FiguresResponse = z.infer<typeof FiguresResponseSchema>;
