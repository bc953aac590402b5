import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import type { KbArticle, KbSearchHit } from '@flexcord/contracts';
import type { Database, Sql } from '../db/database.ts';
import { iso } from '../db/rows.ts';
import type { Logger } from '../logger.ts';
import { type IndexedArticle, KbIndex, questionLexemes } from './kb-index.ts';
import { excerptOf, loadArticles } from './load-articles.ts';

interface ArticleRow {
  slug: string;
  title: string;
  url: string;
  tags: string[];
  language: string;
  body: string;
  updated_at: Date;
}

/** Hits scoring below this share of the best hit are noise, not suggestions. */
const RELATIVE_SCORE_FLOOR = 0.5;
/** Below this cover-density rank nothing really matched (a stray common word). */
const MIN_SCORE = 0.2;
/** Articles per upsert statement: one statement per reload for a KB of ordinary size. */
const UPSERT_BATCH = 500;

/**
 * The knowledge base: Markdown files in a folder, mirrored into Postgres (`kb_articles`) and
 * searched in English and Spanish. Postgres normalises articles and questions (English and
 * Spanish stemming; a question's stop words in either language dropped); an in-memory index of
 * the stored vectors ranks articles by cover density over the question's words, OR-ed, as
 * `ts_rank_cd` would ({@link KbIndex}) — Postgres itself would re-read and re-rank every matching
 * vector, ~12 µs each, and a question of common words matches thousands. A search is one query
 * (the question's analysis). Reloads when the folder changes; every instance's index follows the
 * table through `kb_revision`.
 */
export class KbService {
  private watcher: FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly index = new KbIndex();
  /** What a hit shows of each indexed article, kept with the index so a search is one query. */
  private readonly cards = new Map<string, Omit<KbSearchHit, 'score'>>();
  /** The `kb_revision` the index was synced at; null before the first sync. */
  private revision: string | null = null;
  private lastSync: Promise<void> = Promise.resolve();
  private queuedSync: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Loads the folder into the database (new and changed articles written, removed ones deleted,
   * unchanged ones skipped by their content hash) and brings the search index up to date.
   */
  async reload(): Promise<{ loaded: number; changed: number; removed: number; durationMs: number }> {
    const started = performance.now();
    const { articles, problems } = loadArticles(this.dir);
    for (const problem of problems) this.logger.warn(problem, 'KB article skipped');
    const hashed = articles.map((article) => ({ ...article, hash: contentHash(article) }));
    const { changed, removed, revision } = await this.db.transaction(async (tx) => {
      const { rows: state } = await tx.query<{ revision: string }>(
        'SELECT revision::text AS revision FROM kb_revision FOR UPDATE',
      );
      const { rows } = await tx.query<{ slug: string; content_hash: string }>(
        'SELECT slug, content_hash FROM kb_articles',
      );
      const stored = new Map(rows.map((row) => [row.slug, row.content_hash]));
      const changed = hashed.filter((article) => stored.get(article.slug) !== article.hash);
      for (let i = 0; i < changed.length; i += UPSERT_BATCH) {
        await upsertArticles(tx, changed.slice(i, i + UPSERT_BATCH));
      }
      const present = new Set(articles.map((article) => article.slug));
      const removed = rows.filter((row) => !present.has(row.slug)).map((row) => row.slug);
      if (!changed.length && !removed.length) return { changed: 0, removed: 0, revision: state[0]?.revision };
      if (removed.length) await tx.query('DELETE FROM kb_articles WHERE slug = ANY($1::text[])', [removed]);
      const { rows: bumped } = await tx.query<{ revision: string }>(
        'UPDATE kb_revision SET revision = revision + 1 RETURNING revision::text AS revision',
      );
      return { changed: changed.length, removed: removed.length, revision: bumped[0]?.revision };
    });
    // The index is current when it was synced at the revision this reload leaves.
    if (revision !== this.revision) await this.sync();
    const durationMs = performance.now() - started;
    this.logger.info(
      { loaded: articles.length, changed, removed, durationMs: Math.round(durationMs) },
      'KB loaded',
    );
    return { loaded: articles.length, changed, removed, durationMs };
  }

