import { z } from 'zod';
import {
  CaseEventSchema,
  CasePrioritySchema,
  CaseSchema,
  CaseStageSchema,
  CaseStatusSchema,
} from './cases.ts';
import { DiscordUserSchema } from './discord-context.ts';
import { snowflake, twilioSid } from './json-string.ts';
import { KbArticleSchema, KbGapsReportSchema, KbLearnedPhrasingSchema, KbSearchHitSchema } from './kb.ts';
import { ChatSummarySchema } from './transcripts.ts';

/**
 * The bridge's HTTP API for the Flex plugin, under `/api`, every call with the agent's Flex token in
 * `Authorization: Bearer`. Request schemas parse what the bridge receives; response schemas parse
 * what the plugin receives.
 */

/** Error body of every 4xx/5xx answer of the API. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** `GET /api/cases?conversationSid=CH…` or `?memberId=<discord id>` (one of them). */
export const ListCasesQuerySchema = z
  .object({
    conversationSid: twilioSid('CH').optional(),
    memberId: snowflake('a Discord user id').optional(),
  })
  .refine((query) => Boolean(query.conversationSid) !== Boolean(query.memberId), {
    message: 'give exactly one of conversationSid or memberId',
  });
export type ListCasesQuery = z.infer<typeof ListCasesQuerySchema>;

export const CaseListResponseSchema = z.object({ cases: z.array(CaseSchema) });
export type CaseListResponse = z.infer<typeof CaseListResponseSchema>;

/** The member as an agent sees them in the case panel. */
export const MemberProfileSchema = DiscordUserSchema.extend({
  memberSince: z.iso.datetime({ offset: true }),
  otherCases: z.array(
    CaseSchema.pick({ number: true, type: true, status: true, subject: true, updatedAt: true }),
  ),
  /** The member's kept chats, newest first (this case's and earlier ones), with their survey answers. */
  chats: z.array(ChatSummarySchema).optional(),
});
export type MemberProfile = z.infer<typeof MemberProfileSchema>;

/** `GET /api/cases/:number`: the case, its whole timeline (internal notes included) and the member. */
export const CaseDetailResponseSchema = z.object({
  case: CaseSchema,
  timeline: z.array(CaseEventSchema),
  member: MemberProfileSchema,
  /** The assignee as a person reads them (the name the timeline knows them by), never their identity. */
  assigneeName: z.string().nullable().optional(),
  /** The agent asking: their plain identity (compare with `case.assignee`) and their name. */
  viewer: z.object({ id: z.string(), name: z.string() }).optional(),
});
export type CaseDetailResponse = z.infer<typeof CaseDetailResponseSchema>;

/** `PATCH /api/cases/:number`. `assignee: "me"` assigns to the calling agent, `null` unassigns. */
export const UpdateCaseRequestSchema = z
  .object({
    status: CaseStatusSchema.optional(),
    /** Bug reports and feature requests only: sets the status too (see `CASE_STAGE_STATUS`). */
    stage: CaseStageSchema.optional(),
    priority: CasePrioritySchema.optional(),
    assignee: z.union([z.literal('me'), z.null()]).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to update' });
export type UpdateCaseRequest = z.infer<typeof UpdateCaseRequestSchema>;

/** `POST /api/cases/:number/notes`: an internal note, never shown to the member. */
export const AddNoteRequestSchema = z.object({ body: z.string().trim().min(1).max(4000) }).strict();
export type AddNoteRequest = z.infer<typeof AddNoteRequestSchema>;

/** `GET /api/kb/search?q=…&limit=…`. */
export const KbSearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'q is required').max(200),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuerySchema>;

/**
 * The articles for an agent's look-up, chosen as the bot's answer would be: `answer` (the one
 * article the bot is sure of), `candidates` (the 2–3 it would offer) or `unsure` (only articles
 * near the first); `confidence` is the chance the first is right (0–1). A bridge from before
 * sends `results` alone.
 */
export const KbSearchResponseSchema = z.object({
  results: z.array(KbSearchHitSchema),
  outcome: z.enum(['answer', 'candidates', 'unsure']).optional(),
  confidence: z.number().min(0).max(1).optional(),
});
export type KbSearchResponse = z.infer<typeof KbSearchResponseSchema>;

/** `GET /api/kb/gaps?days=…&limit=…`: the KB gaps report over the last `days` days. */
export const KbGapsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type KbGapsQuery = z.infer<typeof KbGapsQuerySchema>;

export const KbGapsResponseSchema = z.object({ report: KbGapsReportSchema });
export type KbGapsResponse = z.infer<typeof KbGapsResponseSchema>;

/**
 * `POST /api/kb/gaps/phrasings` (any agent): the agent answered the chat's last question with this
 * article (the KB button) or marked it as the answer. When the bot had missed that question, the
 * pair is proposed as a learned phrasing for a supervisor to decide.
 */
export const ProposePhrasingRequestSchema = z.object({
  conversationSid: z.string().regex(/^CH[0-9a-fA-F]{32}$/, 'must be a Conversation SID (CH…)'),
  slug: z.string().trim().min(1).max(200),
  source: z.enum(['kb_button', 'marked']).default('kb_button'),
});
export type ProposePhrasingRequest = z.infer<typeof ProposePhrasingRequestSchema>;

/** What a proposal did: `proposed` (a new or repeated pair), or why nothing was recorded. */
export const ProposePhrasingResponseSchema = z.object({
  outcome: z.enum(['proposed', 'bot_answered', 'no_question']),
  phrasing: KbLearnedPhrasingSchema.nullable(),
});
export type ProposePhrasingResponse = z.infer<typeof ProposePhrasingResponseSchema>;

/** `POST /api/kb/gaps/phrasings/:id` (supervisors): approve, reject, or reassign to another article (and approve). */
export const DecidePhrasingRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('reject') }),
  z.object({ action: z.literal('reassign'), slug: z.string().trim().min(1).max(200) }),
]);
export type DecidePhrasingRequest = z.infer<typeof DecidePhrasingRequestSchema>;

export const DecidePhrasingResponseSchema = z.object({ phrasing: KbLearnedPhrasingSchema });
export type DecidePhrasingResponse = z.infer<typeof DecidePhrasingResponseSchema>;

/** `GET /api/kb/articles/:slug`. */
export const KbArticleResponseSchema = z.object({ article: KbArticleSchema });
export type KbArticleResponse = z.infer<typeof KbArticleResponseSchema>;

/**
 * Twilio IAM's answer to `POST /v1/Accounts/{AC}/Tokens/validate`, used by the bridge to check a
 * Flex token.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/add-components-flex-ui (token validation)
 */
export const FlexTokenValidationSchema = z.object({
  valid: z.boolean(),
  code: z.number().optional(),
  message: z.string().nullable().optional(),
  expiration: z.string().nullable().optional(),
  realm_user_id: z.string().nullable().optional(),
  identity: z.string().nullable().optional(),
  roles: z.array(z.string()).nullable().optional(),
  worker_sid: z.string().nullable().optional(),
});
export type FlexTokenValidation = z.infer<typeof FlexTokenValidationSchema>;
