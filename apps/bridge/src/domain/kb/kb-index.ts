import { type KbLanguage, stem, tokenize } from './text-analysis.ts';

/** An article as the index takes it. */
export interface IndexableArticle {
  slug: string;
  hash: string;
  language: KbLanguage;
  title: string;
  /** Other names of the article and questions it answers, from its front matter. */
  aliases: string[];
  tags: string[];
  body: string;
}

/**
 * The fields an article is searched in, with how much a word found there counts (BM25F weights)
 * and how much the field's length discounts it (`b`). What names the article (title, aliases,
 * tags) says more than a word somewhere in its body.
 */
const FIELDS = [
  { name: 'title', weight: 3, b: 0.5 },
  { name: 'aliases', weight: 2.5, b: 0.5 },
  { name: 'tags', weight: 2, b: 0.3 },
  { name: 'headings', weight: 1.5, b: 0.5 },
  { name: 'body', weight: 1, b: 0.75 },
] as const;
const FIELD_COUNT = FIELDS.length;
/** Title, aliases and tags: a match there is evidence the article is *about* the word. */
export const NAMING_FIELDS = 0b111;
/** Headings name a part of the article: half that evidence. */
const HEADINGS = 0b1000;
const K1 = 1.2;

/** One way of reading one of the question's concepts: index terms (a bag, averaged) and how sure the reading is. */
export interface Expansion {
  terms: number[];
  weight: number;
  /** A phrase that only counts where the article has all of its terms (a synonym `packet loss`, not `loss`). */
  whole?: boolean;
  /** An identifier (an error code, a model number): wherever an article has it, the article is about it. */
  identifier?: boolean;
}

/** A thing the question says (a word or a phrase) and every way the index may hold it. */
export interface Concept {
  text: string;
  /** For a concept the index holds no reading of, how much it weighs against the question's coverage. */
  importance: number;
  /** A word of everyday language (`good`, `write`): a heading that has it is not about it. */
  everyday?: boolean;
  expansions: Expansion[];
}

/** An article found for a question, with the evidence the confidence is computed from. */
export interface RankedArticle {
  slug: string;
  language: KbLanguage;
  score: number;
  /** Share of the question's importance the article holds (0–1). */
  coverage: number;
  /** Share of the question's concepts the KB holds that the article's title, aliases or tags name (headings: half). */
  naming: number;
  /** Share of the question's importance in words the KB does not hold at all (the same for every article). */
  unknown: number;
  /**
   * With the semantic stage on: how far the article's meaning stands above the KB's typical
   * article for this question, in standard deviations (see `SemanticIndex.match`).
   */
  standing?: number;
}

/**
 * The KB's articles as a field-weighted BM25 (BM25F) inverted index over Snowball stems of each
 * article's language, kept in typed arrays: for each term, the articles holding it with its
 * length-normalised, field-weighted frequency and the fields it is in. Incremental: an update
 * keeps the unchanged articles' postings and re-analyses only the new ones; frequencies are
 * re-normalised on every update, as IDF and average field lengths move.
 */
export class KbIndex {
  private slugs: string[] = [];
  private hashes: string[] = [];
  private languages: KbLanguage[] = [];
  /** How many articles there are in each language. */
  private perLanguage: Record<KbLanguage, number> = { en: 0, es: 0 };
  private fieldLengths: number[] = [];
  private readonly termIds = new Map<string, number>();
  private terms: string[] = [];
  /** Postings of term `t` are `starts[t]` to `starts[t + 1]` of the arrays below, by article. */
  private starts = new Uint32Array(1);
  private docs = new Uint32Array(0);
  /** FIELD_COUNT counts (capped at 255) per posting: kept to re-normalise and merge on updates. */
  private counts = new Uint8Array(0);
  /** Each posting's saturated BM25F term frequency, `tf·(k1 + 1) / (k1 + tf)`. */
  private frequencies = new Float32Array(0);
  private fields = new Uint8Array(0);
  private idfs = new Float64Array(0);
  /** Folded surface words of the articles, with how many articles of each language hold them. */
  private readonly surface = new Map<string, { en: number; es: number }>();

  get size(): number {
    return this.slugs.length;
  }

