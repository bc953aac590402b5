import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import type { KbArticle, KbGapsReport, KbLearnedPhrasing, KbSearchHit } from '@flexcord/contracts';
import type { Database } from '../../infrastructure/db/database.ts';
import {
  articleBySlug,
  articleHashes,
  articlesChangedSince,
  bumpKbRevision,
  deleteArticles,
  kbRevision,
  lockKbRevision,
  vocabularyFiles as storedVocabularyFiles,
  syncVocabularyFiles,
  upsertArticles,
} from '../../infrastructure/db/kb-articles-repository.ts';
import {
  decidePhrasing,
  lastAnswerIn,
  type PhrasingRow,
  pendingPhrasings,
  proposePhrasing,
} from '../../infrastructure/db/kb-phrasings-repository.ts';
import { cachedVectors, cacheVectors } from '../../infrastructure/db/kb-vectors-repository.ts';
import { iso } from '../../infrastructure/db/rows.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import type { ArticleTranslator } from './article-translator.ts';
import { CANDIDATE_SCORE_SHARE, DECISION, decide, type KbOutcome } from './kb-confidence.ts';
import { gapsReport } from './kb-gaps.ts';
import { type IndexableArticle, KbIndex, type RankedArticle } from './kb-index.ts';
import {
  excerptOf,
  type KbLoadProblem,
  type LoadedArticle,
  loadArticles,
  loadVocabularyFiles,
  plainTextOf,
} from './load-articles.ts';
import { planQuery, type QueryPlan } from './query-plan.ts';
import {
  embeddablePieces,
  SEMANTIC,
  SemanticIndex,
  type SemanticMatch,
  type SemanticStage,
} from './semantic-stage.ts';
import { detectLanguage, type KbLanguage } from './text-analysis.ts';
import { TypoCorrector } from './typo-corrector.ts';
import { VOCABULARY_FILES, Vocabulary } from './vocabulary.ts';

/** The ranking's settings: one set for every KB (nothing here knows any KB's words). */
export const RANKING = {
  /** An article in the question's language ranks this much higher than one in the other. */
  languageBoost: 1.3,
  /** How much an article's share of the question weighs its score (0: not at all). */
  coverageExponent: 1,
  /** How much more an article whose title, aliases and tags name the whole question scores. */
  namingBoost: 1,
  /** A word neither the KB nor the vocabulary knows weighs this many IDFs of a word found once. */
  unknownWeight: 0.6,
  /** Articles ranked per question (candidates and what a non-answer records). */
  depth: 5,
  /**
   * An article found through its machine translation scores this share of what the same match in
   * the original would (the translation is rougher, and the original, where there is one, should
   * win). Chosen on the three held-out sets pooled with the dev set kept ≥ 0.93: 0.5, 0.7 and 0.9
   * give pooled held-out hit@1 0.742, 0.747 and 0.751, and dev 0.931, 0.925 and 0.919
   * (docs/kb-quality.md).
   */
  translationWeight: 0.5,
} as const;

/** The index's name for an article's machine translation into the other language. */
const TRANSLATED = '\u0000tr';

/** The KB's optional stages: none by default (the lexical engine alone). */
export interface KbStages {
  /** Indexes every article in the other language too (e.g. Debian's apertium-eng-spa). */
  translator?: ArticleTranslator | null;
  /** Overrides {@link RANKING.translationWeight} (for calibration). */
  translationWeight?: number;
  /** Ranks by meaning too: a sentence-embedding model (see semantic-stage.ts). */
  semantic?: SemanticStage | null;
  /** False ranks by the semantic stage alone (to measure it; the bot always ranks by words too). */
  lexical?: boolean;
}

/** The bot's answer to a question: what to show, in which language, and how sure it is. */
export interface KbAnswer {
  outcome: KbOutcome;
  confidence: number;
  /** The question's language as its words say, or null when they don't (then the member's locale decides). */
  language: KbLanguage | null;
  /** What the member is shown: one article, 2–3 candidates, or none. */
  hits: KbSearchHit[];
  /** The best articles found, shown or not, for the record of what was asked. */
  ranked: { slug: string; score: number }[];
}

