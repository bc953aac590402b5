-- An edit or deletion finds the items a relayed message became (`key`, `key:part:N`,
-- `key:media:N`) by key prefix: text_pattern_ops lets LIKE 'prefix%' use an index whatever the
-- database's collation.
CREATE INDEX IF NOT EXISTS outbox_key_prefix_idx ON outbox (key text_pattern_ops);
