-- Learned phrasings (#27): a question the bot missed, paired with the article an agent answered it
-- with (the KB button) or marked as the answer. A supervisor approves, rejects or reassigns it in
-- the gaps report; an approved one is indexed as another way to ask for its article.
CREATE TABLE kb_learned_phrasings (
  id bigserial PRIMARY KEY,
  question text NOT NULL,
  slug text NOT NULL,
  language text NOT NULL,
  source text NOT NULL CHECK (source IN ('kb_button', 'marked')),
  conversation_sid text,
  answer_id bigint REFERENCES kb_answers (id) ON DELETE SET NULL,
  proposed_by text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One proposal per question and article: the same pair proposed again is the same row.
CREATE UNIQUE INDEX kb_learned_phrasings_pair_idx ON kb_learned_phrasings (lower(question), slug);
CREATE INDEX kb_learned_phrasings_approved_idx ON kb_learned_phrasings (slug) WHERE status = 'approved';
