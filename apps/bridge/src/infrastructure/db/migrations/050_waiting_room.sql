-- Waiting for a person: a chat whose request came outside the support hours waits in `after_hours`
-- until the team is back; a queued chat remembers the last queue position the member was told, and
-- when, so the notices change only when the position does and come at most every so often.
ALTER TABLE conversations DROP CONSTRAINT IF EXISTS conversations_phase_check;
ALTER TABLE conversations ADD CONSTRAINT conversations_phase_check
  CHECK (phase IN ('bot', 'handover', 'after_hours', 'queued', 'agent', 'ended'));
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS queue_position integer;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS queue_wait_minutes integer;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS queue_notified_at timestamptz;
CREATE INDEX IF NOT EXISTS conversations_waiting_idx ON conversations (phase)
  WHERE phase IN ('after_hours', 'queued');
