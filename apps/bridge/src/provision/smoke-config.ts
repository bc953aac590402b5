import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { twilioSid } from '@flexcord/contracts';
import type { z } from 'zod';
import { ConfigSchema } from '../config.ts';
import { readEnvFile } from './env-file.ts';
import { ProvisionError } from './provision-errors.ts';

/** What the smoke check reads: the bridge's own settings for both vendors and its public URL. */
export const SmokeSchema = ConfigSchema.pick({
  PUBLIC_BASE_URL: true,
  TWILIO_ACCOUNT_SID: true,
  TWILIO_AUTH_TOKEN: true,
  TWILIO_API_BASE_URL: true,
  TWILIO_CONVERSATIONS_SERVICE_SID: true,
  TWILIO_STUDIO_FLOW_SID: true,
  DISCORD_TOKEN: true,
  DISCORD_APPLICATION_ID: true,
  DISCORD_API_URL: true,
  DISCORD_GUILD_ID: true,
  CHAT_THREADS: true,
}).extend({
  TWILIO_FLEX_WORKFLOW_SID: twilioSid('WW', 'workflow SID').optional(),
});
export type SmokeOptions = z.infer<typeof SmokeSchema>;

export const SMOKE_USAGE = `Usage: npm run smoke -- [--env-file .env] [--bundle <path>]

Checks a live Flexcord setup without a member: the Twilio credentials, Flex's workspace, the
Conversations service, the Studio flow and TaskRouter callback at PUBLIC_BASE_URL, the released
Flex plugin, the bridge answering there with a valid signature, and the Discord bot (token, guild,
permissions, intents, slash commands). Changes nothing. Exit code 1 when something needs fixing.`;

/** Reads flags and the environment (over the .env file's values) into {@link SmokeOptions}. */
export function loadSmokeConfig(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  cwd: string = env.INIT_CWD ?? process.cwd(),
): { options: SmokeOptions; envFile: string; bundle: string | undefined } | 'help' {
  let values: { 'env-file'?: string | undefined; bundle?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        'env-file': { type: 'string' },
        bundle: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ProvisionError('BAD_FLAGS', `${(error as Error).message}\n\n${SMOKE_USAGE}`, { cause: error });
  }
  if (values.help) return 'help';
  const given = values['env-file'] ?? '.env';
  const envFile = isAbsolute(given) ? given : resolve(cwd, given);
  const merged = Object.fromEntries(
    Object.entries({ ...readEnvFile(envFile), ...env }).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const parsed = SmokeSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? '?')}: ${issue.message}`);
    throw new ProvisionError(
      'CONFIG_INVALID',
      `Invalid configuration (from the environment and ${envFile}):\n${lines.join('\n')}\nSee .env.example; \`npm run provision\` writes the SIDs.`,
    );
  }
  return {
    options: parsed.data,
    envFile,
    bundle: values.bundle === undefined ? undefined : resolve(cwd, values.bundle),
  };
}
