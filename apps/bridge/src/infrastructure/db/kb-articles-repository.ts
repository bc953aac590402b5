import type { Sql } from './database.ts';

/** An article as the KB folder gives it, hashed, ready to be written. */
export interface StoredArticle {
  slug: string;
  title: string;
  url: string | null;
  tags: string[];
  aliases: string[];
  language: string;
  body: string;
  updatedAt: string;
  hash: string;
}

/** An article's row as a page shows it. */
export interface ArticleRow {
  slug: string;
  title: string;
  url: string | null;
  tags: string[];
  language: string;
  body: string;
  updated_at: Date;
}

/** An indexed article whose content differs from what the index holds, or one that is unchanged (`changed: null`). */
export type ArticleSyncRow = { slug: string; content_hash: string } & (
  | (Pick<StoredArticle, 'title' | 'url' | 'tags' | 'aliases' | 'language' | 'body'> & { changed: true })
  | { changed: null }
);

/** Articles per upsert statement: one statement per reload for a KB of ordinary size. */
const UPSERT_BATCH = 500;

/** The KB tables' revision: every instance's index follows it. */
export async function kbRevision(sql: Sql): Promise<string | null> {
  const { rows } = await sql.query<{ revision: string }>(
    'SELECT revision::text AS revision FROM kb_revision',
  );
  return rows[0]?.revision ?? null;
}

/** The revision, locked for a reload's transaction so two reloads take turns. */
export async function lockKbRevision(tx: Sql): Promise<string | null> {
  const { rows } = await tx.query<{ revision: string }>(
    'SELECT revision::text AS revision FROM kb_revision FOR UPDATE',
  );
  return rows[0]?.revision ?? null;
}

/** Moves the revision on after a reload changed anything, and returns it. */
export async function bumpKbRevision(tx: Sql): Promise<string | null> {
  const { rows } = await tx.query<{ revision: string }>(
    'UPDATE kb_revision SET revision = revision + 1 RETURNING revision::text AS revision',
  );
  return rows[0]?.revision ?? null;
}

/** Every stored article's content hash, by slug. */
export async function articleHashes(sql: Sql): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ slug: string; content_hash: string }>(
    'SELECT slug, content_hash FROM kb_articles',
  );
  return new Map(rows.map((row) => [row.slug, row.content_hash]));
}

/** Writes new and changed articles, in batches. */
export async function upsertArticles(sql: Sql, articles: readonly StoredArticle[]): Promise<void> {
  for (let i = 0; i < articles.length; i += UPSERT_BATCH) {
    await sql.query(
      `INSERT INTO kb_articles (slug, title, url, tags, tag_words, aliases, language, body, updated_at, content_hash)
       SELECT slug, title, url, tags, array_to_string(tags, ' '), aliases, language, body, updated_at, hash
       FROM jsonb_to_recordset($1::jsonb) AS a (slug text, title text, url text, tags text[], aliases text[],
         language text, body text, updated_at timestamptz, hash text)
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url, tags = EXCLUDED.tags,
         tag_words = EXCLUDED.tag_words, aliases = EXCLUDED.aliases, language = EXCLUDED.language,
         body = EXCLUDED.body, updated_at = EXCLUDED.updated_at, content_hash = EXCLUDED.content_hash`,
      [
        JSON.stringify(
          articles
            .slice(i, i + UPSERT_BATCH)
            .map(({ updatedAt, ...article }) => ({ ...article, updated_at: updatedAt })),
        ),
      ],
    );
  }
}

export async function deleteArticles(sql: Sql, slugs: readonly string[]): Promise<void> {
  if (slugs.length) await sql.query('DELETE FROM kb_articles WHERE slug = ANY($1::text[])', [slugs]);
}

export async function articleBySlug(sql: Sql, slug: string): Promise<ArticleRow | null> {
  const { rows } = await sql.query<ArticleRow>(
    'SELECT slug, title, url, tags, language, body, updated_at FROM kb_articles WHERE slug = $1',
    [slug],
  );
  return rows[0] ?? null;
}

/**
 * Every stored article, with its content only where its hash differs from the one the index
 * holds (`indexed`: slug → hash): an index update reads what changed and nothing else. An
 * article's approved learned phrasings are among its aliases, and part of its hash, so approving
 * one re-indexes that article alone.
 */
export async function articlesChangedSince(
  sql: Sql,
  indexed: ReadonlyMap<string, string>,
): Promise<ArticleSyncRow[]> {
  const { rows } = await sql.query<ArticleSyncRow>(
    `WITH learned AS (
       SELECT slug, array_agg(question ORDER BY id) AS questions FROM kb_learned_phrasings
       WHERE status = 'approved' GROUP BY slug
     ), a AS (
       SELECT k.slug, k.title, k.url, k.tags, k.language, k.body,
              k.aliases || coalesce(l.questions, '{}') AS aliases,
              CASE WHEN l.questions IS NULL THEN k.content_hash
                   ELSE k.content_hash || ':' || md5(array_to_string(l.questions, E'\n')) END AS content_hash
       FROM kb_articles k LEFT JOIN learned l USING (slug)
     )
     SELECT a.slug, a.content_hash, changed.*
     FROM a
     LEFT JOIN unnest($1::text[], $2::text[]) AS i (slug, hash) USING (slug)
     LEFT JOIN LATERAL (SELECT true AS changed, a.title, a.url, a.tags, a.aliases, a.language, a.body
                        WHERE i.hash IS DISTINCT FROM a.content_hash) AS changed ON true`,
    [[...indexed.keys()], [...indexed.values()]],
  );
  return rows;
}

/** The brand's vocabulary files as stored, by file name. */
export async function vocabularyFiles(sql: Sql): Promise<Record<string, string>> {
  const { rows } = await sql.query<{ file: string; content: string }>(
    'SELECT file, content FROM kb_vocabulary',
  );
  return Object.fromEntries(rows.map((row) => [row.file, row.content]));
}

/** Writes the vocabulary files that changed, drops the removed ones; true when anything changed. */
export async function syncVocabularyFiles(
  sql: Sql,
  files: Readonly<Record<string, string>>,
): Promise<boolean> {
  const stored = await vocabularyFiles(sql);
  let changed = false;
  for (const [file, content] of Object.entries(files)) {
    if (stored[file] === content) continue;
    await sql.query(
      `INSERT INTO kb_vocabulary (file, content) VALUES ($1, $2)
       ON CONFLICT (file) DO UPDATE SET content = EXCLUDED.content`,
      [file, content],
    );
    changed = true;
  }
  const gone = Object.keys(stored).filter((file) => !(file in files));
  if (gone.length) {
    await sql.query('DELETE FROM kb_vocabulary WHERE file = ANY($1::text[])', [gone]);
    changed = true;
  }
  return changed;
}
