import { type FSWatcher, watch } from 'node:fs';
import type { KbArticle, KbSearchHit } from '@flexcord/contracts';
import type { Database, Sql } from '../db/database.ts';
import { iso } from '../db/rows.ts';
import type { Logger } from '../logger.ts';
import { excerptOf, loadArticles } from './load-articles.ts';

interface ArticleRow {
  slug: string;
  title: string;
  url: string;
  tags: string[];
  language: string;
  body: string;
  updated_at: Date;
  score?: number;
}

/** The question as a tsquery: every word, in English or in Spanish (stop words dropped by each). */
const ALL_WORDS = `NULLIF(plainto_tsquery('english', $1) || plainto_tsquery('spanish', $1), '')`;
/** The question as a tsquery: any of its words, in either language. */
const ANY_WORD = `NULLIF(
  array_to_string(array_remove(ARRAY[
    NULLIF(replace(plainto_tsquery('english', $1)::text, ' & ', ' | '), ''),
    NULLIF(replace(plainto_tsquery('spanish', $1)::text, ' & ', ' | '), '')
  ], NULL), ' | '), '')::tsquery`;

/** Hits scoring below this share of the best hit are noise, not suggestions. */
const RELATIVE_SCORE_FLOOR = 0.5;
/** Below this cover-density rank nothing really matched (a stray common word). */
const MIN_SCORE = 0.2;

/**
 * The knowledge base: Markdown files in a folder, mirrored into Postgres (`kb_articles`) and
 * searched with Postgres full-text search in English and Spanish (stop words dropped by both
 * dictionaries; remaining words OR-ed; ranked by cover density). Reloads when the folder changes.
 */
export class KbService {
  private watcher: FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Loads the folder into the database: new and changed articles upserted, removed ones deleted. */
  async reload(): Promise<{ loaded: number; removed: number; durationMs: number }> {
    const started = performance.now();
    const { articles, problems } = loadArticles(this.dir);
    for (const problem of problems) this.logger.warn(problem, 'KB article skipped');
    const removed = await this.db.transaction(async (tx) => {
      for (const article of articles) await upsertArticle(tx, article);
      const { rows } = await tx.query<{ slug: string }>(
        'DELETE FROM kb_articles WHERE NOT (slug = ANY($1::text[])) RETURNING slug',
        [articles.map((article) => article.slug)],
      );
      return rows.length;
    });
    const durationMs = performance.now() - started;
    this.logger.info({ loaded: articles.length, removed, durationMs: Math.round(durationMs) }, 'KB loaded');
    return { loaded: articles.length, removed, durationMs };
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
    // Every word first (cheap: few articles match, few are ranked); any word only when that finds nothing.
    const candidates = Math.max(limit * 3, 10);
    let rows = await this.rankedMatches(ALL_WORDS, text, candidates);
    if (!rows.length) rows = await this.rankedMatches(ANY_WORD, text, candidates);
    const best = rows[0]?.score ?? 0;
    if (best < MIN_SCORE) return [];
    return rows
      .filter((row) => row.score >= best * RELATIVE_SCORE_FLOOR)
      .slice(0, limit)
      .map((row) => ({
        slug: row.slug,
        title: row.title,
        url: row.url,
        tags: row.tags,
        excerpt: excerptOf(row.body),
        score: Number(row.score.toFixed(4)),
      }));
  }

  /**
   * Articles matching `filter`, ranked by how densely they cover any of the question's words (the
   * same score either way, so the thresholds mean the same thing).
   */
  private async rankedMatches(filter: string, text: string, limit: number) {
    const { rows } = await this.db.query<ArticleRow & { score: number }>(
      `WITH q AS (SELECT ${filter} AS filter, ${ANY_WORD} AS rank)
       SELECT a.slug, a.title, a.url, a.tags, a.language, a.body, a.updated_at,
              ts_rank_cd(a.search, q.rank, 1) AS score
       FROM kb_articles a, q
       WHERE q.filter IS NOT NULL AND a.search @@ q.filter
       ORDER BY score DESC, a.slug
       LIMIT $2`,
      [text, limit],
    );
    return rows;
  }

  async article(slug: string): Promise<KbArticle | null> {
    const { rows } = await this.db.query<ArticleRow>(
      'SELECT slug, title, url, tags, language, body, updated_at FROM kb_articles WHERE slug = $1',
      [slug],
    );
    const row = rows[0];
    if (!row) return null;
    const { updated_at, score: _score, ...article } = row;
    return { ...article, updatedAt: iso(updated_at) };
  }
}

async function upsertArticle(sql: Sql, article: KbArticle): Promise<void> {
  await sql.query(
    `INSERT INTO kb_articles (slug, title, url, tags, tag_words, language, body, updated_at)
     VALUES ($1, $2, $3, $4, array_to_string($4::text[], ' '), $5, $6, $7)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url, tags = EXCLUDED.tags,
       tag_words = EXCLUDED.tag_words, language = EXCLUDED.language, body = EXCLUDED.body, updated_at = EXCLUDED.updated_at
     WHERE (kb_articles.title, kb_articles.url, kb_articles.tags, kb_articles.language, kb_articles.body)
       IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.url, EXCLUDED.tags, EXCLUDED.language, EXCLUDED.body)`,
    [
      article.slug,
      article.title,
      article.url,
      article.tags,
      article.language,
      article.body,
      article.updatedAt,
    ],
  );
}