  /** Slug → content hash of every article indexed. */
  indexed(): Map<string, string> {
    return new Map(this.slugs.map((slug, i) => [slug, this.hashes[i]!]));
  }

  slugOf(doc: number): string {
    return this.slugs[doc]!;
  }

  termId(term: string): number | undefined {
    const id = this.termIds.get(term);
    return id !== undefined && id < this.idfs.length && this.starts[id + 1]! > this.starts[id]!
      ? id
      : undefined;
  }

  termOf(id: number): string {
    return this.terms[id] ?? '?';
  }

  idf(term: number): number {
    return this.idfs[term] ?? 0;
  }

  /** The IDF of a term found in one article: the most a single word can tell. */
  get rarestIdf(): number {
    return idf(1, Math.max(1, this.size));
  }

  /** The articles' words, with in how many articles each is (for typo correction). */
  surfaceWords(): IterableIterator<[string, number]> {
    const words = this.surface.entries();
    return (function* () {
      for (const [word, counts] of words) yield [word, counts.en + counts.es] as [string, number];
    })();
  }

  /** The language a word is written in across the KB, when it is clearly one. */
  languageOfWord(word: string): KbLanguage | null {
    const counts = this.surface.get(word);
    if (!counts) return null;
    if (counts.es >= 2 * counts.en + 1) return 'es';
    if (counts.en >= 2 * counts.es + 1) return 'en';
    return null;
  }

  /** Keeps the articles in `keep` that are indexed already, (re)indexes `add`, drops the rest. */
  update(keep: ReadonlySet<string>, add: readonly IndexableArticle[]): void {
    const replaced = new Set(add.map((article) => article.slug));
    const renumbered = new Int32Array(this.slugs.length).fill(-1);
    const slugs: string[] = [];
    const hashes: string[] = [];
    const languages: KbLanguage[] = [];
    const lengths: number[] = [];
    this.slugs.forEach((slug, i) => {
      if (!keep.has(slug) || replaced.has(slug)) return;
      renumbered[i] = slugs.length;
      slugs.push(slug);
      hashes.push(this.hashes[i]!);
      languages.push(this.languages[i]!);
      for (let f = 0; f < FIELD_COUNT; f++) lengths.push(this.fieldLengths[i * FIELD_COUNT + f]!);
    });
    // The new articles' postings, by term id (new articles come after every kept one).
    const added = new Map<number, { docs: number[]; counts: number[] }>();
    for (const article of add) {
      const doc = slugs.length;
      slugs.push(article.slug);
      hashes.push(article.hash);
      languages.push(article.language);
      const { terms, fieldLengths } = this.analyse(article);
      lengths.push(...fieldLengths);
      for (const [term, counts] of terms) {
        const id = this.idOf(term);
        let postings = added.get(id);
        if (!postings) {
          postings = { docs: [], counts: [] };
          added.set(id, postings);
        }
        postings.docs.push(doc);
        for (const n of counts) postings.counts.push(Math.min(n, 255));
      }
    }
    // Kept postings renumbered, then the new ones, term by term, into fresh arrays.
    const termCount = this.terms.length;
    const oldTerms = this.starts.length - 1;
    let total = 0;
    for (let term = 0; term < oldTerms; term++)
      for (let i = this.starts[term]!; i < this.starts[term + 1]!; i++)
        if (renumbered[this.docs[i]!]! >= 0) total++;
    for (const postings of added.values()) total += postings.docs.length;
    const starts = new Uint32Array(termCount + 1);
    const docs = new Uint32Array(total);
    const counts = new Uint8Array(total * FIELD_COUNT);
    let at = 0;
    for (let term = 0; term < termCount; term++) {
      starts[term] = at;
      if (term < oldTerms) {
        for (let i = this.starts[term]!; i < this.starts[term + 1]!; i++) {
          const doc = renumbered[this.docs[i]!]!;
          if (doc < 0) continue;
          docs[at] = doc;
          counts.set(this.counts.subarray(i * FIELD_COUNT, (i + 1) * FIELD_COUNT), at * FIELD_COUNT);
          at++;
        }
      }
      const postings = added.get(term);
      if (postings) {
        docs.set(postings.docs, at);
        counts.set(postings.counts, at * FIELD_COUNT);
        at += postings.docs.length;
      }
    }
    starts[termCount] = at;
    this.starts = starts;
    this.docs = docs;
    this.counts = counts;
    this.slugs = slugs;
    this.hashes = hashes;
    this.languages = languages;
    this.perLanguage = { en: 0, es: 0 };
    for (const language of languages) this.perLanguage[language] += 1;
    this.fieldLengths = lengths;
    this.pack();
  }

