import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { twilioClientOptions } from '@flexcord/twilio-client';
import { REST } from 'discord.js';
import twilio from 'twilio';
import { ApplyError, applyPlan, changesOf, type Plan, type PlannedAction } from '../provision/apply-plan.ts';
import { planDiscord } from '../provision/plan-discord.ts';
import { planPlugin } from '../provision/plan-plugin.ts';
import { planTopicsOnly, planTwilio } from '../provision/plan-twilio.ts';
import { readPluginBundle } from '../provision/plugin-bundle.ts';
import { loadProvisionConfig, USAGE } from '../provision/provision-config.ts';
import { ProvisionError } from '../provision/provision-errors.ts';
import { appliedTable, planTable } from '../provision/summary.ts';

/** Where the run reads its answers and writes its report; a test passes its own. */
export interface ProvisionIo {
  out: (line: string) => void;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?: ((question: string) => Promise<boolean>) | undefined;
}

export interface ProvisionResult {
  exitCode: number;
  plan: PlannedAction[];
  applied: PlannedAction[];
}

/**
 * One provisioning run: plan both sides (reading only), print the plan as a table, then — unless
 * `--dry-run`, or nothing needs changing — confirm (`--yes`, or a yes on the terminal) and apply.
 * Errors are {@link ProvisionError}s whose message says what is missing and how to fix it.
 */
export async function runProvision(
  argv: string[],
  env: Record<string, string | undefined>,
  io: ProvisionIo,
  cwd?: string,
): Promise<ProvisionResult> {
  const config = loadProvisionConfig(argv, env, cwd);
  if (config === 'help') {
    io.out(USAGE);
    return { exitCode: 0, plan: [], applied: [] };
  }
  const plans: Plan[] = [];
  if (config.twilio) {
    const options = config.twilio;
    const client = twilio(
      options.TWILIO_ACCOUNT_SID,
      options.TWILIO_AUTH_TOKEN,
      twilioClientOptions(options.TWILIO_API_BASE_URL),
    );
    plans.push(await planTwilio({ client, options, envFile: config.envFile, force: config.force }));
  }
  if (config.topics) {
    const options = config.topics;
    const client = twilio(
      options.TWILIO_ACCOUNT_SID,
      options.TWILIO_AUTH_TOKEN,
      twilioClientOptions(options.TWILIO_API_BASE_URL),
    );
    plans.push(await planTopicsOnly({ client, options }));
  }
  if (config.plugin) {
    const options = config.plugin;
    // Read first: a missing bundle stops the run before anything is asked of Twilio.
    const bundle = readPluginBundle(config.bundle);
    const client = twilio(
      options.TWILIO_ACCOUNT_SID,
      options.TWILIO_AUTH_TOKEN,
      twilioClientOptions(options.TWILIO_API_BASE_URL),
    );
    plans.push(
      await planPlugin({
        client,
        bundle,
        rollback: config.rollback,
        credentials: {
          accountSid: options.TWILIO_ACCOUNT_SID,
          authToken: options.TWILIO_AUTH_TOKEN,
          apiBaseUrl: options.TWILIO_API_BASE_URL,
        },
      }),
    );
  }
  if (config.discord) {
    const options = config.discord;
    const rest = new REST({ api: options.DISCORD_API_URL }).setToken(options.DISCORD_TOKEN);
    plans.push(await planDiscord({ rest, options, envFile: config.envFile, guildId: config.guildId }));
  }
  const actions = plans.flatMap((plan) => plan.actions);
  const warnings = plans.flatMap((plan) => plan.warnings);
  const changes = changesOf(actions);
  for (const note of plans.flatMap((plan) => plan.notes ?? [])) io.out(note);
  io.out(planTable(actions));
  for (const warning of warnings) io.out(`! ${warning}`);
  const result = (exitCode: number, applied: PlannedAction[] = []) => ({ exitCode, plan: actions, applied });
  if (!changes.length) {
    io.out('\nEverything is already set up: nothing to change.');
    return result(0);
  }
  if (config.dryRun) {
    io.out(`\nDry run: ${changes.length} change(s) planned, nothing was changed.`);
    return result(0);
  }
  if (!config.yes) {
    if (!io.confirm) {
      throw new ProvisionError(
        'NOT_CONFIRMED',
        `${changes.length} change(s) planned but there is no terminal to confirm them on: run again with --yes (or --dry-run to only look).`,
      );
    }
    if (!(await io.confirm(`\nApply ${changes.length} change(s)? [y/N] `))) {
      io.out('Nothing was changed.');
      return result(1);
    }
  }
  io.out('');
  try {
    const applied = await applyPlan(actions, ({ action, result: done }) =>
      io.out(`✓ ${action.side} ${action.resource}: ${done}`),
    );
    io.out(`\n${appliedTable(applied)}\n\nDone: ${applied.length} change(s) applied.`);
    return result(
      0,
      applied.map(({ action }) => action),
    );
  } catch (error) {
    if (error instanceof ApplyError) {
      io.out(
        `\n✗ ${error.failed.side} ${error.failed.resource} failed.\n` +
          (error.done.length
            ? `Already done before it (kept; every step is safe to run again):\n${appliedTable(error.done)}`
            : 'Nothing had been changed before it.'),
      );
    }
    throw error;
  }
}

/** `npm run provision -- [--dry-run] [--yes] [--only twilio|plugin|discord] [--rollback] [--env-file .env] [--force]`. */
async function main(): Promise<void> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const confirm = interactive
    ? async (question: string) => {
        const readline = createInterface({ input: process.stdin, output: process.stdout });
        try {
          return /^y(es)?$/i.test((await readline.question(question)).trim());
        } finally {
          readline.close();
        }
      }
    : undefined;
  try {
    const { exitCode } = await runProvision(process.argv.slice(2), process.env, {
      out: (line) => console.log(line),
      confirm,
    });
    process.exitCode = exitCode;
  } catch (error) {
    if (error instanceof ProvisionError) {
      console.error(`\nprovision: ${error.message} [${error.code}]`);
      process.exitCode = error.code === 'CONFIG_INVALID' || error.code === 'BAD_FLAGS' ? 78 : 1;
      return;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
