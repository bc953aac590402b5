-- A chat's satisfaction survey: offered once when a chat with an agent ends, answered once.
CREATE TABLE IF NOT EXISTS chat_surveys (
  conversation_sid text PRIMARY KEY,
  case_number integer,
  discord_user_id text NOT NULL,
  agent_name text,
  workspace_sid text,
  task_sid text,
  locale text,
  offered_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  rating smallint CHECK (rating BETWEEN 1 AND 5),
  comment text,
  answered_at timestamptz
);
CREATE INDEX IF NOT EXISTS chat_surveys_case_idx ON chat_surveys (case_number);

-- An ended chat's transcript, kept with its case until TRANSCRIPT_RETENTION_DAYS have passed.
CREATE TABLE IF NOT EXISTS chat_transcripts (
  conversation_sid text PRIMARY KEY,
  case_number integer,
  discord_user_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  agents jsonb NOT NULL DEFAULT '[]',
  lines jsonb NOT NULL,
  kept_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS chat_transcripts_case_idx ON chat_transcripts (case_number, started_at);
CREATE INDEX IF NOT EXISTS chat_transcripts_member_idx ON chat_transcripts (discord_user_id, started_at DESC);
CREATE INDEX IF NOT EXISTS chat_transcripts_ended_idx ON chat_transcripts (ended_at);
