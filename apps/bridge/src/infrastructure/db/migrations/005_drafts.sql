-- Forms a member submitted and the bridge refused (a /bug report that fails validation): kept so
-- "Edit report" reopens the form with what they typed. Until now these rode in processed_events.
CREATE TABLE IF NOT EXISTS drafts (
  key text PRIMARY KEY,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO drafts (key, data, created_at)
SELECT key, result, created_at FROM processed_events
WHERE key LIKE 'bug-draft:%' AND result IS NOT NULL
ON CONFLICT (key) DO NOTHING;

DELETE FROM processed_events WHERE key LIKE 'bug-draft:%';