/**
 * The knowledge base: Markdown files in a folder (and the brand's synonyms and glossary beside
 * them), mirrored into Postgres (`kb_articles`, `kb_vocabulary`) and searched in memory by
 * {@link KbIndex}: field-weighted BM25 over English and Spanish stems, with synonyms,
 * translations and typo corrections of the question's words ({@link planQuery}), and a
 * calibrated confidence deciding what the bot says ({@link decide}). Reloads when the folder
 * changes; every instance's index follows the tables through `kb_revision`.
 */
export class KbService {
  private watcher: FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly index = new KbIndex();
  private vocabulary = new Vocabulary();
  private corrector = new TypoCorrector();
  /** What a hit shows of each indexed article, kept with the index so a search reads nothing. */
  private readonly cards = new Map<string, Omit<KbSearchHit, 'score'>>();
  /** The `kb_revision` the index was synced at; null before the first sync. */
  private revision: string | null = null;
  private lastSync: Promise<void> = Promise.resolve();
  private queuedSync: Promise<void> | null = null;
  /** What the last reload could not load, for the KB owner. */
  problems: KbLoadProblem[] = [];
  /** Translations of article texts, by content hash and target language: a changed article alone is translated again. */
  private readonly translations = new Map<string, string>();
  /** Articles waiting for their translation, by slug; `translating` while the stage runs. */
  private readonly pendingTranslation = new Map<string, IndexableArticle>();
  private translating: Promise<void> | null = null;
  /** The semantic stage's article vectors; articles waiting for theirs; the stage's background run. */
  private readonly semanticIndex = new SemanticIndex();
  private readonly pendingEmbedding = new Map<string, IndexableArticle>();
  private embedding: Promise<void> | null = null;
  /** Each indexed article's language (for articles the semantic stage adds to the ranking). */
  private readonly languages = new Map<string, KbLanguage>();
  /** True while the embeddings service fails: said once in the log, and once when it is back. */
  private semanticDown = false;
  /** Articles whose embedding failed, tried again at a question at most every {@link EMBED_RETRY_MS}. */
  private readonly unembedded = new Map<string, IndexableArticle>();
  private lastEmbedFailure = 0;

  constructor(
    private readonly db: Database,
    private readonly dir: string,
    private readonly logger: Logger,
    private readonly stages: KbStages = {},
  ) {}

