import { z } from 'zod';
import { DiscordUserSchema } from './discord-context.ts';

/** What a case is about: a live-support chat, an official bug report, or a feature request. */
export const CaseTypeSchema = z.enum(['support', 'bug', 'feature']);
export type CaseType = z.infer<typeof CaseTypeSchema>;

/** A case's life: open → pending (waiting on the member) → resolved → closed. */
export const CaseStatusSchema = z.enum(['open', 'pending', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/**
 * Where a bug report or feature request stands for the community (support cases have none). The
 * stage decides the status: `fixed` → resolved, `wont_fix` → closed, the others → open.
 */
export const CaseStageSchema = z.enum(['open', 'investigating', 'planned', 'fixed', 'wont_fix']);
export type CaseStage = z.infer<typeof CaseStageSchema>;

export const CASE_STAGE_STATUS: Record<CaseStage, CaseStatus> = {
  open: 'open',
  investigating: 'open',
  planned: 'open',
  fixed: 'resolved',
  wont_fix: 'closed',
};

export const CasePrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type CasePriority = z.infer<typeof CasePrioritySchema>;

/** Statuses in which a case still "follows" its member: new chats link to it. */
export const OPEN_CASE_STATUSES = ['open', 'pending'] as const satisfies readonly CaseStatus[];

export const BugSeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type BugSeverity = z.infer<typeof BugSeveritySchema>;

export const BugDetailsSchema = z.object({
  kind: z.literal('bug'),
  whatHappened: z.string(),
  steps: z.string(),
  expectedVsActual: z.string(),
  severity: BugSeveritySchema,
  platform: z.string().optional(),
  version: z.string().optional(),
});
export const FeatureDetailsSchema = z.object({
  kind: z.literal('feature'),
  description: z.string(),
  whyItMatters: z.string(),
});
/** A text in both languages members read. */
export const BilingualTextSchema = z.object({ en: z.string(), es: z.string() });
export type BilingualText = z.infer<typeof BilingualTextSchema>;

/**
 * The help topic a member picked in /helpme and the answers of its form, as the case keeps them:
 * both languages' names (so the case reads the same after the brand's topics change).
 */
export const HelpTopicSnapshotSchema = z.object({
  id: z.string(),
  label: BilingualTextSchema,
  emoji: z.string().optional(),
  answers: z.array(z.object({ id: z.string(), label: BilingualTextSchema, value: z.string() })),
});
export type HelpTopicSnapshot = z.infer<typeof HelpTopicSnapshotSchema>;

export const SupportDetailsSchema = z.object({
  kind: z.literal('support'),
  /** What the member said the chat is about (the topic's English label, or /helpme's free text). */
  topic: z.string().optional(),
  /** The configured help topic and its form's answers, when the member picked one. */
  helpTopic: HelpTopicSnapshotSchema.optional(),
});
export const CaseDetailsSchema = z.discriminatedUnion('kind', [
  SupportDetailsSchema,
  BugDetailsSchema,
  FeatureDetailsSchema,
]);
export type CaseDetails = z.infer<typeof CaseDetailsSchema>;

/** Where a bug or feature case was posted publicly in the guild. */
export const PublicPostSchema = z.object({
  channelId: z.string(),
  threadId: z.string().nullable(),
  messageId: z.string(),
  url: z.string(),
  /** What a person reads for it: the forum post's title, or `#channel` for a message in a text channel. */
  name: z.string().optional(),
});
export type PublicPost = z.infer<typeof PublicPostSchema>;

export const CaseSchema = z.object({
  number: z.number().int().positive(),
  type: CaseTypeSchema,
  status: CaseStatusSchema,
  priority: CasePrioritySchema,
  /** A bug's or feature request's stage; null for support cases. */
  stage: CaseStageSchema.nullable().optional(),
  /** Members' +1s (feature requests). */
  votes: z.number().int().min(0).optional(),
  /** How many members reported it: its reporter, those of its duplicates and those who added themselves. */
  reports: z.number().int().min(1).optional(),
  /** The case this one was marked a duplicate of (it is closed, its reporters counted there). */
  duplicateOf: z.number().int().positive().nullable().optional(),
  subject: z.string(),
  member: DiscordUserSchema,
  /** The Flex identity of the agent the case is assigned to. */
  assignee: z.string().nullable(),
  details: CaseDetailsSchema,
  conversationSids: z.array(z.string()),
  publicPost: PublicPostSchema.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type Case = z.infer<typeof CaseSchema>;

export const CaseEventTypeSchema = z.enum([
  'created',
  'handover_requested',
  /** Asked for a person outside the support hours: the request waits (`data`: opensAt). */
  'waiting_for_hours',
  /** The support hours opened: the kept request went to Flex. */
  'routed_at_opening',
  'conversation_linked',
  /** The chat continues in a private thread (the member's DMs are closed). */
  'chat_moved_to_thread',
  'agent_joined',
  'agent_left',
  'conversation_ended',
  'status_changed',
  'priority_changed',
  'assigned',
  'note',
  'public_post',
  /** The agent wrapped up a chat: `{disposition, note?, taskSid?}`. */
  'wrapped_up',
  /** The agent passed the chat on: `{to, taskSid}`. */
  'transferred',
  'stage_changed',
  'official_reply',
  'voted',
  /** This case was marked a duplicate of another: `{of, subject}` (it is closed). */
  'marked_duplicate',
  /** A duplicate was merged into this case: `{duplicate, reports, votes}`. */
  'duplicate_merged',
  /** A member added themselves as a reporter ("Is it one of these?"): `{reports}`. */
  'reporter_added',
  /** A triage task was created for the report (`TRIAGE_ROUTING=task`): `{taskSid}`. */
  'triage_task_created',
  /** A message could not be delivered, for good (`data`: kind, to, reason, excerpt, outboxId). */
  'delivery_failed',
  /** An operator replayed an undelivered message (`data`: kind, outboxId). */
  'delivery_replayed',
  /** The member answered the satisfaction survey of a chat: `{conversationSid, rating, agent}`. */
  'survey_answered',
  /** The member added a comment to their survey answer: `{conversationSid, comment}`. */
  'survey_commented',
  /** The member's personal data was erased at their request (GDPR art. 17): no data. */
  'member_data_erased',
]);
export type CaseEventType = z.infer<typeof CaseEventTypeSchema>;

export const CaseActorSchema = z.object({
  kind: z.enum(['member', 'agent', 'bot', 'system']),
  id: z.string(),
  name: z.string(),
});
export type CaseActor = z.infer<typeof CaseActorSchema>;

/** One entry of a case's timeline. `internal` entries (notes) are never shown to the member. */
export const CaseEventSchema = z.object({
  id: z.number().int().positive(),
  caseNumber: z.number().int().positive(),
  type: CaseEventTypeSchema,
  actor: CaseActorSchema,
  visibility: z.enum(['public', 'internal']),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
});
export type CaseEvent = z.infer<typeof CaseEventSchema>;
