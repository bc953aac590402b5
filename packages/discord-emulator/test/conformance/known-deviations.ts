import type { Finding, FindingKind } from './check.ts';

/**
 * Every way the emulator knowingly differs from Discord's OpenAPI spec, each with its reason. The
 * conformance suite fails on any finding not listed here, and on an entry nothing matches any more.
 */
export interface KnownDeviation {
  kind: FindingKind;
  /** `METHOD /path/{template}`, or a RegExp over it; absent: any route. */
  route?: string | RegExp;
  /** The field path (`attachments[].flags`), or a RegExp over it; absent: anywhere. */
  where?: string | RegExp;
  /** A RegExp over the finding's detail (the value received, the reason). */
  detail?: RegExp;
  reason: string;
}

export const KNOWN_DEVIATIONS: KnownDeviation[] = [
  // The spec (or the package built from it) is narrower than Discord itself.
  {
    kind: 'response-invalid',
    where: /(^|[.\]])(timestamp|edited_timestamp|joined_at|archive_timestamp|create_timestamp)$/,
    detail: /^Invalid ISO datetime, got "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"$/,
    reason:
      "discord-api-spec builds `z.iso.datetime()` without `{ offset: true }`, so it refuses the `+00:00` offset Discord itself sends (its docs' message example: `2017-07-11T17:27:07.299000+00:00`); the emulator writes Discord's format.",
  },
  {
    kind: 'response-invalid',
    where: /^errors\./,
    detail: /"code":"[A-Z_]+"/,
    reason:
      "The spec's `InnerErrors._errors[].code` is a number, but Discord answers string codes there (`BASE_TYPE_REQUIRED`, `NUMBER_TYPE_MAX`…, https://discord.com/developers/docs/reference#error-messages); the top-level `code` is the number 50035.",
  },
  {
    kind: 'response-invalid',
    route: 'POST /channels/{channel_id}/messages',
    where: 'code',
    detail: /got undefined/,
    reason:
      "An injected 429 answers `{ message, retry_after, global }` as Discord's rate-limit docs show (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit); the spec's `RatelimitedResponse` requires `code`, which Discord sends only for some limits.",
  },
  {
    kind: 'request-invalid',
    route:
      /^(POST|PATCH) \/guilds\/\{guild_id\}\/roles|^PUT \/channels\/\{channel_id\}\/permissions\/\{overwrite_id\}$/,
    where: /^(permissions|allow|deny)$/,
    detail: /expected number, received string/,
    reason:
      'The spec types permission bitfields in request bodies as numbers; Discord documents them as strings (https://discord.com/developers/docs/topics/permissions#permissions) and discord.js sends strings, since the bits pass 2^53.',
  },
  {
    kind: 'request-invalid',
    where: /(^|\.)attachments\[\]\.id$/,
    detail: /expected string, received number/,
    reason:
      'Discord\'s upload example gives `attachments[].id` as the number of its `files[n]` part (`"id": 0`, https://discord.com/developers/docs/reference#uploading-files); the spec types it as a snowflake string.',
  },
  {
    kind: 'response-field-not-in-spec',
    route: 'POST /channels/{channel_id}/threads',
    where: 'message',
    reason:
      'A forum post answers the thread "with a nested message object" (https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel); the spec\'s thread response omits it.',
  },
  // The emulator's objects carry what a bot reads, typed by discord-api-types.
  {
    kind: 'response-invalid',
    route: 'GET /applications/@me',
    detail: /received undefined|got undefined/,
    reason:
      'The application object carries what a bot reads (id, name, bot, flags, team, guild count); OAuth2, install and owner fields are not emulated (no OAuth2, README "Deviations").',
  },
  {
    kind: 'response-field-not-in-spec',
    route: 'GET /applications/@me',
    where: 'summary',
    reason:
      "`summary` is in discord-api-types' APIApplication (deprecated, an empty string) but no longer in the spec.",
  },
  {
    kind: 'response-invalid',
    route: /^GET \/guilds\/\{guild_id\}$/,
    where:
      /^(home_header|region|widget_enabled|widget_channel_id|max_presences|max_stage_video_channel_users|nsfw)$/,
    detail: /received undefined/,
    reason:
      "Guild widget, region, home header and presence limits are not emulated (no widgets, voice or presences); the guild object has the fields of discord-api-types' APIGuild that a bot reads.",
  },
  {
    kind: 'response-field-not-in-spec',
    route: /^GET \/guilds\/\{guild_id\}$/,
    where: 'hub_type',
    reason: "`hub_type` (null) is in discord-api-types' APIGuild, not in the spec.",
  },
  {
    kind: 'response-field-not-in-spec',
    route: 'POST /users/@me/channels',
    where: 'name',
    reason:
      "A DM channel's `name: null` is required by discord-api-types' APIDMChannel; the spec's PrivateChannelResponse has no `name`.",
  },
];

export function explains(deviation: KnownDeviation, finding: Finding): boolean {
  if (deviation.kind !== finding.kind) return false;
  const route = `${finding.method} ${finding.route ?? ''}`;
  if (deviation.route !== undefined && !matches(deviation.route, route)) return false;
  if (deviation.where !== undefined && !matches(deviation.where, finding.where)) return false;
  if (deviation.detail !== undefined && !deviation.detail.test(finding.detail)) return false;
  return true;
}

function matches(pattern: string | RegExp, text: string): boolean {
  return typeof pattern === 'string' ? pattern === text : pattern.test(text);
}
