import { z } from 'zod';

/**
 * A knowledge-base article, loaded from Markdown with YAML front matter (`title`, `url`, `tags`).
 * `url` is null for a brand without a public help center: the article's text is shown instead.
 */
export const KbArticleSchema = z.object({
  slug: z.string().min(1),
  title: z.string().min(1),
  url: z.url().nullable(),
  tags: z.array(z.string()),
  language: z.string(),
  body: z.string(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type KbArticle = z.infer<typeof KbArticleSchema>;

/**
 * One search hit: enough to show and to link, not the whole body. Without a `url`, `excerpt` is
 * the article's text (up to ~900 characters), since there is no page to send the member to.
 */
export const KbSearchHitSchema = z.object({
  slug: z.string(),
  title: z.string(),
  url: z.url().nullable(),
  excerpt: z.string(),
  tags: z.array(z.string()),
  score: z.number().nonnegative(),
});
export type KbSearchHit = z.infer<typeof KbSearchHitSchema>;

/** A group of similar questions members asked that the bot could not answer, or whose answer didn't help. */
export const KbGapSchema = z.object({
  /** The group's most asked wording. */
  question: z.string(),
  /** How many times questions of the group were asked. */
  count: z.number().int().positive(),
  /** Other wordings in the group (up to 5). */
  examples: z.array(z.string()),
  languages: z.array(z.string()),
  /** How many got no answer, and how many were answered but the member asked for an agent. */
  unanswered: z.number().int().nonnegative(),
  unhelped: z.number().int().nonnegative(),
  /** The articles that came closest, most frequent first. */
  nearest: z.array(z.string()),
  lastAskedAt: z.iso.datetime({ offset: true }),
});
export type KbGap = z.infer<typeof KbGapSchema>;

/** An article shown to members, with what they did next. */
export const KbArticleOutcomeSchema = z.object({
  slug: z.string(),
  title: z.string().nullable(),
  shown: z.number().int().nonnegative(),
  helped: z.number().int().nonnegative(),
  /** Shown, then "Talk to an agent". */
  agent: z.number().int().nonnegative(),
});
export type KbArticleOutcome = z.infer<typeof KbArticleOutcomeSchema>;

/** A KB file the bridge could not load, and why. */
export const KbLoadProblemSchema = z.object({
  file: z.string(),
  key: z.string().optional(),
  reason: z.string(),
});

/** The KB owner's gaps report: what members asked and didn't get. */
/** A question the bot missed, paired with the article an agent answered it with; a supervisor decides. */
export const KbLearnedPhrasingSchema = z.object({
  id: z.string(),
  question: z.string(),
  slug: z.string(),
  /** The article's title, or null when the article is no longer in the KB. */
  title: z.string().nullable(),
  language: z.string(),
  /** `kb_button`: the agent sent the article with the KB button; `marked`: the agent marked it as the answer. */
  source: z.enum(['kb_button', 'marked']),
  status: z.enum(['pending', 'approved', 'rejected']),
  proposedBy: z.string(),
  decidedBy: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type KbLearnedPhrasing = z.infer<typeof KbLearnedPhrasingSchema>;

export const KbGapsReportSchema = z.object({
  since: z.iso.datetime({ offset: true }),
  questions: z.object({
    answer: z.number().int().nonnegative(),
    candidates: z.number().int().nonnegative(),
    unsure: z.number().int().nonnegative(),
  }),
  gaps: z.array(KbGapSchema),
  /** Articles members turned down most (asked for an agent after seeing them), worst first. */
  unhelpfulArticles: z.array(KbArticleOutcomeSchema),
  problems: z.array(KbLoadProblemSchema),
  /** Learned phrasings waiting for a supervisor's decision, oldest first. */
  learned: z.array(KbLearnedPhrasingSchema).default([]),
});
export type KbGapsReport = z.infer<typeof KbGapsReportSchema>;
