-- A chat that left the member's DM for a private thread mid-chat (their DMs became closed): the DM
-- it left, so messages still queued for that DM, or retried after a crash, find the chat's thread.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS moved_from_channel_id text;
CREATE INDEX IF NOT EXISTS conversations_moved_from_idx ON conversations (moved_from_channel_id)
  WHERE moved_from_channel_id IS NOT NULL;
