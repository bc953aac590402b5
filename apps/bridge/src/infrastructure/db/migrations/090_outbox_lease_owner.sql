-- Which running bridge holds an in-flight item's lease: the key of an advisory lock that bridge
-- holds for as long as it runs. A key nobody holds any more is a bridge that died, whose leases
-- another instance may take at once instead of waiting them out.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lease_owner integer;
CREATE INDEX IF NOT EXISTS outbox_inflight_owner_idx ON outbox (lease_owner) WHERE status = 'inflight';
