-- Canned replies (#25): snippets agents insert into the reply box. Shared ones come from the
-- brand's Markdown files (CANNED_REPLIES_DIR, seeded at start) and from supervisors in the plugin;
-- personal ones belong to one agent (`owner`, their plain Flex identity) and only they see them.
-- A reply holds an English version, a Spanish one, or both.
CREATE TABLE canned_replies (
  id text PRIMARY KEY,
  scope text NOT NULL CHECK (scope IN ('shared', 'personal')),
  owner text,
  title_en text,
  body_en text,
  title_es text,
  body_es text,
  tags text[] NOT NULL DEFAULT '{}',
  -- Seeded from the brand's file; the file's later changes apply while no one has changed it here.
  from_file boolean NOT NULL DEFAULT false,
  -- Who changed it last (plain identity and readable name); null while it is the file's text.
  updated_by text,
  updated_by_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A deleted reply is kept as deleted, so its file does not bring it back at the next start.
  deleted_at timestamptz,
  CHECK ((scope = 'personal') = (owner IS NOT NULL)),
  CHECK ((title_en IS NULL) = (body_en IS NULL)),
  CHECK ((title_es IS NULL) = (body_es IS NULL)),
  CHECK (body_en IS NOT NULL OR body_es IS NOT NULL)
);
CREATE INDEX canned_replies_visible_idx ON canned_replies (scope, owner) WHERE deleted_at IS NULL;