  private idOf(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  /** An article's terms with their count in each field, and each field's length in terms. */
  private analyse(article: IndexableArticle): { terms: Map<string, number[]>; fieldLengths: number[] } {
    const { headings, text } = splitHeadings(article.body);
    const texts = [article.title, article.aliases.join('\n'), article.tags.join('\n'), headings, text];
    const terms = new Map<string, number[]>();
    const fieldLengths: number[] = [];
    const seen = new Set<string>();
    texts.forEach((fieldText, field) => {
      let length = 0;
      const count = (term: string) => {
        let counts = terms.get(term);
        if (!counts) {
          counts = new Array<number>(FIELD_COUNT).fill(0);
          terms.set(term, counts);
        }
        counts[field]! += 1;
        length++;
      };
      for (const token of tokenize(fieldText)) {
        if (!seen.has(token.word)) {
          seen.add(token.word);
          this.noteSurface(token.word, article.language);
          for (const part of token.parts ?? []) this.noteSurface(part, article.language);
        }
        if (token.stop) continue;
        count(stem(token.word, article.language));
        for (const part of token.parts ?? []) count(stem(part, article.language));
      }
      fieldLengths.push(length);
    });
    return { terms, fieldLengths };
  }

  private noteSurface(word: string, language: KbLanguage): void {
    let counts = this.surface.get(word);
    if (!counts) {
      counts = { en: 0, es: 0 };
      this.surface.set(word, counts);
    }
    counts[language] += 1;
  }

  /** Gives every posting its BM25F-normalised, saturated frequency and field mask, and every term its IDF. */
  private pack(): void {
    const count = this.slugs.length;
    const averages = FIELDS.map((_, f) => {
      let total = 0;
      for (let doc = 0; doc < count; doc++) total += this.fieldLengths[doc * FIELD_COUNT + f]!;
      return count ? Math.max(total / count, 1) : 1;
    });
    const total = this.docs.length;
    const termCount = this.starts.length - 1;
    this.frequencies = new Float32Array(total);
    this.fields = new Uint8Array(total);
    this.idfs = new Float64Array(termCount);
    for (let term = 0; term < termCount; term++) {
      this.idfs[term] = idf(this.starts[term + 1]! - this.starts[term]!, count);
      for (let i = this.starts[term]!; i < this.starts[term + 1]!; i++) {
        const doc = this.docs[i]!;
        let frequency = 0;
        let mask = 0;
        for (let f = 0; f < FIELD_COUNT; f++) {
          const n = this.counts[i * FIELD_COUNT + f]!;
          if (!n) continue;
          const { weight, b } = FIELDS[f]!;
          frequency +=
            (weight * n) / (1 - b + (b * this.fieldLengths[doc * FIELD_COUNT + f]!) / averages[f]!);
          mask |= 1 << f;
        }
        this.frequencies[i] = (frequency * (K1 + 1)) / (K1 + frequency);
        this.fields[i] = mask;
      }
    }
  }

  /**
   * Ranks the articles for a question's concepts. Each concept adds its best reading's BM25F
   * score (a bag of terms counts its terms' average), so synonyms and translations of one word do
   * not add up; the sum is then weighted by the share of the question the article covers (so an
   * article holding every concept beats one holding a frequent concept many times), by the share
   * its title, aliases and tags name, and by `languageBoost` for articles in the member's language.
   */
  rank(
    concepts: readonly Concept[],
    options: {
      limit: number;
      language: KbLanguage | null;
      languageBoost: number;
      coverageExponent: number;
      namingBoost: number;
    },
  ): RankedArticle[] {
    const count = this.slugs.length;
    if (!count) return [];
    const s = this.scratch(count);
    const {
      scores,
      covered,
      named,
      conceptScore,
      conceptCredit,
      conceptNamed,
      seen,
      touched,
      everTouched,
      ever,
    } = s;
    const { starts, docs, frequencies, fields, languages } = this;
    let everCount = 0;
    const importances: number[] = [];
    let unknown = 0;
    let unknownImportance = 0;
    for (const concept of concepts) {
      if (!concept.expansions.length) {
        unknown += 1;
        unknownImportance = Math.max(unknownImportance, concept.importance);
        continue;
      }
      let touchedCount = 0;
      const headingCredit = concept.everyday ? 0 : 0.5;
      for (const expansion of concept.expansions) {
        const weight = expansion.weight;
        if (expansion.terms.length === 1) {
          // One term: straight into the concept's best reading per article.
          const term = expansion.terms[0]!;
          const identifier = expansion.identifier === true;
          for (let i = starts[term]!, end = starts[term + 1]!; i < end; i++) {
            const doc = docs[i]!;
            if (!seen[doc]) {
              seen[doc] = 1;
              touched[touchedCount++] = doc;
            }
            const score = frequencies[i]! * weight;
            if (score > conceptScore[doc]!) conceptScore[doc] = score;
            if (weight > conceptCredit[doc]!) conceptCredit[doc] = weight;
            const field = fields[i]!;
            const naming =
              identifier || field & NAMING_FIELDS ? weight : field & HEADINGS ? headingCredit * weight : 0;
            if (naming > conceptNamed[doc]!) conceptNamed[doc] = naming;
          }
          continue;
        }
        touchedCount = this.rankBag(expansion, headingCredit, s, touchedCount);
      }
      // The concept's rarity: how common it is (any good reading of it) among the articles of the
      // language where it is most common. A Spanish word is in Spanish articles only, and a KB's
      // Spanish articles are often few: counted over all articles, the commonest Spanish verb
      // would look as rare as an error code.
      let foundEn = 0;
      let foundEs = 0;
      for (let t = 0; t < touchedCount; t++) {
        const doc = touched[t]!;
        if (conceptCredit[doc]! >= 0.5) {
          if (languages[doc] === 'en') foundEn++;
          else foundEs++;
        }
      }
      const share = Math.max(
        this.perLanguage.en ? foundEn / this.perLanguage.en : 0,
        this.perLanguage.es ? foundEs / this.perLanguage.es : 0,
      );
      const importance = idf(Math.max(share * count, foundEn + foundEs ? 1 : 0.5), count);
      importances.push(importance);
      for (let t = 0; t < touchedCount; t++) {
        const doc = touched[t]!;
        if (!ever[doc]) {
          ever[doc] = 1;
          everTouched[everCount++] = doc;
        }
        scores[doc]! += importance * conceptScore[doc]!;
        covered[doc]! += importance * Math.min(1, conceptCredit[doc]!);
        named[doc]! += Math.min(1, conceptNamed[doc]!);
        conceptScore[doc] = 0;
        conceptCredit[doc] = 0;
        conceptNamed[doc] = 0;
        seen[doc] = 0;
      }
    }
    // Words the KB does not hold count against every article, but a long message's many
    // unknown words (a story around the question) less than one each.
    const totalImportance =
      importances.reduce((sum, value) => sum + value, 0) + unknownImportance * Math.sqrt(unknown);
    const unknownShare = totalImportance ? (unknownImportance * Math.sqrt(unknown)) / totalImportance : 1;

    const best: RankedArticle[] = [];
    for (let t = 0; t < everCount; t++) {
      const doc = everTouched[t]!;
      const raw = scores[doc]!;
      const coverage = covered[doc]! / totalImportance;
      const naming = named[doc]! / importances.length;
      scores[doc] = 0;
      covered[doc] = 0;
      named[doc] = 0;
      ever[doc] = 0;
      if (!raw) continue;
      const boost = options.language && languages[doc] === options.language ? options.languageBoost : 1;
      const score = raw * coverage ** options.coverageExponent * (1 + options.namingBoost * naming) * boost;
      const last = best.at(-1);
      const slug = this.slugs[doc]!;
      if (
        best.length === options.limit &&
        last &&
        (score < last.score || (score === last.score && slug > last.slug))
      )
        continue;
      const hit: RankedArticle = {
        slug,
        language: languages[doc]!,
        score,
        coverage,
        naming,
        unknown: unknownShare,
      };
      let at = best.length;
      while (
        at > 0 &&
        (score > best[at - 1]!.score || (score === best[at - 1]!.score && slug < best[at - 1]!.slug))
      )
        at--;
      best.splice(at, 0, hit);
      if (best.length > options.limit) best.pop();
    }
    return best;
  }

  /** A reading of several terms (a phrase): its terms' average, and for a `whole` one only where all are. */
  private rankBag(
    expansion: Expansion,
    headingCredit: number,
    s: ReturnType<typeof newScratch>,
    touchedCount: number,
  ): number {
    const {
      bagScore,
      bagHits,
      bagNamed,
      bagSeen,
      bagTouched,
      conceptScore,
      conceptCredit,
      conceptNamed,
      seen,
      touched,
    } = s;
    const size = expansion.terms.length;
    let bagCount = 0;
    for (const term of expansion.terms) {
      for (let i = this.starts[term]!; i < this.starts[term + 1]!; i++) {
        const doc = this.docs[i]!;
        if (!bagSeen[doc]) {
          bagSeen[doc] = 1;
          bagTouched[bagCount++] = doc;
        }
        bagScore[doc]! += this.frequencies[i]! / size;
        bagHits[doc]! += 1 / size;
        const field = this.fields[i]!;
        if (expansion.identifier || field & NAMING_FIELDS) bagNamed[doc]! += 1 / size;
        else if (field & HEADINGS) bagNamed[doc]! += headingCredit / size;
      }
    }
    for (let b = 0; b < bagCount; b++) {
      const doc = bagTouched[b]!;
      const complete = !expansion.whole || bagHits[doc]! >= 0.999;
      if (complete) {
        if (!seen[doc]) {
          seen[doc] = 1;
          touched[touchedCount++] = doc;
        }
        conceptScore[doc] = Math.max(conceptScore[doc]!, bagScore[doc]! * expansion.weight);
        conceptCredit[doc] = Math.max(conceptCredit[doc]!, bagHits[doc]! * expansion.weight);
        conceptNamed[doc] = Math.max(conceptNamed[doc]!, bagNamed[doc]! * expansion.weight);
      }
      bagScore[doc] = 0;
      bagHits[doc] = 0;
      bagNamed[doc] = 0;
      bagSeen[doc] = 0;
    }
    return touchedCount;
  }

  /** Per-article working arrays for `rank`, reused (and left zeroed) from one search to the next. */
  private scratchArrays: ReturnType<typeof newScratch> | null = null;
  private scratch(count: number): ReturnType<typeof newScratch> {
    if (!this.scratchArrays || this.scratchArrays.scores.length !== count)
      this.scratchArrays = newScratch(count);
    return this.scratchArrays;
  }
}

function newScratch(count: number) {
  return {
    scores: new Float64Array(count),
    covered: new Float64Array(count),
    named: new Float64Array(count),
    conceptScore: new Float64Array(count),
    conceptCredit: new Float64Array(count),
    conceptNamed: new Float64Array(count),
    bagScore: new Float64Array(count),
    bagHits: new Float64Array(count),
    bagNamed: new Float64Array(count),
    seen: new Uint8Array(count),
    bagSeen: new Uint8Array(count),
    ever: new Uint8Array(count),
    touched: new Uint32Array(count),
    bagTouched: new Uint32Array(count),
    everTouched: new Uint32Array(count),
  };
}

/** BM25's IDF, never negative. */
function idf(documentFrequency: number, count: number): number {
  return Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** A Markdown body's headings (one a line) apart from the rest of its text. */
export function splitHeadings(body: string): { headings: string; text: string } {
  const headings: string[] = [];
  const text: string[] = [];
  for (const line of body.split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
    if (heading) headings.push(heading[1]!);
    else text.push(line);
  }
  return { headings: headings.join('\n'), text: text.join('\n') };
}
