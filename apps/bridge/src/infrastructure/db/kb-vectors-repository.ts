import type { Sql } from './database.ts';

/** Vectors per insert statement. */
const BATCH = 500;

/** The cached vectors of `model` for the texts whose hashes are `hashes` (those it has). */
export async function cachedVectors(
  sql: Sql,
  model: string,
  hashes: readonly string[],
): Promise<Map<string, Float32Array>> {
  if (!hashes.length) return new Map();
  const { rows } = await sql.query<{ text_hash: string; vector: string }>(
    'SELECT text_hash, vector FROM kb_vectors WHERE model = $1 AND text_hash = ANY($2::text[])',
    [model, hashes],
  );
  return new Map(rows.map((row) => [row.text_hash, decodeVector(row.vector)]));
}

/** Keeps `vectors` (text hash → vector) of `model`; a vector already kept stays as it is. */
export async function cacheVectors(
  sql: Sql,
  model: string,
  vectors: ReadonlyMap<string, Float32Array>,
): Promise<void> {
  const entries = [...vectors];
  for (let i = 0; i < entries.length; i += BATCH) {
    const batch = entries.slice(i, i + BATCH);
    await sql.query(
      `INSERT INTO kb_vectors (model, text_hash, vector)
       SELECT $1, h, v FROM unnest($2::text[], $3::text[]) AS t (h, v)
       ON CONFLICT (model, text_hash) DO NOTHING`,
      [model, batch.map(([hash]) => hash), batch.map(([, vector]) => encodeVector(vector))],
    );
  }
}

export function encodeVector(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes.toString('base64');
}

export function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}
