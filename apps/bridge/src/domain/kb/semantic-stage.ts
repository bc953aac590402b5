import type { KbLanguage } from './text-analysis.ts';

/**
 * Turns texts into vectors whose cosine says how close their meanings are (a sentence-embedding
 * model). The KB's semantic stage embeds every article once (vectors cached by text and model) and
 * each question when it is asked. Implementations live in the adapters: an OpenAI-compatible
 * `/v1/embeddings` endpoint, or a model shipped inside an npm package.
 */
export interface TextEmbedder {
  /** The model's identity: vectors cached under another model are never mixed with this one's. */
  readonly model: string;
  /**
   * The languages the model reads. A model that reads English only (`['en']`) is given the English
   * translation of a Spanish article and of a Spanish question (the translation stage's).
   */
  readonly languages: readonly KbLanguage[] | 'any';
  /** One vector per text, in order. Rejects on failure or when `signal` aborts. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** Where article vectors are kept between restarts: by model and the hash of the text embedded. */
export interface VectorCache {
  get(model: string, hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  put(model: string, vectors: ReadonlyMap<string, Float32Array>): Promise<void>;
}

/** The semantic stage's settings (`KbStages.semantic`). */
export interface SemanticStage {
  embedder: TextEmbedder;
  /** A question's embedding that takes longer than this is given up: the lexical engine answers alone. */
  queryTimeoutMs: number;
  /** Overrides {@link SEMANTIC.weight} (for calibration). */
  weight?: number;
  /** After articles failed to embed, a question tries again once this long has passed (ms; default 30 s). */
  retryMs?: number;
}

/** The semantic stage's settings that the combination uses (docs/kb-quality.md says how they were chosen). */
export const SEMANTIC = {
  /**
   * How much an article's semantic closeness adds to its lexical score (both scaled to the best
   * article's: 1 for the closest): `lexical / best lexical + weight · closeness`. Chosen on the dev
   * set (`kb:tune-semantic`): 0.25, 0.5, 1 and 2 gave dev hit@1 0.944, 0.938, 0.938 and 0.850.
   */
  weight: 0.25,
  /** Articles the semantic stage adds to the lexical ones, closest first. */
  depth: 5,
  /** Characters of an article's body embedded with its title (a sentence model reads the start best). */
  bodyChars: 600,
} as const;

/** One article's pieces as embedded: its title, each alias or question, and its title with the start of its body. */
export function embeddablePieces(article: {
  title: string;
  aliases: readonly string[];
  body: string;
}): string[] {
  const body = article.body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/[#*_`>[\]()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [article.title, ...article.aliases, `${article.title}. ${body.slice(0, SEMANTIC.bodyChars)}`].filter(
    (piece) => piece.trim(),
  );
}

/** The closeness of one article to a question, with where it stands among all articles. */
export interface SemanticMatch {
  slug: string;
  /** The best cosine of the question with one of the article's pieces. */
  similarity: number;
  /**
   * How far above the KB's typical article it is, in standard deviations of the question's
   * similarities to every article: comparable across models, whose cosines run on different scales.
   */
  standing: number;
  /** 1 for the closest article, 0 for an article at the mean or below (the closeness the ranking adds). */
  closeness: number;
}

/**
 * The articles' vectors in memory (one Float32Array of unit vectors, several per article), scanned
 * whole for a question: at 1,000 articles and ~4 pieces each, 4,000 dot products of 512 floats.
 */
export class SemanticIndex {
  private slugs: string[] = [];
  private rows: number[] = [];
  private matrix = new Float32Array(0);
  private dimensions = 0;
  private readonly pieces = new Map<string, { hash: string; vectors: Float32Array[] }>();

  get size(): number {
    return this.pieces.size;
  }

  /** The content hash each article's vectors were made for. */
  hashOf(slug: string): string | undefined {
    return this.pieces.get(slug)?.hash;
  }

  /** Sets the vectors of `slug` (made for its version `hash`), or removes it with null. */
  set(slug: string, entry: { hash: string; vectors: Float32Array[] } | null): void {
    if (entry) this.pieces.set(slug, { hash: entry.hash, vectors: entry.vectors.map(unit) });
    else this.pieces.delete(slug);
    this.dirty = true;
  }

  /** Drops every article not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const slug of this.pieces.keys()) if (!keep.has(slug)) this.set(slug, null);
  }

  private dirty = false;

  private pack(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const entries = [...this.pieces].filter(([, entry]) => entry.vectors.length);
    this.dimensions = entries[0]?.[1].vectors[0]?.length ?? 0;
    const total = entries.reduce((sum, [, entry]) => sum + entry.vectors.length, 0);
    this.matrix = new Float32Array(total * this.dimensions);
    this.slugs = entries.map(([slug]) => slug);
    this.rows = [];
    let row = 0;
    entries.forEach(([, entry], article) => {
      for (const vector of entry.vectors) {
        if (vector.length === this.dimensions) this.matrix.set(vector, row * this.dimensions);
        this.rows.push(article);
        row++;
      }
    });
  }

  /** Every article's closeness to the question's vector, closest first. */
  match(query: Float32Array): SemanticMatch[] {
    this.pack();
    if (!this.slugs.length || query.length !== this.dimensions) return [];
    const q = unit(query);
    const best = new Float64Array(this.slugs.length).fill(-1);
    const d = this.dimensions;
    for (let row = 0; row < this.rows.length; row++) {
      let dot = 0;
      const offset = row * d;
      for (let i = 0; i < d; i++) dot += this.matrix[offset + i]! * q[i]!;
      const article = this.rows[row]!;
      if (dot > best[article]!) best[article] = dot;
    }
    let sum = 0;
    let squares = 0;
    for (const value of best) {
      sum += value;
      squares += value * value;
    }
    const n = best.length;
    const mean = sum / n;
    const deviation = Math.sqrt(Math.max(1e-9, squares / n - mean * mean));
    const top = Math.max(...best);
    return this.slugs
      .map((slug, i) => ({
        slug,
        similarity: best[i]!,
        standing: (best[i]! - mean) / deviation,
        closeness: top > mean ? Math.max(0, (best[i]! - mean) / (top - mean)) : 0,
      }))
      .sort((a, b) => b.similarity - a.similarity);
  }
}

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (!norm || Math.abs(norm - 1) < 1e-6) return vector;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}
