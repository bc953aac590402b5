import { z } from 'zod';
import { twilioSid } from './json-string.ts';

/**
 * A chat's transcript as the case keeps it: every message of the chat's Conversation (member, the
 * virtual agent, agents, the bridge's notices) and the chat's lifecycle notices from the case
 * timeline, oldest first. Files are listed by name, with a link while one can be made.
 */
export const TranscriptFileSchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  /** Where the file can be fetched (the bridge's signed link, valid a while); null when it cannot. */
  url: z.string().nullable(),
});
export type TranscriptFile = z.infer<typeof TranscriptFileSchema>;

export const TranscriptLineSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  author: z.object({ kind: z.enum(['member', 'bot', 'agent', 'system']), name: z.string() }),
  body: z.string(),
  files: z.array(TranscriptFileSchema),
  /** When its author last edited it (`body` is the edited text); absent when never edited. */
  editedAt: z.iso.datetime({ offset: true }).optional(),
});
export type TranscriptLine = z.infer<typeof TranscriptLineSchema>;

/** One chat of a member: when, with whom, how it was rated. */
export const ChatSummarySchema = z.object({
  conversationSid: z.string(),
  caseNumber: z.number().int().positive().nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }),
  /** The agents who took part, in the order they joined. */
  agents: z.array(z.string()),
  messages: z.number().int().min(0),
  /** The member's satisfaction answer (1–5), null when not (yet) given. */
  rating: z.number().int().min(1).max(5).nullable(),
  comment: z.string().nullable(),
});
export type ChatSummary = z.infer<typeof ChatSummarySchema>;

export const ChatTranscriptSchema = ChatSummarySchema.extend({ lines: z.array(TranscriptLineSchema) });
export type ChatTranscript = z.infer<typeof ChatTranscriptSchema>;

/** `GET /api/cases/:number/transcript?format=md|html|json&conversationSid=CH…` (default every chat, Markdown). */
export const TranscriptQuerySchema = z.object({
  format: z.enum(['md', 'html', 'json']).default('md'),
  conversationSid: twilioSid('CH').optional(),
});
export type TranscriptQuery = z.infer<typeof TranscriptQuerySchema>;

export const TranscriptResponseSchema = z.object({
  caseNumber: z.number().int().positive(),
  chats: z.array(ChatTranscriptSchema),
});
export type TranscriptResponse = z.infer<typeof TranscriptResponseSchema>;
