import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type KbArticle, KbArticleSchema } from '@flexcord/contracts';
import matter from 'gray-matter';
import { z } from 'zod';
import { editDistance } from './typo-corrector.ts';
import { VOCABULARY_FILES, type VocabularyFileName, type VocabularySources } from './vocabulary.ts';

/** A list in front matter, or one value where a list is meant (`tags: crash`). */
const list = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(z.string().trim().min(1, 'an entry is empty')),
);

/**
 * An article's front matter. Strict: an unknown key is most often a misspelt one (`lang: es`,
 * `tittle:`), and silently ignoring it stores the article wrong.
 */
const FrontMatterSchema = z.strictObject({
  title: z.string({ error: 'a title is required' }).trim().min(1, 'a title is required'),
  /** The article's public page; optional (a brand without a help center shows the text instead). */
  url: z.url({ error: 'must be an absolute URL' }).nullable().default(null),
  tags: list.default([]),
  language: z
    .string()
    .trim()
    .regex(/^(en|es)([-_][a-z0-9]+)?$/i, 'must be en or es')
    .transform((value) => value.slice(0, 2).toLowerCase() as 'en' | 'es')
    .default('en'),
  /** Other names members give the article's subject. */
  aliases: list.default([]),
  /** Questions the article answers, as members ask them. */
  questions: list.default([]),
});
const FRONT_MATTER_KEYS = Object.keys(FrontMatterSchema.shape);

/** An article as the KB stores it: the contract's article and what its front matter adds. */
export interface LoadedArticle extends KbArticle {
  aliases: string[];
}

/** A KB file that could not be loaded, with the key at fault when there is one; the rest of the KB still loads. */
export interface KbLoadProblem {
  file: string;
  key?: string;
  reason: string;
}

/**
 * Reads every `*.md` file of `dir`: YAML front matter (`title`, `url` (optional), `tags`,
 * `language`, `aliases`, `questions`) and a Markdown body. The slug is the file name. A file with a problem
 * (unknown or misspelt key, bad language, no title, YAML that does not parse) is skipped and
 * reported, key by key.
 */
export function loadArticles(dir: string): { articles: LoadedArticle[]; problems: KbLoadProblem[] } {
  const articles: LoadedArticle[] = [];
  const problems: KbLoadProblem[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()) {
    const path = join(dir, file);
    try {
      const parsed = matter(readFileSync(path, 'utf8'));
      const front = FrontMatterSchema.safeParse(parsed.data ?? {});
      if (!front.success) {
        problems.push(...front.error.issues.flatMap((issue) => describe(file, issue)));
        continue;
      }
      const { aliases, questions, ...fields } = front.data;
      const article = KbArticleSchema.parse({
        slug: file.replace(/\.md$/, ''),
        ...fields,
        body: parsed.content.trim(),
        updatedAt: statSync(path).mtime.toISOString(),
      });
      articles.push({ ...article, aliases: [...aliases, ...questions] });
    } catch (error) {
      problems.push({ file, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  return { articles, problems };
}

/** The brand's vocabulary files in `dir` (synonyms and glossary), by name; missing ones are left out. */
export function loadVocabularyFiles(dir: string): VocabularySources {
  const sources: VocabularySources = {};
  for (const name of Object.keys(VOCABULARY_FILES) as VocabularyFileName[]) {
    try {
      sources[name] = readFileSync(join(dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return sources;
}

function describe(file: string, issue: z.core.$ZodIssue): KbLoadProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const written = key.toLowerCase();
      const near = FRONT_MATTER_KEYS.find(
        (known) =>
          known.startsWith(written) || written.startsWith(known) || editDistance(written, known, 2) <= 2,
      );
      return {
        file,
        key,
        reason: `unknown front-matter key${near ? ` (did you mean "${near}"?)` : ''}; known keys: ${FRONT_MATTER_KEYS.join(', ')}`,
      };
    });
  }
  const key = issue.path.map(String).join('.');
  return [{ file, ...(key ? { key } : {}), reason: issue.message }];
}

/**
 * The article's text for a member when there is no page to link: every paragraph without
 * Markdown (headings kept as plain lines), cut at a word boundary.
 */
export function plainTextOf(body: string, maxLength = 900): string {
  const plain = body
    .split(/\n\s*\n/)
    .map((paragraph) => stripMarkdown(paragraph))
    .filter(Boolean)
    .join('\n\n');
  if (plain.length <= maxLength) return plain;
  const cut = plain.slice(0, maxLength);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), maxLength - 20)).trimEnd()}…`;
}

function stripMarkdown(text: string): string {
  return text
    .replace(/!\[[^\]]*]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
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
