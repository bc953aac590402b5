-- The KB's semantic stage (#27): article vectors from a sentence-embedding model, cached so a
-- restart or another instance does not embed the KB again. Keyed by the model and the hash of the
-- text embedded: an edited article has a new hash (embedded again), another model other rows.
-- The vector is its float32 values, little-endian, base64 (the same on Postgres and PGlite).
CREATE TABLE kb_vectors (
  model text NOT NULL,
  text_hash text NOT NULL,
  vector text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model, text_hash)
);
