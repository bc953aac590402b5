import { pathToFileURL } from 'node:url';
import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { ProvisionError } from '../provision/provision-errors.ts';
import { discordRest, runSmokeChecks, type SmokeDeps, type SmokeResult } from '../provision/smoke.ts';
import { loadSmokeConfig, SMOKE_USAGE } from '../provision/smoke-config.ts';

/**
 * `npm run smoke`: runs every check, prints ✓ or ✗ with the problem and its fix, and returns the
 * exit code (0 all good, 1 something to fix).
 */
export async function runSmoke(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  deps: Partial<SmokeDeps> = {},
  cwd?: string,
): Promise<{ exitCode: number; results: SmokeResult[] }> {
  const config = loadSmokeConfig(argv, env, cwd);
  if (config === 'help') {
    out(SMOKE_USAGE);
    return { exitCode: 0, results: [] };
  }
  const { options } = config;
  const results = await runSmokeChecks(options, {
    twilio: twilio(
      options.TWILIO_ACCOUNT_SID,
      options.TWILIO_AUTH_TOKEN,
      twilioClientOptions(options.TWILIO_API_BASE_URL),
    ),
    rest: discordRest(options),
    ...(config.bundle ? { bundlePath: config.bundle } : {}),
    ...deps,
  });
  for (const result of results) {
    out(
      result.ok
        ? `✓ ${result.check}: ${result.message}`
        : `✗ ${result.check}: ${result.message}\n    fix: ${result.fix ?? ''}`,
    );
  }
  const problems = results.filter((result) => !result.ok).length;
  out(problems ? `\n${problems} problem(s) to fix.` : '\nAll checks passed.');
  return { exitCode: problems ? 1 : 0, results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runSmoke(process.argv.slice(2), process.env, (line) => console.log(line))
    .then(({ exitCode }) => {
      process.exitCode = exitCode;
    })
    .catch((error: unknown) => {
      if (error instanceof ProvisionError) {
        console.error(`\nsmoke: ${error.message} [${error.code}]`);
        process.exitCode = 78;
        return;
      }
      console.error(error);
      process.exitCode = 1;
    });
}
