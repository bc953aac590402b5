-- The Flex side of a chat: its TaskRouter task and the Interactions channel that holds it, learnt
-- from TaskRouter's events, so the bridge can wrap up and complete what Twilio's timers ended.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS workspace_sid text;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS task_sid text;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS interaction_sid text;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS interaction_channel_sid text;
CREATE INDEX IF NOT EXISTS conversations_task_idx ON conversations (task_sid);
