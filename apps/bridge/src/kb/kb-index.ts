/** `ts_rank_cd`'s default weights of a position labelled D, C, B, A, as the `float4`s Postgres ranks with. */
const LABEL_WEIGHTS = [0.1, 0.2, 0.4, 1].map(Math.fround);
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LABEL_A = 0x41;
const LABEL_D = 0x44;

/** A stored article as the index takes it: its `search` vector in text form. */
export interface IndexedArticle {
  slug: string;
  hash: string;
  search: string;
}

/** The lexemes of a question, as Postgres's English and Spanish configurations normalise it. */
export interface AnalysedQuery {
  english: string[];
  spanish: string[];
}

/**
 * Calls `visit` with each lexeme of a `tsvector` in text form (`'lexeme':1A,5,9C`, quotes and
 * backslashes doubled) and where its positions are in `vector` (`from` = `to` when it has none).
 * Scanned by hand: a KB of 10,000 articles is a million lexemes.
 */
function scanVector(vector: string, visit: (lexeme: string, from: number, to: number) => void): void {
  let at = vector.indexOf("'");
  while (at >= 0) {
    let lexeme = '';
    let from = at + 1;
    for (at = from; ; at++) {
      const char = vector.charCodeAt(at);
      if (Number.isNaN(char)) throw new Error(`unterminated lexeme in ${vector.slice(from - 1, from + 40)}`);
      if (char === BACKSLASH || (char === QUOTE && vector.charCodeAt(at + 1) === QUOTE)) {
        lexeme += vector.slice(from, at + 1);
        from = ++at + 1;
      } else if (char === QUOTE) break;
    }
    lexeme += vector.slice(from, at++);
    let to = at;
    if (vector.charCodeAt(at) === COLON) {
      to = vector.indexOf(' ', at);
      if (to < 0) to = vector.length;
      visit(lexeme, at + 1, to);
    } else visit(lexeme, at, at);
    at = vector.indexOf("'", to);
  }
}

/**
 * Each lexeme's share of an article's cover-density rank, from its `search` vector in text form.
 * For a query whose lexemes are OR-ed, every position holding one of them is a cover of its own,
 * so `ts_rank_cd(search, query, 1)` is the sum of those positions' weights divided by
 * ln(1 + the article's positions): a sum of one share per query lexeme.
 *
 * @see https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/adt/tsrank.c (`calc_rank_cd`, `cnt_length`)
 */
export function lexemeShares(search: string): Map<string, number> {
  const shares = new Map<string, number>();
  let positions = 0;
  scanVector(search, (lexeme, from, to) => {
    // Positions are `digits[label]`, comma-separated; one without a label is D, and a lexeme
    // stored without positions counts as one position of weight D.
    let weight = 0;
    let labelled = false;
    for (let at = from; at <= to; at++) {
      const char = at < to ? search.charCodeAt(at) : COMMA;
      if (char === COMMA) {
        if (!labelled) weight += LABEL_WEIGHTS[0]!;
        labelled = false;
        positions++;
      } else if (char >= LABEL_A && char <= LABEL_D) {
        weight += LABEL_WEIGHTS[LABEL_D - char]!;
        labelled = true;
      }
    }
    shares.set(lexeme, weight);
  });
  const norm = Math.log(positions + 1);
  for (const [lexeme, weight] of shares) shares.set(lexeme, weight / norm);
  return shares;
}

/**
 * A question's lexemes from its English and Spanish vectors in text form, keeping only the words
 * that neither language drops as a stop word (those whose position is in both vectors): else the
 * Spanish form of "what is the weather" keeps "what", "is" and "the", which every English
 * article's Spanish form holds, and small talk gets an answer.
 */
export function questionLexemes(english: string, spanish: string): AnalysedQuery {
  const positionsOf = (vector: string) => {
    const lexemes: { lexeme: string; positions: number[] }[] = [];
    scanVector(vector, (lexeme, from, to) => {
      lexemes.push({
        lexeme,
        positions: vector
          .slice(from, to)
          .split(',')
          .map((p) => Number.parseInt(p, 10)),
      });
    });
    return lexemes;
  };
  const englishLexemes = positionsOf(english);
  const spanishLexemes = positionsOf(spanish);
  const inBoth = (lexemes: typeof englishLexemes, other: typeof englishLexemes) => {
    const words = new Set(other.flatMap((entry) => entry.positions));
    return lexemes.filter((entry) => entry.positions.some((p) => words.has(p))).map((entry) => entry.lexeme);
  };
  return { english: inBoth(englishLexemes, spanishLexemes), spanish: inBoth(spanishLexemes, englishLexemes) };
}

/**
 * The KB's articles as an inverted index: for each lexeme, the articles holding it and its share
 * of their rank (see {@link lexemeShares}). Ranks a question exactly as
 * `ts_rank_cd(search, <every lexeme OR-ed>, 1)` would, by adding up a few posting lists instead of
 * re-reading and re-ranking every matching vector.
 */
