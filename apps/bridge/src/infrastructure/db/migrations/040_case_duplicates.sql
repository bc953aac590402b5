-- Duplicates and extra reporters. A report marked a duplicate of another points at it
-- (`duplicate_of`, always an original: chains are kept one deep) and is closed; its reporters are
-- counted on the original. `reports` is how many members reported a case: its own reporter plus
-- the rows of `case_reporters` (reporters of its duplicates, members who added themselves from
-- "Is it one of these?"), one per member.
ALTER TABLE cases ADD COLUMN duplicate_of integer REFERENCES cases (number);
ALTER TABLE cases ADD COLUMN reports integer NOT NULL DEFAULT 1;
CREATE INDEX cases_duplicate_of_idx ON cases (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE TABLE case_reporters (
  case_number integer NOT NULL REFERENCES cases (number),
  discord_user_id text NOT NULL REFERENCES members (discord_user_id),
  -- `duplicate`: reporter of a case merged into this one; `joined`: added themselves.
  via text NOT NULL CHECK (via IN ('duplicate', 'joined')),
  from_case integer REFERENCES cases (number),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_number, discord_user_id)
);

-- "Is it one of these?": the newest open bug reports, read before a /bug is filed.
CREATE INDEX cases_open_bugs_idx ON cases (created_at DESC, number DESC)
  WHERE type = 'bug' AND status = 'open' AND duplicate_of IS NULL;
