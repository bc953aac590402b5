-- When a kept chat line was last edited (issue #22): an agent's edit in Flex and a member's edit of
-- their DM change the line's body to the new text (what both sides now see); this says it was
-- edited, and orders edits (an older one arriving late changes nothing). The text before the edit
-- is not kept: the erasure and access-export paths would have to carry it too.
ALTER TABLE chat_lines ADD COLUMN IF NOT EXISTS edited_at timestamptz;
