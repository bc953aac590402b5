-- Flexcord's first schema: members, chats, cases with their timeline, the KB, the outbox, and
-- the keys of events already handled.

CREATE TABLE members (
  discord_user_id text PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  avatar_url text,
  locale text,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE case_number_seq START 1;

CREATE TABLE cases (
  number integer PRIMARY KEY DEFAULT nextval('case_number_seq'),
  type text NOT NULL CHECK (type IN ('support', 'bug', 'feature')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  subject text NOT NULL,
  discord_user_id text NOT NULL REFERENCES members (discord_user_id),
  assignee text,
  details jsonb NOT NULL,
  public_post jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX cases_member_idx ON cases (discord_user_id, updated_at DESC);
-- A member has at most one open support case: new chats and handovers reuse it.
CREATE UNIQUE INDEX cases_one_open_support_idx ON cases (discord_user_id)
  WHERE type = 'support' AND status IN ('open', 'pending');

CREATE TABLE case_events (
  id bigserial PRIMARY KEY,
  case_number integer NOT NULL REFERENCES cases (number),
  type text NOT NULL,
  actor jsonb NOT NULL,
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_number, id);

-- One row per member chat: the Discord DM on one side, the Twilio Conversation on the other.
CREATE TABLE conversations (
  sid text PRIMARY KEY,
  discord_user_id text NOT NULL REFERENCES members (discord_user_id),
  dm_channel_id text NOT NULL,
  guild_id text,
  -- Twilio's state: active | inactive | closed.
  state text NOT NULL DEFAULT 'active',
  -- Who answers: bot → handover (asked for an agent) → queued (sent to Flex) → agent; ended once closed.
  phase text NOT NULL DEFAULT 'bot' CHECK (phase IN ('bot', 'handover', 'queued', 'agent', 'ended')),
  case_number integer REFERENCES cases (number),
  agent_identity text,
  agent_name text,
  locale text,
  topic text,
  last_discord_message_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE UNIQUE INDEX conversations_one_open_per_member_idx ON conversations (discord_user_id)
  WHERE state <> 'closed';
CREATE INDEX conversations_case_idx ON conversations (case_number);

CREATE TABLE kb_articles (
  slug text PRIMARY KEY,
  title text NOT NULL,
  url text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  -- The tags as words: array_to_string is not immutable, so a generated column cannot call it.
  tag_words text NOT NULL DEFAULT '',
  language text NOT NULL DEFAULT 'en',
  body text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Searchable in English and Spanish whatever the article's language: members ask in either.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('spanish', title), 'A') ||
    setweight(to_tsvector('simple', tag_words), 'B') ||
    setweight(to_tsvector('english', body), 'C') || setweight(to_tsvector('spanish', body), 'C')
  ) STORED
);
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search);

-- Every side effect (a Discord message, a Twilio message) is written here in the transaction that
-- decides it, then delivered in order per stream with retries.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  key text NOT NULL UNIQUE,
  stream text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'inflight', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  last_error text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'inflight');
CREATE INDEX outbox_stream_idx ON outbox (stream, id) WHERE status IN ('pending', 'inflight');

-- Keys of inbound events already handled (Discord message/interaction ids, Twilio idempotency
-- tokens, MessageSids), with what was answered, so replays change nothing.
CREATE TABLE processed_events (
  key text PRIMARY KEY,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
