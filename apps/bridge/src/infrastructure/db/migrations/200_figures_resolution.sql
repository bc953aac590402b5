-- The resolution figures (#27) look up what a member did after an answer or a resolution: their
-- next question to the virtual agent, and each chat's last question.
CREATE INDEX kb_answers_member_created_idx ON kb_answers (discord_user_id, created_at);
CREATE INDEX kb_answers_conversation_created_idx ON kb_answers (conversation_sid, created_at DESC, id DESC);
