import { z } from 'zod';
import type { TextEmbedder } from '../../domain/kb/semantic-stage.ts';

/** The response of an OpenAI-compatible `POST /v1/embeddings` (OpenAI, Azure OpenAI, Ollama, TEI). */
const EmbeddingsResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

export interface OpenAiEmbeddingsOptions {
  /** The endpoint, whole: `https://api.openai.com/v1/embeddings`, `http://localhost:11434/v1/embeddings`… */
  url: string;
  /** The model's name as the service knows it (`text-embedding-3-small`, `nomic-embed-text`…). */
  model: string;
  /** Sent as `Authorization: Bearer …` (as `api-key: …` to Azure OpenAI); never logged. */
  apiKey?: string | undefined;
  /** The languages the model reads; `any` for a multilingual model (the default). */
  languages?: TextEmbedder['languages'];
  /** Gives up on an article batch after this long (a question has the KB's own, shorter, timeout). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A brand's embeddings service, through the protocol most of them speak: `POST {url}` with
 * `{model, input: [...]}`, answered with `{data: [{index, embedding}]}`. The key stays in the
 * request headers: errors name the endpoint's host and the HTTP status, never the key.
 */
export class OpenAiEmbeddings implements TextEmbedder {
  readonly model: string;
  readonly languages: TextEmbedder['languages'];
  private readonly endpoint: URL;

  constructor(private readonly options: OpenAiEmbeddingsOptions) {
    this.endpoint = new URL(options.url);
    this.model = `${this.endpoint.host}/${options.model}`;
    this.languages = options.languages ?? 'any';
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) {
      if (this.endpoint.host.endsWith('.openai.azure.com')) headers['api-key'] = this.options.apiKey;
      else headers.authorization = `Bearer ${this.options.apiKey}`;
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const response = await (this.options.fetch ?? fetch)(this.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: this.options.model, input: texts, encoding_format: 'float' }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok)
      throw new Error(`embeddings service ${this.endpoint.host} answered HTTP ${response.status}`);
    const parsed = EmbeddingsResponseSchema.safeParse(await response.json());
    if (!parsed.success)
      throw new Error(`embeddings service ${this.endpoint.host} answered an unexpected body`);
    const vectors = new Array<Float32Array | undefined>(texts.length);
    for (const item of parsed.data.data)
      if (item.index < texts.length) vectors[item.index] = Float32Array.from(item.embedding);
    if (vectors.some((vector) => !vector))
      throw new Error(
        `embeddings service ${this.endpoint.host} returned ${parsed.data.data.length} of ${texts.length} vectors`,
      );
    return vectors as Float32Array[];
  }
}
