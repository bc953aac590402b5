import type { Sql } from './database.ts';

/** A canned reply as stored (migration 170). */
export interface CannedReplyRow {
  id: string;
  scope: 'shared' | 'personal';
  owner: string | null;
  title_en: string | null;
  body_en: string | null;
  title_es: string | null;
  body_es: string | null;
  tags: string[];
  from_file: boolean;
  updated_by_name: string | null;
  updated_at: Date;
}

/** What a reply holds, as written. */
export interface CannedReplyFields {
  titleEn: string | null;
  bodyEn: string | null;
  titleEs: string | null;
  bodyEs: string | null;
  tags: string[];
}

const COLUMNS =
  'id, scope, owner, title_en, body_en, title_es, body_es, tags, (updated_by IS NULL) AS from_file, updated_by_name, updated_at';

/**
 * Writes the brand's file replies as shared ones: a new one is added; one no one changed in the
 * plugin follows its file; one changed or deleted in the plugin stays as it is.
 */
export async function seedCannedReply(sql: Sql, id: string, fields: CannedReplyFields): Promise<void> {
  await sql.query(
    `INSERT INTO canned_replies (id, scope, title_en, body_en, title_es, body_es, tags, from_file)
     VALUES ($1, 'shared', $2, $3, $4, $5, $6, true)
     ON CONFLICT (id) DO UPDATE SET
       title_en = EXCLUDED.title_en, body_en = EXCLUDED.body_en,
       title_es = EXCLUDED.title_es, body_es = EXCLUDED.body_es, tags = EXCLUDED.tags, updated_at = now()
     WHERE canned_replies.from_file AND canned_replies.updated_by IS NULL AND canned_replies.deleted_at IS NULL
       AND (canned_replies.title_en, canned_replies.body_en, canned_replies.title_es, canned_replies.body_es, canned_replies.tags)
           IS DISTINCT FROM (EXCLUDED.title_en, EXCLUDED.body_en, EXCLUDED.title_es, EXCLUDED.body_es, EXCLUDED.tags)`,
    [id, fields.titleEn, fields.bodyEn, fields.titleEs, fields.bodyEs, fields.tags],
  );
}

/** The shared replies and `owner`'s personal ones, shared first, then by title. */
export async function visibleCannedReplies(sql: Sql, owner: string): Promise<CannedReplyRow[]> {
  const { rows } = await sql.query<CannedReplyRow>(
    `SELECT ${COLUMNS} FROM canned_replies
     WHERE deleted_at IS NULL AND (scope = 'shared' OR owner = $1)
     ORDER BY scope DESC, lower(coalesce(title_en, title_es)), id`,
    [owner],
  );
  return rows;
}

/** One reply of a scope (for a personal one, only its owner's), unless deleted. */
export async function findCannedReply(
  sql: Sql,
  id: string,
  scope: 'shared' | 'personal',
  owner: string | null,
): Promise<CannedReplyRow | null> {
  const { rows } = await sql.query<CannedReplyRow>(
    `SELECT ${COLUMNS} FROM canned_replies
     WHERE id = $1 AND scope = $2 AND owner IS NOT DISTINCT FROM $3 AND deleted_at IS NULL`,
    [id, scope, owner],
  );
  return rows[0] ?? null;
}

export async function insertCannedReply(
  sql: Sql,
  input: { id: string; scope: 'shared' | 'personal'; owner: string | null; by: string; byName: string },
  fields: CannedReplyFields,
): Promise<CannedReplyRow> {
  const { rows } = await sql.query<CannedReplyRow>(
    `INSERT INTO canned_replies (id, scope, owner, title_en, body_en, title_es, body_es, tags, updated_by, updated_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      input.id,
      input.scope,
      input.owner,
      fields.titleEn,
      fields.bodyEn,
      fields.titleEs,
      fields.bodyEs,
      fields.tags,
      input.by,
      input.byName,
    ],
  );
  return rows[0]!;
}

/** Replaces a reply's text and tags; null when there is no such reply (of that scope and owner). */
export async function updateCannedReply(
  sql: Sql,
  key: { id: string; scope: 'shared' | 'personal'; owner: string | null },
  by: { id: string; name: string },
  fields: CannedReplyFields,
): Promise<CannedReplyRow | null> {
  const { rows } = await sql.query<CannedReplyRow>(
    `UPDATE canned_replies SET title_en = $4, body_en = $5, title_es = $6, body_es = $7, tags = $8,
       updated_by = $9, updated_by_name = $10, updated_at = now()
     WHERE id = $1 AND scope = $2 AND owner IS NOT DISTINCT FROM $3 AND deleted_at IS NULL
     RETURNING ${COLUMNS}`,
    [
      key.id,
      key.scope,
      key.owner,
      fields.titleEn,
      fields.bodyEn,
      fields.titleEs,
      fields.bodyEs,
      fields.tags,
      by.id,
      by.name,
    ],
  );
  return rows[0] ?? null;
}

/** Marks a reply deleted (kept, so its file does not bring it back); false when there is none. */
export async function deleteCannedReply(
  sql: Sql,
  key: { id: string; scope: 'shared' | 'personal'; owner: string | null },
  by: { id: string; name: string },
): Promise<boolean> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE canned_replies SET deleted_at = now(), updated_by = $4, updated_by_name = $5, updated_at = now()
     WHERE id = $1 AND scope = $2 AND owner IS NOT DISTINCT FROM $3 AND deleted_at IS NULL RETURNING id`,
    [key.id, key.scope, key.owner, by.id, by.name],
  );
  return rows.length > 0;
}

/** What a chat's canned replies are filled with: the member, their language, the case and the topic. */
export async function chatForCannedReplies(
  sql: Sql,
  conversationSid: string,
): Promise<{
  memberName: string | null;
  locale: string | null;
  caseNumber: number | null;
  topic: string | null;
  /** The help topic the member picked (HELP_TOPICS), by language; null when they picked none. */
  helpTopicLabel: { en: string; es: string } | null;
} | null> {
  const { rows } = await sql.query<{
    member_name: string | null;
    locale: string | null;
    case_number: number | null;
    topic: string | null;
    help_topic_label: { en: string; es: string } | null;
  }>(
    `SELECT coalesce(nullif(m.display_name, ''), m.username) AS member_name,
            coalesce(c.locale, m.locale) AS locale, c.case_number, c.topic,
            c.help_topic->'label' AS help_topic_label
     FROM conversations c LEFT JOIN members m ON m.discord_user_id = c.discord_user_id
     WHERE c.sid = $1`,
    [conversationSid],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    memberName: row.member_name,
    locale: row.locale,
    caseNumber: row.case_number === null ? null : Number(row.case_number),
    topic: row.topic,
    helpTopicLabel: row.help_topic_label,
  };
}
