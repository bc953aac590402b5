import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SnowflakeSchema, twilioSid } from '@flexcord/contracts';
import { z } from 'zod';
import { ConfigSchema } from '../config.ts';
import { readEnvFile } from './env-file.ts';
import { ProvisionError } from './provision-errors.ts';

/** What the Twilio side needs: credentials, the public URL, and optionally a chosen workflow. */
export const TwilioProvisionSchema = ConfigSchema.pick({
  PUBLIC_BASE_URL: true,
  TWILIO_ACCOUNT_SID: true,
  TWILIO_AUTH_TOKEN: true,
  TWILIO_API_BASE_URL: true,
  TRIAGE_ROUTING: true,
  HELP_TOPICS: true,
  TRIAGE_TASK_CHANNEL: true,
}).extend({
  // With TRIAGE_ROUTING=task provisioning creates the triage workflow and writes these.
  TRIAGE_WORKSPACE_SID: z.string().optional(),
  TRIAGE_WORKFLOW_SID: z.string().optional(),
  // Provisioning creates these when they are missing, so any value (or none) is taken as a hint.
  TWILIO_CONVERSATIONS_SERVICE_SID: z.string().optional(),
  TWILIO_STUDIO_FLOW_SID: z.string().optional(),
  /** The Flex workflow the flow hands chats to (WW…); unset → "Assign to Anyone". */
  TWILIO_FLEX_WORKFLOW_SID: twilioSid('WW', 'workflow SID').optional(),
});
export type TwilioProvisionOptions = z.infer<typeof TwilioProvisionSchema>;

/** What the Discord side needs: the bot, where commands go, and the guild to set up. */
export const DiscordProvisionSchema = ConfigSchema.pick({
  DISCORD_TOKEN: true,
  DISCORD_APPLICATION_ID: true,
  DISCORD_API_URL: true,
  /** Commands are registered in this guild (else globally); also the guild whose channels are set up. */
  DISCORD_GUILD_ID: true,
  /** The forum tags #bug-report and #feature-request get (the bridge applies the same names). */
  FORUM_TAGS: true,
}).extend({
  // Kept as written: provisioning writes it back to .env (the bridge's config splits it into ids).
  MODERATOR_ROLE_IDS: z.string().default(''),
});
export type DiscordProvisionOptions = z.infer<typeof DiscordProvisionSchema>;

/** What the plugin step needs: only the Twilio credentials (the bundle is a file). */
export const PluginProvisionSchema = ConfigSchema.pick({
  TWILIO_ACCOUNT_SID: true,
  TWILIO_AUTH_TOKEN: true,
  TWILIO_API_BASE_URL: true,
});
export type PluginProvisionOptions = z.infer<typeof PluginProvisionSchema>;

/**
 * `plugin` is the Flex plugin on the Twilio account, selectable on its own; `topics` is the help
 * topics' queues and workflow filters alone (part of `twilio`), for after editing HELP_TOPICS.
 */
export type Side = 'twilio' | 'plugin' | 'discord' | 'topics';
const SIDES: Side[] = ['twilio', 'plugin', 'discord'];
const ONLY: Side[] = [...SIDES, 'topics'];

/** What the topics step needs: the Twilio credentials, the topics and the chosen workflow. */
export const TopicsProvisionSchema = ConfigSchema.pick({
  TWILIO_ACCOUNT_SID: true,
  TWILIO_AUTH_TOKEN: true,
  TWILIO_API_BASE_URL: true,
  HELP_TOPICS: true,
}).extend({ TWILIO_FLEX_WORKFLOW_SID: twilioSid('WW', 'workflow SID').optional() });
export type TopicsProvisionOptions = z.infer<typeof TopicsProvisionSchema>;

/** The whole provisioning run: flags and each selected side's options. */
export interface ProvisionConfig {
  dryRun: boolean;
  yes: boolean;
  /** Re-release the plugin configuration that was active before the current one. */
  rollback: boolean;
  /** The plugin bundle to deploy (default: the one the browser tests load). */
  bundle: string | undefined;
  force: boolean;
  envFile: string;
  sides: Side[];
  /** The guild whose channels are set up, when it is not `DISCORD_GUILD_ID`. */
  guildId: string | undefined;
  twilio: TwilioProvisionOptions | undefined;
  plugin: PluginProvisionOptions | undefined;
  discord: DiscordProvisionOptions | undefined;
  topics: TopicsProvisionOptions | undefined;
}

