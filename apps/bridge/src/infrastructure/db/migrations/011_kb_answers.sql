-- What the virtual agent answered each member question, and what the member did next: the
-- KB owner's gaps report (questions not answered, articles that did not help) reads this.
CREATE TABLE kb_answers (
  id bigserial PRIMARY KEY,
  -- The Studio flow's turn (the Conversation message) this answers: one answer per turn.
  turn_key text NOT NULL UNIQUE,
  conversation_sid text NOT NULL,
  discord_user_id text NOT NULL,
  question text NOT NULL,
  -- The language the answer was given in.
  language text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('answer', 'candidates', 'unsure')),
  confidence real NOT NULL,
  -- The best articles found, shown or not: [{"slug": …, "score": …}].
  candidates jsonb NOT NULL DEFAULT '[]',
  shown text[] NOT NULL DEFAULT '{}',
  feedback text CHECK (feedback IN ('helped', 'agent')),
  feedback_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_answers_created_idx ON kb_answers (created_at);
