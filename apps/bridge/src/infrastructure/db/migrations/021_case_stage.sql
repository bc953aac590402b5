-- Where a bug report or feature request stands for the community: open → investigating →
-- planned → fixed / won't fix. The stage decides the case's status (fixed: resolved; won't fix:
-- closed; the others: open) and the tag of its forum post. Support cases have none.
ALTER TABLE cases ADD COLUMN stage text CHECK (stage IN ('open', 'investigating', 'planned', 'fixed', 'wont_fix'));
UPDATE cases SET stage = CASE status WHEN 'resolved' THEN 'fixed' WHEN 'closed' THEN 'wont_fix' ELSE 'open' END
  WHERE type IN ('bug', 'feature');
