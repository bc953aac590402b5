import { z } from 'zod';
import { CasePrioritySchema, CaseSchema, CaseStatusSchema, CaseTypeSchema } from './cases.ts';
import { snowflake } from './json-string.ts';

/**
 * The case desk: every case, listed, filtered and searched from the plugin's Cases view.
 * `GET /api/cases?…` with any of the filters below (a lone `conversationSid` or `memberId` keeps
 * answering the plain list of `ListCasesQuerySchema`).
 */

/** How the list is ordered: last change first (default), newest, oldest, priority, votes. */
export const CaseSortSchema = z.enum(['updated', 'newest', 'oldest', 'priority', 'votes']);
export type CaseSort = z.infer<typeof CaseSortSchema>;

/** A repeated or comma-separated query value (`?status=open&status=pending` or `?status=open,pending`). */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value]).flatMap((part) =>
            typeof part === 'string' ? part.split(',').filter(Boolean) : [part],
          ),
    z.array(item).max(10).optional(),
  );

export const CASE_PAGE_SIZE_MAX = 100;

export const CaseSearchQuerySchema = z
  .object({
    /** Words to find in the subject, the report's fields and the notes (every word, any order, prefixes). */
    q: z.string().trim().max(200).optional(),
    type: many(CaseTypeSchema),
    status: many(CaseStatusSchema),
    priority: many(CasePrioritySchema),
    /** `me` (the calling agent), `none` (unassigned) or an agent identity. */
    assignee: z.string().trim().min(1).max(200).optional(),
    memberId: snowflake('a Discord user id').optional(),
    /** Opened at least this many days ago. */
    olderThanDays: z.coerce.number().int().min(0).max(3650).optional(),
    /** Opened at most this many days ago. */
    newerThanDays: z.coerce.number().int().min(0).max(3650).optional(),
    sort: CaseSortSchema.default('updated'),
    limit: z.coerce.number().int().min(1).max(CASE_PAGE_SIZE_MAX).default(25),
    /** The `nextCursor` of the previous page. */
    cursor: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a nextCursor from an earlier page')
      .optional(),
  })
  .strict();
export type CaseSearchQuery = z.infer<typeof CaseSearchQuerySchema>;
/** The query as a client writes it (defaults not yet applied). */
export type CaseSearchInput = z.input<typeof CaseSearchQuerySchema>;

/** One page of the case desk. */
export const CaseSearchResponseSchema = z.object({
  cases: z.array(CaseSchema),
  /** Where the next page starts; null on the last page. */
  nextCursor: z.string().nullable(),
  /**
   * How many cases match, counted up to `CASE_COUNT_CAP` (`totalCapped` then). Null when not
   * counted: on later pages (the first page's count holds), and for a search with more than one
   * page (counting every case that has a common word costs more than finding the page).
   */
  total: z.number().int().min(0).nullable(),
  totalCapped: z.boolean(),
});
export type CaseSearchResponse = z.infer<typeof CaseSearchResponseSchema>;

export const CASE_COUNT_CAP = 1_000;

/** `POST /api/cases/:number/replies`: an official answer in the report's public thread (mentions disabled). */
export const OfficialReplyRequestSchema = z.object({ body: z.string().trim().min(1).max(1800) }).strict();
export type OfficialReplyRequest = z.infer<typeof OfficialReplyRequestSchema>;

/**
 * `POST /api/cases/:number/duplicate` `{ of }`: marks the case a duplicate of case `of` (same type,
 * a bug report or a feature request). The duplicate is closed, its post gets a link to `of` and is
 * closed, both reporters are told, and its reporters and votes are counted on `of`. Answers the
 * original's detail. Refused with a reason: `case_not_found` (404), `self_duplicate`,
 * `not_a_report`, `different_type` (400), `already_duplicate`, `duplicate_cycle`,
 * `target_is_duplicate` (409).
 */
export const MarkDuplicateRequestSchema = z
  .object({ of: z.coerce.number().int().positive().max(2_147_483_647) })
  .strict();
export type MarkDuplicateRequest = z.infer<typeof MarkDuplicateRequestSchema>;

/**
 * The attributes of a triage task (`TRIAGE_ROUTING=task`): a new bug report or feature request as a
 * TaskRouter task on its own channel and queue. `caseNumber` is what the plugin's case panel opens.
 */
export const CaseTriageTaskAttributesSchema = z.object({
  type: z.literal('case_triage'),
  /** What Flex shows as the task's title: `#12 Game crashes on load`. */
  name: z.string(),
  caseNumber: z.number().int().positive(),
  caseType: CaseTypeSchema,
  subject: z.string(),
  priority: CasePrioritySchema,
  memberId: z.string(),
  memberName: z.string(),
  /** The report's public post, when it exists already. */
  url: z.string().nullable(),
});
export type CaseTriageTaskAttributes = z.infer<typeof CaseTriageTaskAttributesSchema>;
