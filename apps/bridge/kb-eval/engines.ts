/**
 * Other search engines over the same KB folder, answering the same questions, to compare with the
 * bridge's own (`bridgeEngine`): three well-kept libraries and the Postgres full-text search the
 * bridge used before. Each library gets its documented BM25-style setup — fields title, tags and
 * body with boosts, fuzzy matching and prefixes where it has them — with no knowledge of the KB;
 * a library has no notion of "not sure", so any result is shown (its top three).
 */
import { create, insert, search } from '@orama/orama';
import { Charset, Document } from 'flexsearch';
import MiniSearch from 'minisearch';
import { type LoadedArticle, loadArticles } from '../src/domain/kb/load-articles.ts';
import {
  fold,
  isStopWord,
  KB_LANGUAGES,
  plainQuestion,
  stem,
  tokenize,
} from '../src/domain/kb/text-analysis.ts';
import { openDatabase } from '../src/infrastructure/db/database.ts';
import { type AnswerEngine, bridgeEngine } from './evaluate.ts';

export const ENGINES = {
  flexcord: (dir: string) => bridgeEngine(dir),
  minisearch: (dir: string) => miniSearchEngine(dir, false),
  'minisearch+stems': (dir: string) => miniSearchEngine(dir, true),
  orama: (dir: string) => oramaEngine(dir),
  flexsearch: (dir: string) => flexSearchEngine(dir),
  'postgres-fts': (dir: string) => postgresEngine(dir),
} satisfies Record<string, (dir: string) => Promise<AnswerEngine>>;
export type EngineName = keyof typeof ENGINES;

function articlesOf(dir: string): LoadedArticle[] {
  return loadArticles(dir).articles;
}

function shown(slugs: string[]): { outcome: 'answer' | 'unsure'; shown: string[] } {
  return slugs.length ? { outcome: 'answer', shown: slugs.slice(0, 3) } : { outcome: 'unsure', shown: [] };
}

/**
 * MiniSearch (BM25+): fields boosted, fuzzy 0.2, prefix search, OR. `stems`: every word indexed
 * and searched as its English and Spanish Snowball stems, without stop words (the analysis the
 * bridge uses, without its vocabulary, typo correction or confidence).
 */
async function miniSearchEngine(dir: string, stems: boolean): Promise<AnswerEngine> {
  const processTerm = stems
    ? (term: string) => {
        const word = fold(term);
        if (isStopWord(word)) return null;
        return [...new Set(KB_LANGUAGES.map((language) => stem(word, language)))];
      }
    : undefined;
  const index = new MiniSearch<LoadedArticle & { id: string }>({
    fields: ['title', 'tags', 'aliases', 'body'],
    storeFields: ['slug'],
    extractField: (document, field) => {
      const value = document[field as keyof LoadedArticle];
      return Array.isArray(value) ? value.join(' ') : String(value ?? '');
    },
    ...(processTerm ? { processTerm } : {}),
    searchOptions: {
      boost: { title: 3, tags: 2, aliases: 2.5 },
      fuzzy: 0.2,
      prefix: true,
      combineWith: 'OR',
    },
  });
  index.addAll(articlesOf(dir).map((article) => ({ ...article, id: article.slug })));
  return {
    async answer(question) {
      return shown(index.search(plainQuestion(question)).map((hit) => String(hit.id)));
    },
    async close() {},
  };
}

/** Orama (BM25): fields boosted, typo tolerance 1, any word matching (threshold 1). */
async function oramaEngine(dir: string): Promise<AnswerEngine> {
  const db = create({ schema: { slug: 'string', title: 'string', tags: 'string', body: 'string' } as const });
  for (const article of articlesOf(dir)) {
    await insert(db, {
      slug: article.slug,
      title: article.title,
      tags: article.tags.join(' '),
      body: article.body,
    });
  }
  return {
    async answer(question) {
      const text = plainQuestion(question).trim();
      if (!text) return shown([]);
      const result = await search(db, {
        term: text,
        properties: ['title', 'tags', 'body'],
        boost: { title: 3, tags: 2 },
        tolerance: 1,
        threshold: 1,
        limit: 3,
      });
      return shown(result.hits.map((hit) => String(hit.document.slug)));
    },
    async close() {},
  };
}