  /**
   * Loads the folder into the database (new and changed articles written, removed ones deleted,
   * unchanged ones skipped by their content hash; the vocabulary files likewise) and brings the
   * search index up to date.
   */
  async reload(): Promise<{ loaded: number; changed: number; removed: number; durationMs: number }> {
    const started = performance.now();
    const { articles, problems } = loadArticles(this.dir);
    const vocabularyFiles = loadVocabularyFiles(this.dir);
    const vocabularyProblems = new Vocabulary(vocabularyFiles).problems.filter(
      (problem) => problem.file in VOCABULARY_FILES,
    );
    this.problems = [
      ...problems,
      ...vocabularyProblems.map((problem) => ({
        file: problem.file,
        reason: `line ${problem.line}: ${problem.reason}`,
      })),
    ];
    for (const problem of this.problems) this.logger.warn(problem, 'KB file has a problem');
    const hashed = articles.map((article) => ({ ...article, hash: contentHash(article) }));
    const { changed, removed, revision } = await this.db.transaction(async (tx) => {
      const current = await lockKbRevision(tx);
      const stored = await articleHashes(tx);
      const changed = hashed.filter((article) => stored.get(article.slug) !== article.hash);
      await upsertArticles(tx, changed);
      const present = new Set(articles.map((article) => article.slug));
      const removed = [...stored.keys()].filter((slug) => !present.has(slug));
      const vocabularyChanged = await syncVocabularyFiles(tx, vocabularyFiles);
      if (!changed.length && !removed.length && !vocabularyChanged)
        return { changed: 0, removed: 0, revision: current };
      await deleteArticles(tx, removed);
      return { changed: changed.length, removed: removed.length, revision: await bumpKbRevision(tx) };
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
   * What the bot answers a member's question: the article when it is confident, 2–3 candidates
   * when it is not quite, nothing when it doesn't know (see {@link decide}).
   */
  async answer(question: string): Promise<KbAnswer> {
    const { ranked, language } = await this.rank(question);
    const decision = decide(ranked);
    return {
      outcome: decision.outcome,
      confidence: Number(decision.confidence.toFixed(4)),
      language,
      hits: this.hitsOf(decision.shown),
      ranked: ranked.map((hit) => ({ slug: hit.slug, score: Number(hit.score.toFixed(4)) })),
    };
  }

  /**
   * What an agent looking a question up is shown, decided as the bot's answer is ({@link decide}):
   * the one article when the bot would answer with it, the 2–3 candidates it would offer, and
   * when it isn't sure, the articles covering enough of the question that score near the first
   * (never a fixed top-N with unrelated articles under the right one).
   */
  async lookup(
    query: string,
    limit = 5,
  ): Promise<{ outcome: KbOutcome; confidence: number; results: KbSearchHit[] }> {
    const { ranked } = await this.rank(query, Math.max(limit, RANKING.depth));
    const decision = decide(ranked);
    const confidence = Number(decision.confidence.toFixed(4));
    if (decision.outcome !== 'unsure')
      return { outcome: decision.outcome, confidence, results: this.hitsOf(decision.shown.slice(0, limit)) };
    const first = ranked[0];
    if (!first || first.coverage < DECISION.minCoverage)
      return { outcome: 'unsure', confidence, results: [] };
    const near = ranked.filter(
      (hit) => hit.coverage >= DECISION.minCoverage && hit.score >= first.score * CANDIDATE_SCORE_SHARE,
    );
    return { outcome: 'unsure', confidence, results: this.hitsOf(near.slice(0, limit)) };
  }

  /**
   * Best articles for a question, in English or Spanish, for an agent looking them up: the
   * articles covering enough of the question, best first.
   */
  async search(query: string, limit = 3): Promise<KbSearchHit[]> {
    const { ranked } = await this.rank(query, Math.max(limit, RANKING.depth));
    const first = ranked[0];
    if (!first || first.coverage < DECISION.minCoverage) return [];
    return this.hitsOf(ranked.filter((hit) => hit.coverage >= DECISION.minCoverage).slice(0, limit));
  }

  /** The ranking behind an answer, for tools that study it (the evaluation's calibration). */
  async inspect(
    question: string,
  ): Promise<{ ranked: RankedArticle[]; language: KbLanguage | null; concepts: string[] }> {
    const { ranked, language, plan } = await this.rank(question);
    const concepts = plan.concepts.map(
      (concept) =>
        `${concept.text}: ${concept.expansions.map((e) => `${e.terms.map((t) => this.index.termOf(t)).join('+')}×${e.weight.toFixed(2)}`).join(' ') || '(unknown)'}`,
    );
    return { ranked, language, concepts };
  }

  /**
   * The KB's search over other texts (e.g. open bug reports a new report may repeat): the same
   * analysis, vocabulary, typo correction and BM25F ranking, over a throwaway index of `texts`.
   * Best first, with the share of the question each text covers and names in its title.
   */
  async rankTexts(
    question: string,
    texts: readonly { id: string; title: string; body: string }[],
    limit: number,
  ): Promise<{ id: string; score: number; coverage: number; naming: number }[]> {
    if (!texts.length) return [];
    const { rows } = await this.db.query<{ revision: string }>(
      'SELECT revision::text AS revision FROM kb_revision',
    );
    if (rows[0]?.revision !== this.revision) await this.sync();
    const index = new KbIndex();
    index.update(
      new Set(),
      texts.map((text) => ({
        slug: text.id,
        hash: '',
        language: detectLanguage(`${text.title} ${text.body}`) ?? 'en',
        title: text.title,
        aliases: [],
        tags: [],
        body: text.body,
      })),
    );
    const plan = planQuery(question, {
      index,
      vocabulary: this.vocabulary,
      corrector: new TypoCorrector(correctable(index, this.vocabulary)),
      unknownWeight: RANKING.unknownWeight,
    });
    return index
      .rank(plan.concepts, {
        limit,
        language: plan.language,
        languageBoost: RANKING.languageBoost,
        coverageExponent: RANKING.coverageExponent,
        namingBoost: RANKING.namingBoost,
      })
      .map(({ slug, score, coverage, naming }) => ({ id: slug, score, coverage, naming }));
  }

  /**
   * The KB owner's gaps report over the last `days` days (see {@link gapsReport}), with the
   * learned phrasings waiting for a decision.
   */
  async gaps(options: { days: number; limit: number }): Promise<KbGapsReport> {
    if ((await kbRevision(this.db)) !== this.revision) await this.sync();
    const [report, pending] = await Promise.all([
      gapsReport(this.db, {
        ...options,
        titleOf: (slug) => this.cards.get(slug)?.title ?? null,
        problems: this.problems,
      }),
      pendingPhrasings(this.db, options.limit),
    ]);
    return { ...report, learned: pending.map((row) => this.phrasingOf(row)) };
  }

  /**
   * An agent answered a chat with an article (the KB button) or marked it as the answer: when the
   * bot's last answer in that chat missed (nothing shown, candidates, another article first, or
   * the member asked for an agent), the question and the article are proposed as a learned
   * phrasing. It enters the index only once a supervisor approves it ({@link decidePhrasing}).
   */
  async proposePhrasing(input: {
    conversationSid: string;
    slug: string;
    source: 'kb_button' | 'marked';
    proposedBy: string;
  }): Promise<
    | { outcome: 'proposed'; phrasing: KbLearnedPhrasing }
    | { outcome: 'bot_answered' | 'no_question'; phrasing: null }
    | { outcome: 'no_article'; phrasing: null }
  > {
    if ((await kbRevision(this.db)) !== this.revision) await this.sync();
    if (!this.cards.has(input.slug)) return { outcome: 'no_article', phrasing: null };
    const last = await lastAnswerIn(this.db, input.conversationSid);
    if (!last) return { outcome: 'no_question', phrasing: null };
    const botAnswered =
      last.outcome === 'answer' && last.shown[0] === input.slug && last.feedback !== 'agent';
    if (botAnswered) return { outcome: 'bot_answered', phrasing: null };
    const row = await proposePhrasing(this.db, {
      question: last.question,
      slug: input.slug,
      language: last.language,
      source: input.source,
      conversationSid: input.conversationSid,
      answerId: last.id,
      proposedBy: input.proposedBy,
    });
    return { outcome: 'proposed', phrasing: this.phrasingOf(row) };
  }

  /**
   * A supervisor's decision on a learned phrasing: approve (it is indexed as another way to ask
   * for its article, on every instance at its next search), reject, or reassign it to another
   * article (approved for that one). Null when there is no such phrasing; `no_article` when the
   * reassignment names an article the KB does not have.
   */
  async decidePhrasing(
    id: string,
    decision: { action: 'approve' | 'reject' } | { action: 'reassign'; slug: string },
    decidedBy: string,
  ): Promise<KbLearnedPhrasing | 'no_article' | null> {
    if ((await kbRevision(this.db)) !== this.revision) await this.sync();
    if (decision.action === 'reassign' && !this.cards.has(decision.slug)) return 'no_article';
    const row = await this.db.transaction(async (tx) => {
      await lockKbRevision(tx);
      const decided = await decidePhrasing(tx, id, {
        status: decision.action === 'reject' ? 'rejected' : 'approved',
        ...(decision.action === 'reassign' ? { slug: decision.slug } : {}),
        decidedBy,
      });
      if (decided) await bumpKbRevision(tx);
      return decided;
    });
    if (!row) return null;
    await this.sync();
    return this.phrasingOf(row);
  }

  private phrasingOf(row: PhrasingRow): KbLearnedPhrasing {
    return {
      id: row.id,
      question: row.question,
      slug: row.slug,
      title: this.cards.get(row.slug)?.title ?? null,
      language: row.language,
      source: row.source,
      status: row.status,
      proposedBy: row.proposed_by,
      decidedBy: row.decided_by,
      createdAt: iso(row.created_at),
    };
  }

  async article(slug: string): Promise<KbArticle | null> {
    const row = await articleBySlug(this.db, slug);
    if (!row) return null;
    const { updated_at, ...article } = row;
    return { ...article, updatedAt: iso(updated_at) };
  }

  /** The ranked articles for a question, after making sure the index is at the tables' revision. */
  private async rank(
    question: string,
    depth: number = RANKING.depth,
  ): Promise<{ ranked: RankedArticle[]; language: KbLanguage | null; plan: QueryPlan }> {
    if ((await kbRevision(this.db)) !== this.revision) await this.sync();
    const plan = planQuery(question, {
      index: this.index,
      vocabulary: this.vocabulary,
      corrector: this.corrector,
      unknownWeight: RANKING.unknownWeight,
    });
    const translated = this.stages.translator ? 2 : 1;
    const ranked = this.index.rank(plan.concepts, {
      limit: depth * translated,
      language: plan.language,
      languageBoost: RANKING.languageBoost,
      coverageExponent: RANKING.coverageExponent,
      namingBoost: RANKING.namingBoost,
    });
    const lexical =
      this.stages.lexical === false && this.stages.semantic
        ? []
        : translated > 1
          ? mergeTranslations(ranked, depth, this.stages.translationWeight ?? RANKING.translationWeight)
          : ranked;
    const matches = await this.semanticMatches(question, plan.language);
    return {
      ranked: matches ? this.fuse(lexical, matches, depth) : lexical,
      language: plan.language,
      plan,
    };
  }

  /**
   * The question's closeness to every article, by the semantic stage; null without the stage, before
   * any article has its vectors, or when the question could not be embedded in time (then the
   * lexical engine answers alone, and the log says so once).
   */
  private async semanticMatches(
    question: string,
    language: KbLanguage | null,
  ): Promise<SemanticMatch[] | null> {
    const stage = this.stages.semantic;
    if (!stage) return null;
    if (
      this.unembedded.size &&
      !this.embedding &&
      Date.now() - this.lastEmbedFailure >= (stage.retryMs ?? EMBED_RETRY_MS)
    ) {
      const retry = [...this.unembedded.values()];
      this.unembedded.clear();
      this.embedLater(retry);
    }
    if (!this.semanticIndex.size) return null;
    const { embedder } = stage;
    try {
      const signal = AbortSignal.timeout(stage.queryTimeoutMs);
      let text = question;
      if (embedder.languages !== 'any' && language && !embedder.languages.includes(language)) {
        const to = embedder.languages[0];
        if (!to || !this.stages.translator) return null;
        text =
          (await withSignal(this.stages.translator.translate([question], language, to), signal))[0] ?? '';
        if (!text.trim()) return null;
      }
      const [vector] = await withSignal(embedder.embed([text], signal), signal);
      if (!vector) throw new Error('the embeddings service returned no vector');
      if (this.semanticDown) {
        this.semanticDown = false;
        this.logger.info({ model: embedder.model }, 'KB semantic stage is back');
      }
      return this.semanticIndex.match(vector);
    } catch (error) {
      if (!this.semanticDown) {
        this.semanticDown = true;
        this.logger.warn(
          { model: embedder.model, reason: error instanceof Error ? error.message : String(error) },
          'KB semantic stage unavailable; answering with the lexical engine until it is back',
        );
      }
      return null;
    }
  }

  /**
   * The lexical and semantic rankings combined: each article scores its lexical score scaled to the
   * best one's, plus {@link SEMANTIC.weight} times its semantic closeness (1 for the closest
   * article). The semantic stage's closest articles join the lexical ones (with no lexical evidence).
   */
  private fuse(
    lexical: readonly RankedArticle[],
    matches: readonly SemanticMatch[],
    depth: number,
  ): RankedArticle[] {
    const weight = this.stages.semantic?.weight ?? SEMANTIC.weight;
    const bySlug = new Map(matches.map((match) => [match.slug, match]));
    const top = lexical[0]?.score ?? 0;
    const unknown = lexical[0]?.unknown ?? 0;
    const fused = new Map<string, RankedArticle>();
    for (const hit of lexical) {
      const match = bySlug.get(hit.slug);
      fused.set(hit.slug, {
        ...hit,
        score: (top ? hit.score / top : 0) + weight * (match?.closeness ?? 0),
        standing: match?.standing ?? 0,
      });
    }
    for (const match of matches.slice(0, SEMANTIC.depth)) {
      if (fused.has(match.slug)) continue;
      fused.set(match.slug, {
        slug: match.slug,
        language: this.languages.get(match.slug) ?? 'en',
        score: weight * match.closeness,
        coverage: 0,
        naming: 0,
        unknown,
        standing: match.standing,
      });
    }
    return [...fused.values()]
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, depth);
  }

  /** Resolves once every article indexed so far has its vectors (at once without the semantic stage). */
  async semanticReady(): Promise<void> {
    await this.translationsReady();
    while (this.embedding) await this.embedding;
  }

  /** Queues `articles` whose vectors are not those of their current version for the background embedding. */
  private embedLater(articles: readonly IndexableArticle[]): void {
    const stage = this.stages.semantic;
    if (!stage) return;
    for (const article of articles)
      if (this.semanticIndex.hashOf(article.slug) !== article.hash)
        this.pendingEmbedding.set(article.slug, article);
    if (this.embedding || !this.pendingEmbedding.size) return;
    this.embedding = (async () => {
      // An English-only model reads a Spanish article through its translation: translations first.
      if (stage.embedder.languages !== 'any') await this.translationsReady();
      while (this.pendingEmbedding.size) {
        const batch = [...this.pendingEmbedding.values()];
        this.pendingEmbedding.clear();
        await this.embed(stage, batch);
      }
    })()
      .catch((error: unknown) => this.logger.error({ err: error }, 'KB semantic stage failed'))
      .finally(() => {
        this.embedding = null;
      });
  }

  /** Embeds `articles`' pieces (those not cached under the model), caches them, and indexes the vectors. */
  private async embed(stage: SemanticStage, articles: readonly IndexableArticle[]): Promise<void> {
    const { embedder } = stage;
    const piecesOf = (article: IndexableArticle): string[] => {
      const own = embeddablePieces(article);
      if (embedder.languages === 'any' || embedder.languages.includes(article.language)) return own;
      const to = embedder.languages[0];
      const text = to ? this.translations.get(`${article.hash}:${to}`) : undefined;
      if (!text) return [];
      const [title = '', , ...body] = text.split('\n\n');
      return embeddablePieces({ title, aliases: [], body: body.join('\n\n') });
    };
    const wanted = articles.map((article) => {
      const pieces = piecesOf(article);
      return { article, pieces, hashes: pieces.map((piece) => textHash(piece)) };
    });
    const started = performance.now();
    const cached = await cachedVectors(
      this.db,
      embedder.model,
      wanted.flatMap((entry) => entry.hashes),
    );
    const missing = new Map<string, string>();
    for (const entry of wanted)
      entry.pieces.forEach((piece, i) => {
        if (!cached.has(entry.hashes[i]!)) missing.set(entry.hashes[i]!, piece);
      });
    const fresh = new Map<string, Float32Array>();
    const texts = [...missing];
    try {
      for (let i = 0; i < texts.length; i += EMBED_BATCH) {
        const batch = texts.slice(i, i + EMBED_BATCH);
        const vectors = await embedder.embed(batch.map(([, text]) => text));
        batch.forEach(([hash], k) => {
          const vector = vectors[k];
          if (vector) fresh.set(hash, vector);
        });
      }
    } catch (error) {
      this.lastEmbedFailure = Date.now();
      for (const article of articles) this.unembedded.set(article.slug, article);
      this.logger.warn(
        { model: embedder.model, reason: error instanceof Error ? error.message : String(error) },
        'KB articles could not be embedded; they are searched by their words only until a retry succeeds',
      );
    }
    if (fresh.size) await cacheVectors(this.db, embedder.model, fresh);
    const indexed = this.index.indexed();
    for (const { article, hashes } of wanted) {
      if (indexed.get(article.slug) !== article.hash) continue;
      const vectors = hashes.flatMap((hash) => {
        const vector = cached.get(hash) ?? fresh.get(hash);
        return vector ? [vector] : [];
      });
      if (vectors.length === hashes.length && vectors.length)
        this.semanticIndex.set(article.slug, { hash: article.hash, vectors });
    }
    this.logger.info(
      {
        model: embedder.model,
        articles: articles.length,
        cached: cached.size,
        embedded: fresh.size,
        durationMs: Math.round(performance.now() - started),
      },
      'KB articles embedded',
    );
  }

  /**
   * Resolves once every article indexed so far has its translation indexed too (at once without a
   * translator). Translation runs in the background, so a start or reload never waits for it.
   */
  async translationsReady(): Promise<void> {
    while (this.translating) await this.translating;
  }

  /** The other-language versions of `articles` whose translation is known (translated before). */
  private translatedDocs(articles: readonly IndexableArticle[]): IndexableArticle[] {
    const added: IndexableArticle[] = [];
    for (const article of articles) {
      const to: KbLanguage = article.language === 'en' ? 'es' : 'en';
      const text = this.translations.get(`${article.hash}:${to}`);
      if (!text) continue;
      const [title = '', tags = '', ...body] = text.split('\n\n');
      added.push({
        slug: `${article.slug}${TRANSLATED}`,
        hash: `${article.hash}:${to}`,
        language: to,
        title,
        aliases: [],
        tags: tags && tags !== '-' ? tags.split(/\s*;\s*/) : [],
        body: body.join('\n\n'),
      });
    }
    return added;
  }

  /** Queues `articles` without a known translation for the background translation. */
  private translateLater(articles: readonly IndexableArticle[]): void {
    const translator = this.stages.translator;
    if (!translator) return;
    for (const article of articles) {
      const to = article.language === 'en' ? 'es' : 'en';
      if (!this.translations.has(`${article.hash}:${to}`)) this.pendingTranslation.set(article.slug, article);
    }
    if (this.translating || !this.pendingTranslation.size) return;
    this.translating = (async () => {
      while (this.pendingTranslation.size) {
        const batch = [...this.pendingTranslation.values()];
        this.pendingTranslation.clear();
        await this.translate(translator, batch);
        // In the sync chain, so the index is never updated by two paths at once.
        const applied = this.lastSync.then(() => this.indexTranslations(batch));
        this.lastSync = applied.catch(() => undefined);
        await applied;
      }
    })()
      .catch((error: unknown) => this.logger.error({ err: error }, 'KB translation stage failed'))
      .finally(() => {
        this.translating = null;
      });
  }

  /** Translates `articles` into the other language (into the cache); a failure is logged, the articles stay searchable in their own. */
  private async translate(
    translator: ArticleTranslator,
    articles: readonly IndexableArticle[],
  ): Promise<void> {
    for (const from of ['en', 'es'] as const) {
      const to: KbLanguage = from === 'en' ? 'es' : 'en';
      const missing = articles.filter(
        (article) => article.language === from && !this.translations.has(`${article.hash}:${to}`),
      );
      if (!missing.length) continue;
      const started = performance.now();
      try {
        const texts = await translator.translate(
          missing.map((article) => translatable(article)),
          from,
          to,
        );
        missing.forEach((article, i) => {
          this.translations.set(`${article.hash}:${to}`, texts[i] ?? '');
        });
        this.logger.info(
          {
            translator: translator.name,
            articles: missing.length,
            from,
            to,
            durationMs: Math.round(performance.now() - started),
          },
          'KB articles translated',
        );
      } catch (error) {
        this.logger.warn(
          { err: error, translator: translator.name },
          'KB translation failed; those articles are searched in their own language only',
        );
      }
    }
  }

  /** Adds the translations of `articles` that are still the indexed version to the index. */
  private indexTranslations(articles: readonly IndexableArticle[]): void {
    const indexed = this.index.indexed();
    const docs = this.translatedDocs(
      articles.filter((article) => indexed.get(article.slug) === article.hash),
    );
    if (!docs.length) return;
    this.index.update(new Set(indexed.keys()), docs);
    this.corrector = new TypoCorrector(correctable(this.index, this.vocabulary));
  }

  private hitsOf(ranked: readonly RankedArticle[]): KbSearchHit[] {
    return ranked.flatMap((hit) => {
      const card = this.cards.get(hit.slug);
      return card ? [{ ...card, score: Number(hit.score.toFixed(4)) }] : [];
    });
  }

  /** Syncs the index with the tables after any sync under way; callers waiting for the next one share it. */
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

  /** Re-indexes the articles whose hash differs from the indexed one, drops the removed ones, reads the vocabulary. */
  private async syncNow(): Promise<void> {
    // The revision first: a reload committing in between only makes the next search sync again.
    const revision = await kbRevision(this.db);
    const indexed = this.index.indexed();
    const originals = new Map([...indexed].filter(([slug]) => !slug.endsWith(TRANSLATED)));
    const rows = await articlesChangedSince(this.db, originals);
    const vocabularyFiles = await storedVocabularyFiles(this.db);
    const present = new Set(rows.map((row) => row.slug));
    const changed: IndexableArticle[] = [];
    for (const row of rows) {
      if (row.changed === null) continue;
      const { slug, title, url, tags, aliases, body } = row;
      const language: KbLanguage = row.language === 'es' ? 'es' : 'en';
      changed.push({ slug, hash: row.content_hash, language, title, aliases, tags, body });
      this.languages.set(slug, language);
      this.cards.set(slug, { slug, title, url, tags, excerpt: url ? excerptOf(body) : plainTextOf(body) });
    }
    for (const slug of this.cards.keys()) if (!present.has(slug)) this.cards.delete(slug);
    const translated = this.translatedDocs(changed);
    // A changed article's old translation goes; an unchanged one's stays.
    const keep = new Set(present);
    const changedSlugs = new Set(changed.map((article) => article.slug));
    for (const slug of present) if (!changedSlugs.has(slug)) keep.add(`${slug}${TRANSLATED}`);
    if (changed.length || [...indexed.keys()].some((slug) => !keep.has(slug)))
      this.index.update(keep, [...changed, ...translated]);
    this.vocabulary = new Vocabulary(vocabularyFiles);
    this.corrector = new TypoCorrector(correctable(this.index, this.vocabulary));
    this.revision = revision;
    this.translateLater(changed);
    for (const slug of this.languages.keys()) if (!present.has(slug)) this.languages.delete(slug);
    this.semanticIndex.retain(present);
    this.embedLater(changed);
  }
}

/** Texts per request to the embeddings model. */
const EMBED_BATCH = 64;
/** How long after a failed article embedding a question may trigger another try. */
const EMBED_RETRY_MS = 30_000;

/** The key a piece of text's vector is cached under (with the model's name). */
function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** `promise`, or a rejection as soon as `signal` aborts (for work that cannot be cancelled). */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** An article's text as the translator gets it: title, tags and body, one paragraph each. */
function translatable(article: IndexableArticle): string {
  const line = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  const body = article.body
    .split(/\n\s*\n/)
    .map((paragraph) => line(paragraph.replace(/[*_`>]/g, '')))
    .filter(Boolean);
  return [line(article.title), article.tags.map(line).join(' ; ') || '-', ...body].join('\n\n');
}

/**
 * One entry per article, best first: where an article was found both in its own words and
 * through its translation, the better-scoring reading counts (a translation's score weighed by
 * {@link RANKING.translationWeight}).
 */
function mergeTranslations(ranked: readonly RankedArticle[], depth: number, weight: number): RankedArticle[] {
  const best = new Map<string, RankedArticle>();
  for (const hit of ranked) {
    const translated = hit.slug.endsWith(TRANSLATED);
    const slug = translated ? hit.slug.slice(0, -TRANSLATED.length) : hit.slug;
    const reading = translated ? { ...hit, slug, score: hit.score * weight } : hit;
    const known = best.get(slug);
    if (!known || reading.score > known.score) best.set(slug, reading);
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, depth);
}

/** The words a typo may be corrected to: the KB's, and the vocabulary's (counted as rare). */
function* correctable(index: KbIndex, vocabulary: Vocabulary): Generator<[string, number]> {
  const seen = new Set<string>();
  for (const entry of index.surfaceWords()) {
    seen.add(entry[0]);
    yield entry;
  }
  for (const word of vocabulary.words()) if (!seen.has(word)) yield [word, 0];
}

/** What a reload writes of an article, hashed: a file touched but not edited is not rewritten. */
function contentHash(article: LoadedArticle): string {
  const { title, url, tags, aliases, language, body } = article;
  return createHash('sha256')
    .update(JSON.stringify([title, url, tags, aliases, language, body]))
    .digest('base64url');
}
