-- Every message of a chat, kept as it is relayed (issue #22): what the member, the virtual agent
-- and the bridge's notices put into the Conversation, and what agents wrote there. A transcript is
-- built from these rows, so it never depends on reading the Conversation back at the end (Twilio
-- may have deleted it, a reset account or an emulator restart may have lost it).
CREATE TABLE IF NOT EXISTS chat_lines (
  id bigserial PRIMARY KEY,
  conversation_sid text NOT NULL,
  -- The outbox key of a message into the Conversation, or `agent:message:<MessageSid>`.
  key text NOT NULL UNIQUE,
  -- The Conversation author: `discord:<userId>`, `bot`, `system`, or the agent's identity.
  author text NOT NULL,
  body text NOT NULL,
  -- [{filename, contentType, size, mediaSid}] (size and mediaSid null until Twilio has the file).
  files jsonb NOT NULL DEFAULT '[]',
  attributes jsonb NOT NULL DEFAULT '{}',
  -- When the Conversation had it (an agent message), else when it was relayed.
  created_at timestamptz NOT NULL DEFAULT now(),
  removed boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS chat_lines_conversation_idx ON chat_lines (conversation_sid, id);

-- A message into a Conversation is an outbox item (`twilio.message`, and its edits and deletions):
-- its line is written by the statement that enqueues it, whichever code path enqueued it.
CREATE OR REPLACE FUNCTION keep_chat_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'twilio.message' THEN
    INSERT INTO chat_lines (conversation_sid, key, author, body, files, attributes)
    VALUES (
      NEW.payload->>'conversationSid', NEW.key, NEW.payload->>'author', COALESCE(NEW.payload->>'body', ''),
      CASE WHEN NEW.payload ? 'media' THEN jsonb_build_array(jsonb_build_object(
        'filename', NEW.payload->'media'->>'filename', 'contentType', NEW.payload->'media'->>'contentType',
        'size', NULL, 'mediaSid', NEW.payload->'media'->>'mediaSid')) ELSE '[]'::jsonb END,
      COALESCE(NEW.payload->'attributes', '{}'::jsonb))
    ON CONFLICT (key) DO NOTHING;
  ELSIF NEW.kind = 'twilio.message-update' THEN
    UPDATE chat_lines SET body = NEW.payload->>'body' WHERE key = NEW.payload->>'sourceKey';
  ELSIF NEW.kind = 'twilio.message-remove' THEN
    UPDATE chat_lines SET removed = true
     WHERE key = NEW.payload->>'sourceKey' OR starts_with(key, (NEW.payload->>'sourceKey') || ':media:');
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS outbox_keeps_chat_lines ON outbox;
CREATE TRIGGER outbox_keeps_chat_lines AFTER INSERT ON outbox FOR EACH ROW
  WHEN (NEW.kind IN ('twilio.message', 'twilio.message-update', 'twilio.message-remove'))
  EXECUTE FUNCTION keep_chat_line();
