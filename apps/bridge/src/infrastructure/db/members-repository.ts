import type { DiscordUser } from '@flexcord/contracts';
import type { Sql } from './database.ts';
import { iso } from './rows.ts';

export interface MemberRow {
  discord_user_id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  locale: string | null;
  first_seen_at: Date;
}

/** Inserts or refreshes a member (names and avatar change on Discord). */
export async function upsertMember(sql: Sql, user: DiscordUser, locale?: string | null): Promise<void> {
  await sql.query(
    `INSERT INTO members (discord_user_id, username, display_name, avatar_url, locale)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (discord_user_id) DO UPDATE SET username = EXCLUDED.username,
       display_name = EXCLUDED.display_name, avatar_url = EXCLUDED.avatar_url,
       locale = COALESCE(EXCLUDED.locale, members.locale), updated_at = now()`,
    [user.id, user.username, user.displayName, user.avatarUrl, locale ?? null],
  );
}

export async function findMember(sql: Sql, discordUserId: string): Promise<MemberRow | null> {
  const { rows } = await sql.query<MemberRow>('SELECT * FROM members WHERE discord_user_id = $1', [
    discordUserId,
  ]);
  return rows[0] ?? null;
}

export function memberAsDiscordUser(row: MemberRow): DiscordUser {
  return {
    id: row.discord_user_id,
    username: row.username,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
  };
}

export function memberSince(row: MemberRow): string {
  return iso(row.first_seen_at);
}