/** FlexSearch: a document index over title, tags and body, Latin "balance" encoder, partial matches suggested. */
async function flexSearchEngine(dir: string): Promise<AnswerEngine> {
  const index = new Document({
    document: { id: 'slug', index: ['title', 'tags', 'body'] },
    encoder: Charset.LatinBalance,
    tokenize: 'forward',
  });
  for (const article of articlesOf(dir)) {
    index.add({ slug: article.slug, title: article.title, tags: article.tags.join(' '), body: article.body });
  }
  return {
    async answer(question) {
      const text = plainQuestion(question).trim();
      if (!text) return shown([]);
      const results = index.search(text, { limit: 3, suggest: true, merge: true }) as unknown as {
        id: string;
      }[];
      return shown(results.map((result) => String(result.id)));
    },
    async close() {},
  };
}

/**
 * The bridge's search before this one, in Postgres: each article's `tsvector` (title A, tags B,
 * body C, in English and Spanish), a question's lexemes (its words neither language drops) OR-ed
 * and ranked by `ts_rank_cd`, among the articles holding every lexeme of its English or Spanish
 * form when there are any; nothing below 0.2, nor below half the best.
 */
async function postgresEngine(dir: string): Promise<AnswerEngine> {
  const db = await openDatabase({ pgliteDir: 'memory://' });
  await db.query(`CREATE TABLE articles (
    slug text PRIMARY KEY, title text NOT NULL, tag_words text NOT NULL, body text NOT NULL,
    search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('spanish', title), 'A') ||
      setweight(to_tsvector('simple', tag_words), 'B') ||
      setweight(to_tsvector('english', body), 'C') || setweight(to_tsvector('spanish', body), 'C')) STORED)`);
  for (const article of articlesOf(dir)) {
    await db.query('INSERT INTO articles (slug, title, tag_words, body) VALUES ($1, $2, $3, $4)', [
      article.slug,
      article.title,
      article.tags.join(' '),
      article.body,
    ]);
  }
  const lexemes = async (text: string, config: 'english' | 'spanish') => {
    const { rows } = await db.query<{ lexeme: string; positions: number[] }>(
      `SELECT lexeme, positions FROM unnest(to_tsvector('${config}', $1))`,
      [text],
    );
    return rows;
  };
  const quote = (lexeme: string) => `'${lexeme.replace(/'/g, "''")}'`;
  return {
    async answer(question) {
      const text = plainQuestion(question)
        .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
        .trim();
      if (!text || !tokenize(text).length) return shown([]);
      const [english, spanish] = await Promise.all([lexemes(text, 'english'), lexemes(text, 'spanish')]);
      // A word counts when neither language dropped it as a stop word (its position is in both).
      const inBoth = (mine: typeof english, other: typeof english) => {
        const positions = new Set(other.flatMap((row) => row.positions));
        return mine.filter((row) => row.positions.some((p) => positions.has(p))).map((row) => row.lexeme);
      };
      const en = inBoth(english, spanish);
      const es = inBoth(spanish, english);
      const all = [...new Set([...en, ...es])];
      if (!all.length) return shown([]);
      const { rows } = await db.query<{ slug: string; rank: number; every_en: boolean; every_es: boolean }>(
        `SELECT slug, ts_rank_cd(search, $1::tsquery, 1) AS rank,
                ($2 <> '' AND search @@ $2::tsquery) AS every_en, ($3 <> '' AND search @@ $3::tsquery) AS every_es
         FROM articles WHERE search @@ $1::tsquery ORDER BY rank DESC, slug`,
        [all.map(quote).join(' | '), en.map(quote).join(' & '), es.map(quote).join(' & ')],
      );
      const everyWord = rows.some((row) => row.every_en || row.every_es);
      const ranked = rows.filter((row) => !everyWord || row.every_en || row.every_es);
      const best = ranked[0]?.rank ?? 0;
      if (best < 0.2) return shown([]);
      return shown(ranked.filter((row) => row.rank >= best * 0.5).map((row) => row.slug));
    },
    close: () => db.close(),
  };
}
