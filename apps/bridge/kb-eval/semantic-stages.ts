/**
 * The semantic stage's engines for the evaluation: the offline model (USE lite), memoised so the
 * same text is embedded once per process, and the translation stage memoised likewise.
 */
import { UseLiteEmbedder } from '../src/adapters/embeddings/use-lite-embedder.ts';
import { ApertiumTranslator, type ArticleTranslator } from '../src/domain/kb/article-translator.ts';
import type { TextEmbedder } from '../src/domain/kb/semantic-stage.ts';
import type { KbLanguage } from '../src/domain/kb/text-analysis.ts';

class MemoEmbedder implements TextEmbedder {
  readonly model: string;
  readonly languages: TextEmbedder['languages'];
  private readonly memo = new Map<string, Float32Array>();
  constructor(private readonly inner: TextEmbedder) {
    this.model = inner.model;
    this.languages = inner.languages;
  }
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((text) => !this.memo.has(text)))];
    if (missing.length) {
      const vectors = await this.inner.embed(missing, signal);
      missing.forEach((text, i) => {
        this.memo.set(text, vectors[i]!);
      });
    }
    return texts.map((text) => this.memo.get(text)!);
  }
}

class MemoTranslator implements ArticleTranslator {
  readonly name: string;
  private readonly memo = new Map<string, string>();
  constructor(private readonly inner: ArticleTranslator) {
    this.name = inner.name;
  }
  async translate(texts: readonly string[], from: KbLanguage, to: KbLanguage): Promise<string[]> {
    const key = (text: string) => `${from}>${to}:${text}`;
    const missing = [...new Set(texts.filter((text) => !this.memo.has(key(text))))];
    if (missing.length) {
      const out = await this.inner.translate(missing, from, to);
      missing.forEach((text, i) => {
        this.memo.set(key(text), out[i] ?? '');
      });
    }
    return texts.map((text) => this.memo.get(key(text)) ?? '');
  }
}

let embedder: MemoEmbedder | null = null;
let translator: MemoTranslator | null = null;

/** The offline semantic model, shared by every engine of a run (null when its packages are missing). */
export function useLite(): TextEmbedder | null {
  if (!UseLiteEmbedder.available()) return null;
  embedder ??= new MemoEmbedder(new UseLiteEmbedder());
  return embedder;
}

/** Apertium, shared and memoised (null when not installed). */
export function apertium(): ArticleTranslator | null {
  if (!ApertiumTranslator.available()) return null;
  translator ??= new MemoTranslator(new ApertiumTranslator());
  return translator;
}
