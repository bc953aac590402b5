-- The announcements feed: each configured feed's polling state, and every item seen from a feed or
-- the signed ingest, so each one is posted to #announcements at most once across restarts and
-- across instances.

-- One row per feed source, created the first time a bridge runs with the source configured.
CREATE TABLE announcement_sources (
  source_id text PRIMARY KEY,
  -- The URL the state below belongs to: a new URL is a new subscription.
  url text NOT NULL,
  -- Items published before this are the backlog: recorded as seen, not posted.
  subscribed_at timestamptz NOT NULL,
  -- The first successful poll, which recorded the backlog; NULL until then.
  primed_at timestamptz,
  -- Validators from the last 200, sent back as If-None-Match / If-Modified-Since.
  etag text,
  last_modified text,
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  -- Consecutive failed polls; the retry delay doubles with each.
  failures integer NOT NULL DEFAULT 0,
  -- When any instance may poll next; claiming a poll pushes it forward (a lease).
  next_poll_at timestamptz NOT NULL
);

-- Items seen, by source and the SHA-256 of the item's guid / Atom id / link / ingest id. A row is
-- inserted in the transaction that enqueues the Discord post, so the key is the claim.
CREATE TABLE announcement_items (
  source_id text NOT NULL,
  item_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('posted', 'skipped')),
  title text,
  url text,
  published_at timestamptz,
  -- The outbox item that posts it (posted items only).
  outbox_key text,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, item_hash)
);
