import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type KbArticle, KbArticleSchema } from '@flexcord/contracts';
import matter from 'gray-matter';
import { z } from 'zod';

const FrontMatterSchema = z.object({
  title: z.string().min(1),
  url: z.url(),
  tags: z.array(z.string()).default([]),
  language: z.string().default('en'),
});

/** A KB file that could not be loaded, with the reason; the rest of the KB still loads. */
export interface KbLoadProblem {
  file: string;
  reason: string;
}

/**
 * Reads every `*.md` file of `dir`: YAML front matter (`title`, `url`, `tags`, `language`) and a
 * Markdown body. The slug is the file name.
 */
export function loadArticles(dir: string): { articles: KbArticle[]; problems: KbLoadProblem[] } {
  const articles: KbArticle[] = [];
  const problems: KbLoadProblem[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()) {
    const path = join(dir, file);
    try {
      const parsed = matter(readFileSync(path, 'utf8'));
      const front = FrontMatterSchema.safeParse(parsed.data);
      if (!front.success) {
        problems.push({
          file,
          reason: front.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
        });
        continue;
      }
      articles.push(
        KbArticleSchema.parse({
          slug: file.replace(/\.md$/, ''),
          ...front.data,
          body: parsed.content.trim(),
          updatedAt: statSync(path).mtime.toISOString(),
        }),
      );
    } catch (error) {
      problems.push({ file, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { articles, problems };
}

/** A plain-text excerpt: the article's first paragraph without Markdown, cut at a word boundary. */
export function excerptOf(body: string, maxLength = 180): string {
  const firstParagraph =
    body
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .find((paragraph) => paragraph && !paragraph.startsWith('#')) ?? '';
  const plain = firstParagraph
    .replace(/!\[[^\]]*]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxLength) return plain;
  const cut = plain.slice(0, maxLength);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), maxLength - 20)).trimEnd()}…`;
}
