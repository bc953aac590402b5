-- Members' +1s on feature requests: one per member and request (the primary key), counted on the
-- case so the Cases view sorts by it on an index.
CREATE TABLE case_votes (
  case_number integer NOT NULL REFERENCES cases (number),
  discord_user_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_number, discord_user_id)
);
ALTER TABLE cases ADD COLUMN votes integer NOT NULL DEFAULT 0;
CREATE INDEX cases_votes_idx ON cases (votes DESC, number DESC);
