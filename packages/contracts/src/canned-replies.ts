import { z } from 'zod';

/**
 * Canned replies: snippets an agent drops into the reply box (never sent by themselves), shared
 * by the brand (its Markdown files, then supervisors in the plugin) or personal to one agent.
 * Each has an English and/or a Spanish version; the member's language picks one.
 */

/** The variables a canned reply may use, written `{member}`, `{agent}`, `{case}`, `{topic}`. */
export const CANNED_REPLY_VARIABLES = ['member', 'agent', 'case', 'topic'] as const;
export const CannedReplyVariableSchema = z.enum(CANNED_REPLY_VARIABLES);
export type CannedReplyVariable = z.infer<typeof CannedReplyVariableSchema>;

export const CannedReplyLanguageSchema = z.enum(['en', 'es']);
export type CannedReplyLanguage = z.infer<typeof CannedReplyLanguageSchema>;

export const CannedReplyScopeSchema = z.enum(['shared', 'personal']);
export type CannedReplyScope = z.infer<typeof CannedReplyScopeSchema>;

/** A `{name}` token: a word in single braces. Other braces (`{ }`, `{1,2}`) are plain text. */
const VARIABLE_TOKEN = /\{([A-Za-z_][A-Za-z0-9_-]*)\}/g;

/** The `{names}` in `text` that are not variables of a canned reply, each once, in order. */
export function unknownCannedVariables(text: string): string[] {
  const known = new Set<string>(CANNED_REPLY_VARIABLES);
  const unknown = [...text.matchAll(VARIABLE_TOKEN)]
    .map((match) => match[1]!)
    .filter((name) => !known.has(name));
  return [...new Set(unknown)];
}

/** Replaces every `{variable}` of `text` by `value(name)`; a variable without a value stays as written. */
export function replaceCannedVariables(
  text: string,
  value: (name: CannedReplyVariable) => string | null,
): { text: string; missing: CannedReplyVariable[] } {
  const missing = new Set<CannedReplyVariable>();
  const filled = text.replace(VARIABLE_TOKEN, (token, name: string) => {
    const variable = CannedReplyVariableSchema.safeParse(name);
    if (!variable.success) return token;
    const found = value(variable.data);
    if (found === null || found.trim() === '') {
      missing.add(variable.data);
      return token;
    }
    return found;
  });
  return { text: filled, missing: [...missing] };
}

const knownVariablesOnly = (text: string, ctx: z.core.$RefinementCtx<string>) => {
  const unknown = unknownCannedVariables(text);
  if (unknown.length)
    ctx.addIssue({
      code: 'custom',
      message: `unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `{${name}}`).join(', ')}; known: ${CANNED_REPLY_VARIABLES.map((name) => `{${name}}`).join(', ')}`,
    });
};

/** One language's version of a reply: a title to find it by, and the text (Markdown) it inserts. */
export const CannedReplyVersionSchema = z.strictObject({
  title: z.string().trim().min(1, 'a title is required').max(100).superRefine(knownVariablesOnly),
  body: z.string().trim().min(1, 'the text is required').max(4000).superRefine(knownVariablesOnly),
});
export type CannedReplyVersion = z.infer<typeof CannedReplyVersionSchema>;

/**
 * `POST /api/canned-replies/{shared|personal}` and `PUT …/:id` (the whole reply): an English
 * version, a Spanish one, or both, and tags to search by.
 */
export const CannedReplyInputSchema = z
  .strictObject({
    en: CannedReplyVersionSchema.nullable().optional(),
    es: CannedReplyVersionSchema.nullable().optional(),
    tags: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  })
  .refine((input) => Boolean(input.en || input.es), {
    message: 'give the reply in English (en), Spanish (es) or both',
  });
export type CannedReplyInput = z.input<typeof CannedReplyInputSchema>;

/** A canned reply as written (variables not filled), for managing it. */
export const CannedReplySchema = z.object({
  id: z.string().min(1),
  scope: CannedReplyScopeSchema,
  en: CannedReplyVersionSchema.nullable(),
  es: CannedReplyVersionSchema.nullable(),
  tags: z.array(z.string()),
  /** Still the brand's file, as shipped (no one changed it in the plugin). */
  fromFile: z.boolean(),
  /** Who changed it last, as a person reads them; null while it is the brand's file. */
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type CannedReply = z.infer<typeof CannedReplySchema>;

/** `GET /api/canned-replies`: the shared replies and the caller's personal ones. */
export const CannedReplyListResponseSchema = z.object({
  replies: z.array(CannedReplySchema),
  /** Whether the caller may change shared replies (a supervisor). */
  mayEditShared: z.boolean(),
});
export type CannedReplyListResponse = z.infer<typeof CannedReplyListResponseSchema>;

/** `POST`/`PUT` answer. */
export const CannedReplyResponseSchema = z.object({ reply: CannedReplySchema });
export type CannedReplyResponse = z.infer<typeof CannedReplyResponseSchema>;

/** `DELETE` answer. */
export const CannedReplyDeletedResponseSchema = z.object({ deleted: z.string() });
export type CannedReplyDeletedResponse = z.infer<typeof CannedReplyDeletedResponseSchema>;

/** `GET /api/canned-replies/filled?conversationSid=CH…`. */
export const FilledCannedRepliesQuerySchema = z.object({
  conversationSid: z.string().regex(/^CH[0-9a-fA-F]{32}$/, 'must be a Conversation SID (CH…)'),
});

/** A reply ready to insert into one chat: in the member's language, its variables filled. */
export const FilledCannedReplySchema = z.object({
  id: z.string(),
  scope: CannedReplyScopeSchema,
  title: z.string(),
  text: z.string(),
  /** The version used: the member's language, or the other when the reply has only that one. */
  language: CannedReplyLanguageSchema,
  tags: z.array(z.string()),
  /** Variables this chat has no value for (no case yet, no topic): they stay written as `{name}`. */
  missing: z.array(CannedReplyVariableSchema),
});
export type FilledCannedReply = z.infer<typeof FilledCannedReplySchema>;

export const FilledCannedRepliesResponseSchema = z.object({
  /** The member's language, which picked each reply's version. */
  language: CannedReplyLanguageSchema,
  replies: z.array(FilledCannedReplySchema),
});
export type FilledCannedRepliesResponse = z.infer<typeof FilledCannedRepliesResponseSchema>;