  /** Reloads (debounced) whenever a file in the folder changes. */
  watch(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, () => {
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'KB reload failed'));
        }, 300);
      });
    } catch (error) {
      this.logger.warn({ err: error, dir: this.dir }, 'KB folder not watched');
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
  }

  /**
   * Best articles for a question, in English or Spanish, ranked by cover density: articles with
   * every word of the question, or else (a member's question rarely shares every word with an
   * article) articles with any of them.
   */
  async search(query: string, limit = 3): Promise<KbSearchHit[]> {
    const text = query.replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim();
    if (!text) return [];
    const { rows } = await this.db.query<{ english: string; spanish: string; revision: string }>(
      `SELECT to_tsvector('english', $1)::text AS english, to_tsvector('spanish', $1)::text AS spanish,
              (SELECT revision::text FROM kb_revision) AS revision`,
      [text],
    );
    const analysed = rows[0];
    if (!analysed) return [];
    if (analysed.revision !== this.revision) await this.sync();
    const ranked = this.index.rank(questionLexemes(analysed.english, analysed.spanish), limit);
    const best = ranked[0]?.score ?? 0;
    if (best < MIN_SCORE) return [];
    return ranked.flatMap((hit) => {
      const card = this.cards.get(hit.slug);
      return card && hit.score >= best * RELATIVE_SCORE_FLOOR
        ? [{ ...card, score: Number(hit.score.toFixed(4)) }]
        : [];
    });
  }

  async article(slug: string): Promise<KbArticle | null> {
    const { rows } = await this.db.query<ArticleRow>(
      'SELECT slug, title, url, tags, language, body, updated_at FROM kb_articles WHERE slug = $1',
      [slug],
    );
    const row = rows[0];
    if (!row) return null;
    const { updated_at, ...article } = row;
    return { ...article, updatedAt: iso(updated_at) };
  }

  /** Syncs the index with the table after any sync under way; callers waiting for the next one share it. */
  private sync(): Promise<void> {
    if (!this.queuedSync) {
      const next = this.lastSync.then(() => {
        this.queuedSync = null;
        return this.syncNow();
      });
      this.queuedSync = next;
      this.lastSync = next.catch(() => undefined);
    }
    return this.queuedSync;
  }

  /** Re-indexes the articles whose hash differs from the indexed one and drops the removed ones. */
  private async syncNow(): Promise<void> {
    // The revision first: a reload committing in between only makes the next search sync again.
    const { rows: state } = await this.db.query<{ revision: string }>(
      'SELECT revision::text AS revision FROM kb_revision',
    );
    const indexed = this.index.indexed();
    const { rows } = await this.db.query<
      { slug: string; content_hash: string } & (
        | (Pick<ArticleRow, 'title' | 'url' | 'tags' | 'body'> & { search: string })
        | { search: null }
      )
    >(
      `SELECT a.slug, a.content_hash, changed.*
       FROM kb_articles a
       LEFT JOIN unnest($1::text[], $2::text[]) AS i (slug, hash) USING (slug)
       LEFT JOIN LATERAL (SELECT a.search::text AS search, a.title, a.url, a.tags, a.body
                          WHERE i.hash IS DISTINCT FROM a.content_hash) AS changed ON true`,
      [[...indexed.keys()], [...indexed.values()]],
    );
    const present = new Set(rows.map((row) => row.slug));
    const changed: IndexedArticle[] = [];
    for (const row of rows) {
      if (row.search === null) continue;
      changed.push({ slug: row.slug, hash: row.content_hash, search: row.search });
      const { slug, title, url, tags, body } = row;
      this.cards.set(slug, { slug, title, url, tags, excerpt: excerptOf(body) });
    }
    for (const slug of this.cards.keys()) if (!present.has(slug)) this.cards.delete(slug);
    if (changed.length || rows.length !== indexed.size) this.index.update(present, changed);
    this.revision = state[0]?.revision ?? null;
  }
}

/** What a reload writes of an article, hashed: a file touched but not edited is not rewritten. */
function contentHash(article: KbArticle): string {
  const { title, url, tags, language, body } = article;
  return createHash('sha256')
    .update(JSON.stringify([title, url, tags, language, body]))
    .digest('base64url');
}

async function upsertArticles(sql: Sql, articles: (KbArticle & { hash: string })[]): Promise<void> {
  await sql.query(
    `INSERT INTO kb_articles (slug, title, url, tags, tag_words, language, body, updated_at, content_hash)
     SELECT slug, title, url, tags, array_to_string(tags, ' '), language, body, updated_at, hash
     FROM jsonb_to_recordset($1::jsonb) AS a (slug text, title text, url text, tags text[], language text,
       body text, updated_at timestamptz, hash text)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url, tags = EXCLUDED.tags,
       tag_words = EXCLUDED.tag_words, language = EXCLUDED.language, body = EXCLUDED.body,
       updated_at = EXCLUDED.updated_at, content_hash = EXCLUDED.content_hash`,
    [
      JSON.stringify(
        articles.map(({ slug, title, url, tags, language, body, updatedAt, hash }) => ({
          slug,
          title,
          url,
          tags,
          language,
          body,
          updated_at: updatedAt,
          hash,
        })),
      ),
    ],
  );
}
