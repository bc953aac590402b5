import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SnowflakeSchema, twilioSid } from '@flexcord/contracts';
import { z } from 'zod';
import { DEFAULT_DISPOSITIONS, parseDispositions } from './domain/cases/dispositions.ts';
import { parseSupportHours } from './domain/chat/support-hours.ts';
import { parseForumTags } from './domain/community/public-posts.ts';
import { parseHelpTopics } from './domain/topics/help-topics.ts';

/**
 * The bridge's whole configuration, from the environment. This is the only module that reads
 * `process.env`; a bad or missing value stops start-up with a message naming the variable.
 * `.env.example` documents every variable.
 */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The URL Twilio reaches this bridge at; webhook signatures are checked against it. */
  PUBLIC_BASE_URL: z.url(),

  /** The brand's name in what members read ("I'm the {brand} support assistant"); unset → the Discord server's name. */
  BRAND_NAME: z.string().trim().min(1).max(100).optional(),

  DISCORD_TOKEN: z.string().min(1),
  DISCORD_APPLICATION_ID: SnowflakeSchema,
  /** Discord's REST base; the gateway is discovered from it. The emulator's `/api` in the sandbox. */
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  /** Discord's CDN base (avatars, attachments); the emulator's URL in the sandbox. */
  DISCORD_CDN_URL: z.url().default('https://cdn.discordapp.com'),
  /** The bot's upload limit in Discord DMs: 10 MiB without boosts. Larger agent files are refused with a notice. */
  DISCORD_UPLOAD_LIMIT_MB: z.coerce.number().positive().max(500).default(10),
  /** Register slash commands in this guild (instant) instead of globally. */
  DISCORD_GUILD_ID: SnowflakeSchema.optional(),

  /**
   * Private chat threads: `off` (chats are DMs; closed DMs are refused with an explanation),
   * `fallback` (a DM, and a private thread of the help channel when the member's DMs are closed), or
   * `always` (every chat in a private thread). Threads need
   * the privileged Message Content intent (Developer Portal → Bot) to read what members write there.
   */
  CHAT_THREADS: z.enum(['off', 'fallback', 'always']).default('off'),
  /** The channel private chat threads are opened in; unset → the channel /helpme was used in. */
  HELP_CHANNEL_ID: SnowflakeSchema.optional(),

  /** Gateway shards in total (every instance must agree); unset → Discord's recommendation. */
  DISCORD_SHARD_COUNT: z.coerce.number().int().min(1).max(1024).optional(),
  /** How often an instance looks for shards nobody runs, i.e. how fast it takes over a dead one's. */
  DISCORD_SHARD_POLL_SECONDS: z.coerce.number().min(0.2).max(300).default(5),

  TWILIO_ACCOUNT_SID: twilioSid('AC', 'account SID'),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be the account auth token'),
  /** `https://twilio.com` for the real Twilio, the emulator's URL in the sandbox. */
  TWILIO_API_BASE_URL: z.url().default('https://twilio.com'),
  TWILIO_CONVERSATIONS_SERVICE_SID: twilioSid('IS', 'service SID'),
  TWILIO_STUDIO_FLOW_SID: twilioSid('FW', 'flow SID'),
  /** ISO-8601 durations for the conversation timers, so abandoned chats close. */
  TWILIO_CONVERSATION_INACTIVE_TIMER: z.string().default('PT30M'),
  TWILIO_CONVERSATION_CLOSED_TIMER: z.string().default('PT24H'),

  /** A Postgres URL; unset → embedded PGlite under `PGLITE_DIR`. */
  DATABASE_URL: z.string().optional(),
  PGLITE_DIR: z.string().default('.data/pglite'),
  /** The KB folder; default the demo KB shipped with the bridge. Relative paths are from the working directory. */
  KB_DIR: z.string().default(fileURLToPath(new URL('../kb', import.meta.url))),
  /**
   * Index every KB article in the other language too, translated offline by Debian's
   * `apertium-eng-spa`: `auto` (default) when it is installed, `off` never. Without it the KB
   * searches each article in its own language (and the glossary), and says so in the log.
   */
  /**
   * The brand's canned replies for agents (`<id>.md` in English, `<id>.es.md` in Spanish); they
   * seed the shared replies at start. Default the demo ones shipped with the bridge.
   */
  CANNED_REPLIES_DIR: z.string().default(fileURLToPath(new URL('../canned-replies', import.meta.url))),
  KB_TRANSLATION: z.enum(['auto', 'off']).default('auto'),
  /**
   * The KB's semantic stage, from the brand's embeddings service: an OpenAI-compatible endpoint,
   * whole (`https://api.openai.com/v1/embeddings`, Azure's deployment URL, a local Ollama's
   * `http://localhost:11434/v1/embeddings`, TEI's `/v1/embeddings`). Unset → no semantic stage.
   */
  KB_EMBEDDINGS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The model's name at that endpoint (`text-embedding-3-small`, `nomic-embed-text`…). */
  KB_EMBEDDINGS_MODEL: z.string().min(1).optional(),
  /** Its key (sent as a Bearer token, or `api-key` to Azure); never logged. */
  KB_EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  /** `any` (a multilingual model, the default) or `en` (an English-only one: Spanish goes through the translation stage). */
  KB_EMBEDDINGS_LANGUAGES: z.enum(['any', 'en']).default('any'),
  /** A question whose embedding takes longer than this (ms) is answered by the lexical engine alone. */
  KB_EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().positive().default(800),
  /** Origins allowed to call the plugin API (Flex's, comma-separated). */
  CORS_ORIGINS: z
    .string()
    .default('https://flex.twilio.com')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /**
   * The author line above each agent message in Discord: `{agent}` (the worker's full name) and
   * `{brand}`; `-# ` makes it Discord's small subtext. Empty → no author line.
   */
  AGENT_AUTHOR_FORMAT: z.string().max(200).default('-# {agent} · {brand}'),
  /**
   * Where new bug reports and feature requests go for triage: `view` (only the plugin's Cases
   * view) or `task` (also a TaskRouter task on its own channel and queue, through
   * `TRIAGE_WORKFLOW_SID`, which triage agents get like any task and open in the case panel).
   */
  TRIAGE_ROUTING: z.enum(['task', 'view']).default('view'),
  /** The TaskRouter workspace of triage tasks (Flex's); required with `TRIAGE_ROUTING=task`. */
  TRIAGE_WORKSPACE_SID: twilioSid('WS', 'workspace SID').optional(),
  /** The workflow that routes triage tasks to the triage queue; required with `TRIAGE_ROUTING=task`. */
  TRIAGE_WORKFLOW_SID: twilioSid('WW', 'workflow SID').optional(),
  /** The task channel of triage tasks (unique name or TC… SID); `npm run provision` creates `triage`. */
  TRIAGE_TASK_CHANNEL: z.string().min(1).max(64).default('triage'),
  /** Seconds a member waits between two /bug reports. */
  BUG_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(120),
  /** Roles whose members may use /new_feature (besides anyone with Manage Messages). */
  MODERATOR_ROLE_IDS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  /** Where /bug and /new_feature post; unset → the guild's #bug-report and #feature-request. */
  BUG_REPORT_CHANNEL_ID: SnowflakeSchema.optional(),
  FEATURE_REQUEST_CHANNEL_ID: SnowflakeSchema.optional(),
  /** Announcement sources (YAML or JSON); unset → no announcements feed. */
  ANNOUNCEMENTS_CONFIG: z.string().optional(),
  /** Shared secret of the signed ingest `POST /ingest/announcements`; unset → ingest off. */
  ANNOUNCEMENTS_INGEST_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * What an agent picks at wrap-up: codes, each optionally `code:status` (see cases/dispositions.ts).
   * Default: resolved, follow_up (case pending), duplicate and spam (case closed).
   */
  /**
   * Forum tag names for a report's stages and statuses, as `key=Tag name` pairs (e.g.
   * `planned=On the roadmap,wont_fix=Not planned`); unnamed ones keep their default. Provisioning
   * creates them on #bug-report and #feature-request.
   */
  FORUM_TAGS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseForumTags(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  WRAPUP_DISPOSITIONS: z
    .string()
    .default(DEFAULT_DISPOSITIONS)
    .transform((value, ctx) => {
      try {
        return parseDispositions(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * The brand's support hours: JSON (inline, or the path of a JSON file) with `timeZone` (IANA),
   * `weekly` hours per day (`"mon": "09:00-18:00"` or a list of ranges), optional `holidays`
   * (`YYYY-MM-DD` in that zone) and `label` (the zone as members read it, e.g. `CET`). Outside them
   * "Talk to an agent" keeps the request and routes it when the team is back. Unset → always open.
   */
  SUPPORT_HOURS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      try {
        return parseSupportHours(value, (path) => readFileSync(path, 'utf8'));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * The brand's help topics (YAML or JSON, inline or the path of a file; docs/help-topics.md):
   * /helpme offers them in a menu before the virtual agent, each with an optional form and either a
   * canned answer or routing (`topic`, skills, priority, its own hours). Unset → no menu.
   */
  HELP_TOPICS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return [];
      try {
        return parseHelpTopics(value, (path) => readFileSync(path, 'utf8'));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** `closed` (or `open`) overrides the schedule now — an operator's switch; `schedule` follows it. */
  SUPPORT_HOURS_OVERRIDE: z.enum(['schedule', 'open', 'closed']).default('schedule'),
  /** How often waiting chats are looked at: queue positions, and requests kept until the hours open. */
  QUEUE_POLL_SECONDS: z.coerce.number().min(0.05).max(300).default(10),
  /** The least time between two queue-position notices to one member. */
  QUEUE_UPDATE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** The satisfaction survey (1–5 and an optional comment) after a chat with an agent. */
  SURVEY: z.enum(['on', 'off']).default('on'),
  /** How long a chat's survey takes answers; a later click is told the survey has closed. */
  SURVEY_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(43_200).default(1440),
  /** Days an ended chat's transcript is kept with its case; 0 keeps them forever. */
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** How often transcripts, cases, file links and export files past their retention are purged. */
  TRANSCRIPT_PURGE_INTERVAL_SECONDS: z.coerce.number().min(1).max(86_400).default(3600),
  /**
   * Days a resolved or closed case is kept after its last change, with its timeline, chats and
   * votes (the same purge as the transcripts'); 0 keeps them forever.
   */
  CASE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /**
   * Days the files of a chat stay linked from its transcript (their names stay); after that the
   * bridge no longer serves them. 0 links them as long as the transcript is kept.
   */
  FILE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** `/privacy export` and `/privacy delete`: how many of each one member may ask for per window. */
  PRIVACY_REQUESTS_PER_WINDOW: z.coerce.number().int().min(1).max(100).default(2),
  /** The window of {@link PRIVACY_REQUESTS_PER_WINDOW}, in hours. */
  PRIVACY_WINDOW_HOURS: z.coerce.number().min(0.01).max(8760).default(24),
  /** Flex roles that may export or erase a member's data through the plugin API (requests by e-mail). */
  PRIVACY_ADMIN_ROLES: z
    .string()
    .default('admin')
    .transform((value) =>
      value
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    ),
  /** Flex roles (from the validated token) that may change any case: reassign, resolve someone else's. */
  SUPERVISOR_ROLES: z
    .string()
    .default('supervisor,admin')
    .transform((value) =>
      value
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    ),
  /** Refused Flex tokens one address may send to the plugin API per minute before it gets 429s. */
  API_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /**
   * Addresses whose failed authentications are counted at once (the least recently seen forgotten
   * first), so that counting stays in bounded memory (~200 bytes an address) under a flood from
   * many addresses.
   */
  API_AUTH_TRACKED_ADDRESSES: z.coerce.number().int().min(10).max(1_000_000).default(50_000),
  /**
   * Reverse proxies in front of the bridge whose `X-Forwarded-For` is trusted (Express's `trust
   * proxy` hop count): the client address is the one the outermost trusted proxy saw, so a client
   * cannot choose its own address. Default 0 (reached directly: the connection's address, and
   * `X-Forwarded-For` ignored); set it to the number of proxies in front (docs/deploy.md).
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long a validated Flex token is trusted before Twilio is asked again. */
  FLEX_TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Just where the data is, for tools that only open the database (`npm run outbox`). */
export const StorageConfigSchema = ConfigSchema.pick({ DATABASE_URL: true, PGLITE_DIR: true });
export type StorageConfig = z.infer<typeof StorageConfigSchema>;

export function loadStorageConfig(env: Record<string, string | undefined> = process.env): StorageConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  return StorageConfigSchema.parse(cleaned);
}

/** A configuration problem at start-up; its message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    message: string,
    readonly issues: { variable: string; message: string }[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses `env` (default `process.env`) into a {@link Config}, or throws a {@link ConfigError}. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = ConfigSchema.safeParse(cleaned);
  const issues = result.success
    ? crossChecks(result.data)
    : result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '?'),
        message: issue.message,
      }));
  if (result.success && !issues.length) return result.data;
  throw new ConfigError(
    `Invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n')}`,
    issues,
  );
}

/**
 * The configured values no log line may contain: the Discord bot token, the Twilio auth token
 * (alone and as the Basic credential twilio-node sends), the ingest secret, the database password.
 */
export function configSecrets(config: Config): string[] {
  const secrets = [
    config.DISCORD_TOKEN,
    config.TWILIO_AUTH_TOKEN,
    Buffer.from(`${config.TWILIO_ACCOUNT_SID}:${config.TWILIO_AUTH_TOKEN}`).toString('base64'),
  ];
  if (config.ANNOUNCEMENTS_INGEST_SECRET) secrets.push(config.ANNOUNCEMENTS_INGEST_SECRET);
  if (config.KB_EMBEDDINGS_API_KEY) secrets.push(config.KB_EMBEDDINGS_API_KEY);
  if (URL.canParse(config.DATABASE_URL ?? '')) {
    const password = decodeURIComponent(new URL(config.DATABASE_URL!).password);
    if (password) secrets.push(password);
  }
  return secrets;
}

/** Settings that need one another. */
function crossChecks(config: Config): { variable: string; message: string }[] {
  const issues: { variable: string; message: string }[] = [];
  if (config.KB_EMBEDDINGS_URL && !config.KB_EMBEDDINGS_MODEL)
    issues.push({
      variable: 'KB_EMBEDDINGS_MODEL',
      message: 'is required with KB_EMBEDDINGS_URL (the model name the embeddings service knows)',
    });
  if (config.TRIAGE_ROUTING === 'task') {
    for (const variable of ['TRIAGE_WORKSPACE_SID', 'TRIAGE_WORKFLOW_SID'] as const)
      if (!config[variable])
        issues.push({
          variable,
          message: 'is required with TRIAGE_ROUTING=task (npm run provision writes it)',
        });
  }
  return issues;
}
