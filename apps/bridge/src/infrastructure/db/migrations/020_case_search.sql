-- The case desk: every case listed, filtered, sorted and searched from the Flex plugin, fast at
-- 100,000 cases.
--
-- Search: a stored tsvector over the subject (A), the report's fields (B) and the internal notes (C),
-- with the `simple` configuration (no stemming, no stop words: English and Spanish reports alike;
-- queries match word prefixes, so "crash" finds "crashes"), over text folded to lower case without
-- accents by translate(). unaccent() is not used: it is not immutable (a generated column cannot
-- call it) and PGlite only has it as a contrib extension loaded at start.
-- Notes live in case_events; `notes_text` keeps their words on the case for the index.
ALTER TABLE cases ADD COLUMN notes_text text NOT NULL DEFAULT '';

ALTER TABLE cases ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', translate(lower(subject),
    'áàâäãåéèêëíìîïóòôöõúùûüñçýÿœæ', 'aaaaaaeeeeiiiiooooouuuuncyyoa')), 'A') ||
  setweight(to_tsvector('simple', translate(lower(
    coalesce(details->>'whatHappened', '') || ' ' || coalesce(details->>'steps', '') || ' ' ||
    coalesce(details->>'expectedVsActual', '') || ' ' || coalesce(details->>'description', '') || ' ' ||
    coalesce(details->>'whyItMatters', '') || ' ' || coalesce(details->>'topic', '')),
    'áàâäãåéèêëíìîïóòôöõúùûüñçýÿœæ', 'aaaaaaeeeeiiiiooooouuuuncyyoa')), 'B') ||
  setweight(to_tsvector('simple', translate(lower(notes_text),
    'áàâäãåéèêëíìîïóòôöõúùûüñçýÿœæ', 'aaaaaaeeeeiiiiooooouuuuncyyoa')), 'C')
) STORED;
CREATE INDEX cases_search_idx ON cases USING gin (search);

-- Priority as a number, so "most urgent first" is an index scan.
ALTER TABLE cases ADD COLUMN priority_rank smallint GENERATED ALWAYS AS (
  CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END
) STORED;

-- Each sort is keyset-paginated on (key, number): one index per sort, and the common filters
-- (type and status) lead a second one for the default order.
CREATE INDEX cases_updated_idx ON cases (updated_at DESC, number DESC);
CREATE INDEX cases_created_idx ON cases (created_at, number);
CREATE INDEX cases_priority_idx ON cases (priority_rank DESC, number DESC);
CREATE INDEX cases_type_status_updated_idx ON cases (type, status, updated_at DESC, number DESC);
CREATE INDEX cases_assignee_updated_idx ON cases (assignee, updated_at DESC, number DESC);
