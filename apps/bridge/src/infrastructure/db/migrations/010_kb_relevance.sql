-- KB search ranks in memory with field-weighted BM25 over the articles' own fields (kb-index.ts),
-- no longer from a stored tsvector: the generated `search` column goes, and each article keeps
-- what its front matter adds (`aliases` and `questions`, as other names of the article).
ALTER TABLE kb_articles DROP COLUMN search;
ALTER TABLE kb_articles ADD COLUMN aliases text[] NOT NULL DEFAULT '{}';

-- The brand's vocabulary files beside the articles (synonyms.en.txt, synonyms.es.txt,
-- glossary.txt), mirrored like the articles so every bridge instance searches with the same.
CREATE TABLE kb_vocabulary (
  file text PRIMARY KEY,
  content text NOT NULL
);
