import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CannedReplyLanguage,
  type CannedReplyVersion,
  CannedReplyVersionSchema,
  unknownCannedVariables,
} from '@flexcord/contracts';
import matter from 'gray-matter';
import { z } from 'zod';

/** A list in front matter, or one value where a list is meant (`tags: hello`). */
const list = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(z.string().trim().min(1, 'an entry is empty').max(40)).max(10),
);

/** A canned reply file's front matter. Strict: an unknown key is most often a misspelt one. */
const FrontMatterSchema = z.strictObject({
  title: z.string({ error: 'a title is required' }).trim().min(1, 'a title is required').max(100),
  tags: list.default([]),
});
const FRONT_MATTER_KEYS = Object.keys(FrontMatterSchema.shape);

/** A brand's canned reply, as its files give it: one id, an English and/or a Spanish version. */
export interface CannedReplyDefault {
  id: string;
  en: CannedReplyVersion | null;
  es: CannedReplyVersion | null;
  tags: string[];
}

/** A file that could not be loaded, and why; the other files still load. */
export interface CannedReplyLoadProblem {
  file: string;
  reason: string;
}

/** `greeting.md` → English of `greeting`; `greeting.es.md` → its Spanish (`.en.md` is English too). */
const FILE_NAME = /^([a-z0-9][a-z0-9-]*?)(?:\.(en|es))?\.md$/;

/**
 * Reads the brand's canned replies from `dir`: `<id>.md` (or `<id>.en.md`) in English and
 * `<id>.es.md` in Spanish, each with front matter `title` (required) and `tags`, and the reply's
 * text (Markdown) as the body. Variables are `{member}`, `{agent}`, `{case}` and `{topic}`; a file
 * with another `{name}`, a bad name or bad front matter is skipped and reported. A missing folder
 * is no replies.
 */
export function loadCannedReplies(dir: string): {
  replies: CannedReplyDefault[];
  problems: CannedReplyLoadProblem[];
} {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { replies: [], problems: [] };
    throw error;
  }
  const byId = new Map<string, CannedReplyDefault>();
  const problems: CannedReplyLoadProblem[] = [];
  for (const file of files) {
    const name = FILE_NAME.exec(file);
    if (!name) {
      problems.push({
        file,
        reason:
          'name it <id>.md (English) or <id>.es.md (Spanish), the id in lowercase letters, digits and dashes',
      });
      continue;
    }
    const id = name[1]!;
    const language = (name[2] ?? 'en') as CannedReplyLanguage;
    try {
      const parsed = matter(readFileSync(join(dir, file), 'utf8'));
      const front = FrontMatterSchema.safeParse(parsed.data ?? {});
      if (!front.success) {
        problems.push(...front.error.issues.map((issue) => ({ file, reason: describe(issue) })));
        continue;
      }
      const unknown = unknownCannedVariables(`${front.data.title}\n${parsed.content}`);
      if (unknown.length) {
        problems.push({
          file,
          reason: `unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.map((v) => `{${v}}`).join(', ')}; known: {member}, {agent}, {case}, {topic}`,
        });
        continue;
      }
      const version = CannedReplyVersionSchema.safeParse({
        title: front.data.title,
        body: parsed.content.trim(),
      });
      if (!version.success) {
        problems.push(...version.error.issues.map((issue) => ({ file, reason: describe(issue) })));
        continue;
      }
      const reply = byId.get(id) ?? { id, en: null, es: null, tags: [] };
      reply[language] = version.data;
      reply.tags = [...new Set([...reply.tags, ...front.data.tags])];
      byId.set(id, reply);
    } catch (error) {
      problems.push({ file, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  return { replies: [...byId.values()], problems };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown front-matter key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; known keys: ${FRONT_MATTER_KEYS.join(', ')}`;
  const key = issue.path.map(String).join('.');
  return key ? `${key}: ${issue.message}` : issue.message;
}