export const USAGE = `Usage: npm run provision -- [options]

Sets up Twilio (Conversations service, Studio flow, TaskRouter event callback), the Flex plugin
(the bundle in apps/flex-plugin/build, hosted in Twilio Serverless and released with the Flex
Plugins API) and Discord (slash commands, #announcements, #bug-report, #feature-request,
moderator roles) for Flexcord, from the credentials in .env. Safe to run again: what is already
right is left alone.

Options:
  --dry-run          print the plan, change nothing
  --yes, -y          apply without asking (required when stdin is not a terminal)
  --only <side>      twilio | plugin | discord | topics (the help topics' queues and workflow
                     filters alone, after editing HELP_TOPICS; part of twilio)
  --rollback         release the plugin configuration that was active before the current one
  --bundle <path>    the plugin bundle to deploy (default: apps/flex-plugin/build/plugin-flexcord.js)
  --env-file <path>  the .env to read and update (default: .env where npm was run)
  --guild <id>       the Discord guild to set up (default: DISCORD_GUILD_ID, or the bot's only guild)
  --force            replace a TaskRouter event callback URL that points elsewhere
  --help, -h         this text`;

/**
 * Reads the flags and the environment (`env` over the `.env` file's values, as Node's
 * `loadEnvFile` does not override what is already set) into a {@link ProvisionConfig}; a bad
 * value is a {@link ProvisionError} naming the variable.
 */
export function loadProvisionConfig(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  cwd: string = env.INIT_CWD ?? process.cwd(),
): ProvisionConfig | 'help' {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new ProvisionError('BAD_FLAGS', `${(error as Error).message}\n\n${USAGE}`, { cause: error });
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const only = values.only;
  if (only !== undefined && !ONLY.includes(only as Side)) {
    throw new ProvisionError('BAD_FLAGS', `--only takes twilio, plugin, discord or topics, not "${only}"`);
  }
  const rollback = values.rollback ?? false;
  if (rollback && only !== undefined && only !== 'plugin') {
    throw new ProvisionError('BAD_FLAGS', `--rollback concerns the plugin only: drop --only ${only}`);
  }
  const envFile = isAbsolute(values['env-file'] ?? '.env')
    ? (values['env-file'] ?? '.env')
    : resolve(cwd, values['env-file'] ?? '.env');
  const merged = Object.fromEntries(
    Object.entries({ ...readEnvFile(envFile), ...env }).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const sides: Side[] = rollback ? ['plugin'] : only ? [only as Side] : SIDES;
  const bundle = values.bundle === undefined ? undefined : resolve(cwd, values.bundle);
  const guildId = values.guild;
  if (guildId !== undefined && !SnowflakeSchema.safeParse(guildId).success) {
    throw new ProvisionError('BAD_FLAGS', `--guild takes a guild id (a snowflake), not "${guildId}"`);
  }
  return {
    dryRun: values['dry-run'] ?? false,
    yes: values.yes ?? false,
    rollback,
    bundle,
    force: values.force ?? false,
    envFile,
    sides,
    guildId,
    twilio: sides.includes('twilio') ? parseSide(TwilioProvisionSchema, merged, envFile) : undefined,
    plugin: sides.includes('plugin') ? parseSide(PluginProvisionSchema, merged, envFile) : undefined,
    discord: sides.includes('discord') ? parseSide(DiscordProvisionSchema, merged, envFile) : undefined,
    topics: sides.includes('topics') ? parseSide(TopicsProvisionSchema, merged, envFile) : undefined,
  };
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      only: { type: 'string' },
      'env-file': { type: 'string' },
      guild: { type: 'string' },
      force: { type: 'boolean' },
      rollback: { type: 'boolean' },
      bundle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseSide<T extends z.ZodType>(
  schema: T,
  env: Record<string, unknown>,
  envFile: string,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${String(issue.path[0] ?? '?')}: ${issue.message}`);
  throw new ProvisionError(
    'CONFIG_INVALID',
    `Invalid configuration (from the environment and ${envFile}):\n${lines.join('\n')}\nSee .env.example.`,
  );
}
