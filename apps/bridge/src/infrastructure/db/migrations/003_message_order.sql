-- The highest Conversations message Index the bridge has handled per chat: messages are relayed
-- strictly in Index order, and a gap (a lost or late webhook) is filled from Twilio first.
ALTER TABLE conversations ADD COLUMN last_message_index integer NOT NULL DEFAULT -1;
