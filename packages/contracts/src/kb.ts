import { z } from 'zod';

/** A knowledge-base article, loaded from Markdown with YAML front matter (`title`, `url`, `tags`). */
export const KbArticleSchema = z.object({
  slug: z.string().min(1),
  title: z.string().min(1),
  url: z.url(),
  tags: z.array(z.string()),
  language: z.string(),
  body: z.string(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type KbArticle = z.infer<typeof KbArticleSchema>;

/** One search hit: enough to show and to link, not the whole body. */
export const KbSearchHitSchema = z.object({
  slug: z.string(),
  title: z.string(),
  url: z.url(),
  excerpt: z.string(),
  tags: z.array(z.string()),
  score: z.number().nonnegative(),
});
export type KbSearchHit = z.infer<typeof KbSearchHitSchema>;
