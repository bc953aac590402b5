-- A post toward Twilio that an attempt has started and not yet finished: the attempt (its number)
-- and when it last said it is still waiting for Twilio's answer. Another attempt of the same item
-- (this instance or another, after a lease was lost) does not post while it is fresh: it waits,
-- then looks the message up by its key. Twilio has no idempotency key for Conversations messages.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS post_attempt integer;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS post_heartbeat_at timestamptz;
