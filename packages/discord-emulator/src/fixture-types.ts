import type { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * The shape of a fixture: what an emulator starts with (users, guilds, roles, channels, members).
 * Kept apart from the seeding in `fixture.ts`, so options and the control API can name it
 * without importing the emulator's core.
 */

/** A permission set: a bitfield string (`"8"`) or flag names (`["ManageMessages"]`). */
export type FixturePermissions = string | Array<keyof typeof PermissionFlagsBits>;

export interface FixtureUser {
  id?: string;
  username: string;
  global_name?: string;
  /** An avatar hash (32 hex digits); without one the user has Discord's default avatar. */
  avatar?: string;
  locale?: string;
  /** The member doesn't accept DMs from the bot: sending them one fails with 50007. */
  dmsClosed?: boolean;
  /**
   * The bot's DM channel with this user, made in an earlier run: Discord keeps a DM channel for
   * good, so `POST /users/@me/channels` answers this id rather than a new one.
   */
  dmChannelId?: string;
}

export interface FixtureRole {
  id?: string;
  name: string;
  permissions?: FixturePermissions;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

/** A permission overwrite naming its target: a role (name or id, `@everyone`) or a member (username or id). */
export interface FixtureOverwrite {
  role?: string;
  member?: string;
  allow?: FixturePermissions;
  deny?: FixturePermissions;
}

export interface FixtureTag {
  id?: string;
  name: string;
  moderated?: boolean;
  emoji_name?: string;
}

/** Channel kinds by name, or a raw channel type number. */
export type FixtureChannelType =
  | 'text'
  | 'voice'
  | 'category'
  | 'announcement'
  | 'forum'
  | 'media'
  | ChannelType;

export interface FixtureChannel {
  id?: string;
  name: string;
  type?: FixtureChannelType;
  /** The category it sits in (name or id). */
  parent?: string;
  topic?: string;
  nsfw?: boolean;
  /** Forum/media tags. */
  tags?: FixtureTag[];
  /** Forum posts need at least one tag. */
  requireTag?: boolean;
  permission_overwrites?: FixtureOverwrite[];
  /** Channels inside a category. */
  children?: FixtureChannel[];
}

export interface FixtureMember {
  /** A username (created if new), a user id, or a user to create. */
  user: string | FixtureUser;
  /** Role names or ids. */
  roles?: string[];
  nick?: string;
  dmsClosed?: boolean;
}

export interface FixtureGuild {
  id?: string;
  name: string;
  /** The owner's username or id (default: a `server-owner` user). */
  owner?: string;
  /** Permissions of `@everyone` (default: Discord's defaults for a new server). */
  everyonePermissions?: FixturePermissions;
  /** Permissions of the bot's managed role (default: a support bot's set, not Administrator). */
  botPermissions?: FixturePermissions;
  roles?: FixtureRole[];
  channels?: FixtureChannel[];
  members?: FixtureMember[];
}

/** What an emulator starts with: users, and guilds with their roles, channels and members. */
export interface Fixture {
  users?: FixtureUser[];
  guilds?: FixtureGuild[];
}

/** Ids of what a fixture created, by name (and `guild/name` for channels and roles). */
export interface SeedResult {
  guilds: Record<string, string>;
  channels: Record<string, string>;
  roles: Record<string, string>;
  users: Record<string, string>;
  /** Forum tag ids by `channel/tag` name. */
  tags: Record<string, string>;
}
