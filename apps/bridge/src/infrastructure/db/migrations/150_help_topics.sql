-- The help topic a member picked in /helpme (HELP_TOPICS) and their form's answers, as the case
-- will keep them: {"id", "label": {"en", "es"}, "emoji"?, "answers": [{"id", "label", "value"}]}.
-- Kept with the chat until a handover opens a case, which copies it into the case's details.
ALTER TABLE conversations ADD COLUMN help_topic jsonb;