export class KbIndex {
  private slugs: string[] = [];
  private hashes: string[] = [];
  /** Lexeme → its row: its postings are `articles`/`shares` from `starts[row]` to `starts[row + 1]`. */
  private rows = new Map<string, number>();
  private starts = new Uint32Array(1);
  private articles = new Uint32Array(0);
  private shares = new Float64Array(0);

  /** Slug → content hash of every article indexed. */
  indexed(): Map<string, string> {
    return new Map(this.slugs.map((slug, i) => [slug, this.hashes[i]!]));
  }

  /** Keeps the articles in `keep` that are indexed already, (re)indexes `add`, drops the rest. */
  update(keep: ReadonlySet<string>, add: readonly IndexedArticle[]): void {
    const replaced = new Set(add.map((article) => article.slug));
    const renumbered = new Int32Array(this.slugs.length).fill(-1);
    const slugs: string[] = [];
    const hashes: string[] = [];
    this.slugs.forEach((slug, i) => {
      if (!keep.has(slug) || replaced.has(slug)) return;
      renumbered[i] = slugs.length;
      slugs.push(slug);
      hashes.push(this.hashes[i]!);
    });

    const lists = new Map<string, { articles: number[]; shares: number[] }>();
    const post = (lexeme: string, article: number, share: number) => {
      let list = lists.get(lexeme);
      if (!list) {
        list = { articles: [], shares: [] };
        lists.set(lexeme, list);
      }
      list.articles.push(article);
      list.shares.push(share);
    };
    for (const [lexeme, row] of this.rows) {
      for (let i = this.starts[row]!; i < this.starts[row + 1]!; i++) {
        const article = renumbered[this.articles[i]!]!;
        if (article >= 0) post(lexeme, article, this.shares[i]!);
      }
    }
    for (const article of add) {
      const id = slugs.length;
      slugs.push(article.slug);
      hashes.push(article.hash);
      for (const [lexeme, share] of lexemeShares(article.search)) post(lexeme, id, share);
    }
    this.slugs = slugs;
    this.hashes = hashes;
    this.pack(lists);
  }

  /** Lays the posting lists out one after the other in typed arrays (~12 bytes a posting). */
  private pack(lists: Map<string, { articles: number[]; shares: number[] }>): void {
    let total = 0;
    for (const list of lists.values()) total += list.articles.length;
    this.rows = new Map();
    this.starts = new Uint32Array(lists.size + 1);
    this.articles = new Uint32Array(total);
    this.shares = new Float64Array(total);
    let row = 0;
    for (const [lexeme, list] of lists) {
      this.rows.set(lexeme, row);
      this.articles.set(list.articles, this.starts[row]);
      this.shares.set(list.shares, this.starts[row]);
      this.starts[row + 1] = this.starts[row]! + list.articles.length;
      row++;
    }
  }

  /**
   * The `limit` best articles for a question, best first, scored by cover density over any of its
   * lexemes: among the articles with every lexeme of its English or of its Spanish form when there
   * are any (a member's question rarely shares every word with an article), else among those with
   * any. Scores are `float4`s as Postgres returns them; ties go to the first slug.
   */
  rank(query: AnalysedQuery, limit: number): { slug: string; score: number }[] {
    const english = new Set(query.english);
    const spanish = new Set(query.spanish);
    const count = this.slugs.length;
    const scores = new Float64Array(count);
    const englishFound = new Uint16Array(count);
    const spanishFound = new Uint16Array(count);
    for (const lexeme of new Set([...english, ...spanish])) {
      const row = this.rows.get(lexeme);
      if (row === undefined) continue;
      const inEnglish = english.has(lexeme);
      const inSpanish = spanish.has(lexeme);
      for (let i = this.starts[row]!; i < this.starts[row + 1]!; i++) {
        const article = this.articles[i]!;
        scores[article]! += this.shares[i]!;
        if (inEnglish) englishFound[article]! += 1;
        if (inSpanish) spanishFound[article]! += 1;
      }
    }
    const hasEveryWord = (article: number) =>
      (english.size > 0 && englishFound[article] === english.size) ||
      (spanish.size > 0 && spanishFound[article] === spanish.size);
    let everyWordOnly = false;
    for (let article = 0; article < count && !everyWordOnly; article++) everyWordOnly = hasEveryWord(article);

    const best: { slug: string; score: number }[] = [];
    for (let article = 0; article < count; article++) {
      if (!scores[article] || (everyWordOnly && !hasEveryWord(article))) continue;
      const hit = { slug: this.slugs[article]!, score: Math.fround(scores[article]!) };
      const last = best.at(-1);
      if (best.length === limit && last && !ranksBefore(hit, last)) continue;
      let at = best.length;
      while (at > 0 && ranksBefore(hit, best[at - 1]!)) at--;
      best.splice(at, 0, hit);
      if (best.length > limit) best.pop();
    }
    return best;
  }
}

function ranksBefore(a: { slug: string; score: number }, b: { slug: string; score: number }): boolean {
  return a.score > b.score || (a.score === b.score && a.slug < b.slug);
}
