-- Staff actions on cases (issue #25): who changed what, when, and from where (the plugin API,
-- Flex's own events, a Discord command). Written by the case service with the timeline entry it
-- records; read and exported (CSV) by supervisors. Kept when a member's data is erased: the actor
-- is staff, and `changes` never holds what a member wrote.
CREATE TABLE IF NOT EXISTS case_audit (
  id bigserial PRIMARY KEY,
  case_number integer NOT NULL,
  action text NOT NULL,
  actor_id text NOT NULL,
  actor_name text NOT NULL,
  source text NOT NULL CHECK (source IN ('plugin-api', 'flex', 'discord', 'bridge')),
  changes jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS case_audit_created_idx ON case_audit (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS case_audit_case_idx ON case_audit (case_number, id);

-- Members' data requests (GDPR articles 15 and 17): an export or an erasure, from the member on
-- Discord or from an admin through the plugin API. No personal data: the member is a keyed hash
-- of their Discord id (what the rate limit counts by), the requester an admin's identity or
-- `member`, `summary` how many rows of each kind were exported or erased.
CREATE TABLE IF NOT EXISTS privacy_requests (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('export', 'delete')),
  member_hash text NOT NULL,
  source text NOT NULL CHECK (source IN ('discord', 'plugin-api')),
  requested_by text NOT NULL,
  summary jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS privacy_requests_member_idx ON privacy_requests (member_hash, kind, created_at DESC);
CREATE INDEX IF NOT EXISTS privacy_requests_created_idx ON privacy_requests (created_at DESC, id DESC);

-- A member's export file until it is delivered (and a day after, for a retried delivery); the
-- maintenance job deletes older ones, an erasure deletes the member's at once.
CREATE TABLE IF NOT EXISTS privacy_exports (
  id bigserial PRIMARY KEY,
  discord_user_id text NOT NULL,
  filename text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS privacy_exports_member_idx ON privacy_exports (discord_user_id);
CREATE INDEX IF NOT EXISTS privacy_exports_created_idx ON privacy_exports (created_at);
