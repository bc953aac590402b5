-- KB search ranks in memory (kb-index.ts) from each article's stored `search` vector: Postgres
-- still normalises the articles and the questions (English and Spanish stemming and stop words),
-- but no longer ranks thousands of matching vectors per question, so the GIN index goes.
DROP INDEX kb_articles_search_idx;

-- A hash of what a reload writes (title, URL, tags, language, body): unchanged articles are
-- skipped without being sent. Rows from before this migration have none and are rewritten once.
ALTER TABLE kb_articles ADD COLUMN content_hash text NOT NULL DEFAULT '';

-- Moves on every reload that changes an article: each bridge instance keeps its search index in
-- memory and re-reads the articles that changed when it sees a new revision. Reloads lock this
-- row, so instances reloading at once take turns.
CREATE TABLE kb_revision (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  revision bigint NOT NULL DEFAULT 0
);
INSERT INTO kb_revision DEFAULT VALUES;
