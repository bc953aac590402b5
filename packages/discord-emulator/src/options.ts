import type { Fixture } from './fixture-types.ts';
import { type RateLimitInput, type RateLimitOptions, resolveRateLimits } from './rate-limits.ts';
import { snowflakeAt } from './snowflake.ts';

/** Options of {@link startDiscordEmulator}. Everything has a default that suits tests. */
export interface DiscordEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Base URL the emulator writes into payloads (attachment URLs, gateway URLs) when it sits behind a proxy. */
  publicUrl?: string;
  /** The token the bot must present (`Authorization: Bot <token>`, IDENTIFY). */
  botToken?: string;
  /** The application id; also the bot user's id, as for applications created today. */
  applicationId?: string;
  /** The bot user's username (default `Flexcord`). */
  botUsername?: string;
  /** Shard count `GET /gateway/bot` recommends (default 1). */
  shards?: number;
  /** `session_start_limit.max_concurrency`: how many shards may IDENTIFY at once (default 16). */
  maxConcurrency?: number;
  /** REST rate limits: a preset name or settings over the `default` preset. */
  rateLimits?: RateLimitInput;
  /** Guilds, channels, roles and members to start with. */
  fixture?: Fixture;
  /** Time the bot has for the first interaction response (default 3000 ms, as on Discord). */
  interactionDeadlineMs?: number;
  /** How long an interaction token works for followups and edits (default 15 min). */
  interactionTokenTtlMs?: number;
  /** HELLO `heartbeat_interval` (default 41250 ms). */
  heartbeatIntervalMs?: number;
  /** How long a dropped gateway session can be resumed (default 3 min). */
  resumeWindowMs?: number;
  /** Largest upload per message, in bytes (default 10 MiB). */
  uploadLimitBytes?: number;
  /** Privileged intents the application is allowed; IDENTIFY with others closes 4014 (default all). */
  privilegedIntents?: { guildMembers?: boolean; guildPresences?: boolean; messageContent?: boolean };
  /** Where diagnostic lines go (default: nowhere). */
  log?: (line: string) => void;
  /**
   * A directory to record every REST exchange in (JSONL, for the conformance suite); default
   * `DISCORD_EMULATOR_RECORD_DIR`, else off; `false` turns it off whatever the environment says.
   */
  record?: string | false;
}

/** {@link DiscordEmulatorOptions} with every default filled in. */
export interface ResolvedOptions {
  port: number;
  host: string;
  publicUrl: string | null;
  botToken: string;
  applicationId: string;
  botUsername: string;
  shards: number;
  maxConcurrency: number;
  rateLimits: RateLimitOptions;
  interactionDeadlineMs: number;
  interactionTokenTtlMs: number;
  heartbeatIntervalMs: number;
  resumeWindowMs: number;
  uploadLimitBytes: number;
  privilegedIntents: { guildMembers: boolean; guildPresences: boolean; messageContent: boolean };
  log: (line: string) => void;
  record: string | null;
}

/** A fixed application id, so a sandbox's configuration survives restarts. */
export const DEFAULT_APPLICATION_ID = snowflakeAt(Date.UTC(2023, 0, 1), 1);

export function resolveOptions(options: DiscordEmulatorOptions = {}): ResolvedOptions {
  const applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    publicUrl: options.publicUrl?.replace(/\/$/, '') ?? null,
    // Shaped like a real token: base64 of the bot's id, a timestamp part and an HMAC part.
    botToken:
      options.botToken ??
      `${Buffer.from(applicationId).toString('base64url')}.GEmuLa.discord-emulator-bot-token-0000`,
    applicationId,
    botUsername: options.botUsername ?? 'Flexcord',
    shards: options.shards ?? 1,
    maxConcurrency: options.maxConcurrency ?? 16,
    rateLimits: resolveRateLimits(options.rateLimits),
    interactionDeadlineMs: options.interactionDeadlineMs ?? 3_000,
    interactionTokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    resumeWindowMs: options.resumeWindowMs ?? 180_000,
    uploadLimitBytes: options.uploadLimitBytes ?? 10 * 1024 * 1024,
    privilegedIntents: {
      guildMembers: options.privilegedIntents?.guildMembers ?? true,
      guildPresences: options.privilegedIntents?.guildPresences ?? true,
      messageContent: options.privilegedIntents?.messageContent ?? true,
    },
    log: options.log ?? (() => {}),
    // The one environment variable the emulator reads: other suites turn recording on without code.
    record:
      options.record === false ? null : options.record || process.env.DISCORD_EMULATOR_RECORD_DIR || null,
  };
}
