import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** The repository root: `.data/` and the plugin bundle are found from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const port = z.coerce.number().int().min(0).max(65_535);

/**
 * The sandbox's configuration, from flags (first) and the environment. This is the only module
 * that reads `process.env`.
 */
export const SandboxConfigSchema = z.object({
  /** The web page (member client + agent desktop). */
  webPort: port.default(5173),
  bridgePort: port.default(3000),
  discordPort: port.default(4100),
  twilioPort: port.default(4200),
  host: z.string().default('127.0.0.1'),
  /** PGlite data and the sandbox's files; kept between runs. */
  dataDir: z.string().default(`${REPO_ROOT}.data`),
  /** Start from an empty database. */
  reset: z.boolean().default(false),
  /** How often the bridge polls the sandbox's announcements feed. */
  feedIntervalSeconds: z.coerce.number().int().min(5).max(3600).default(5),
  /**
   * The support hours: `schedule` follows the demo brand's (weekdays 9:00–18:00 in Madrid), `closed`
   * is closed now whatever the clock says ("Talk to an agent" says when the team is back and keeps
   * the request), `open` (default) is always open.
   */
  hours: z.enum(['open', 'closed', 'schedule']).default('open'),
  /**
   * The demo brand's help topics (apps/sandbox/src/demo-topics.ts): `on` (default) → /helpme offers
   * them in a menu first; `off` → /helpme greets in a DM at once, as for a brand without topics.
   */
  topics: z.enum(['on', 'off']).default('on'),
  /** The bridge's log level (its logs go to the terminal). */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;
export type SandboxConfigInput = z.input<typeof SandboxConfigSchema>;

/** Where each setting comes from: a flag and an environment variable. */
const SOURCES = {
  webPort: { flag: 'port', env: 'SANDBOX_PORT' },
  bridgePort: { flag: 'bridge-port', env: 'SANDBOX_BRIDGE_PORT' },
  discordPort: { flag: 'discord-port', env: 'SANDBOX_DISCORD_PORT' },
  twilioPort: { flag: 'twilio-port', env: 'SANDBOX_TWILIO_PORT' },
  host: { flag: 'host', env: 'SANDBOX_HOST' },
  dataDir: { flag: 'data-dir', env: 'SANDBOX_DATA_DIR' },
  feedIntervalSeconds: { flag: 'feed-interval', env: 'SANDBOX_FEED_INTERVAL_SECONDS' },
  logLevel: { flag: 'log-level', env: 'SANDBOX_LOG_LEVEL' },
  hours: { flag: 'hours', env: 'SANDBOX_HOURS' },
  topics: { flag: 'topics', env: 'SANDBOX_TOPICS' },
} as const satisfies Partial<Record<keyof SandboxConfig, { flag: string; env: string }>>;

/** The flag and variable that set a port, for error messages. */
export function sourceOf(key: keyof typeof SOURCES): string {
  return `--${SOURCES[key].flag} or ${SOURCES[key].env}`;
}

export const USAGE = `Usage: npm run demo -- [options]

  --port <n>            web page (default 5173, env SANDBOX_PORT)
  --bridge-port <n>     bridge (default 3000, env SANDBOX_BRIDGE_PORT)
  --discord-port <n>    Discord emulator (default 4100, env SANDBOX_DISCORD_PORT)
  --twilio-port <n>     Twilio emulator (default 4200, env SANDBOX_TWILIO_PORT)
  --host <addr>         interface to listen on (default 127.0.0.1, env SANDBOX_HOST)
  --data-dir <dir>      PGlite data (default <repo>/.data, env SANDBOX_DATA_DIR)
  --reset               start from an empty database
  --feed-interval <s>   announcements feed poll interval (default 5)
  --log-level <level>   bridge log level (default warn)
  --hours <mode>        support hours: open (default), closed (closed now) or schedule
                        (weekdays 9:00-18:00, Madrid) (env SANDBOX_HOURS)
  --topics <on|off>     /helpme's menu of help topics (default on, env SANDBOX_TOPICS)
  -h, --help`;

export class SandboxConfigError extends Error {
  readonly code = 'SANDBOX_CONFIG_INVALID';
}

/** Parses flags (`argv` without node and the script) and the environment into a {@link SandboxConfig}. */
export function loadSandboxConfig(
  argv: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): SandboxConfig & { help: boolean } {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new SandboxConfigError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const input: Record<string, unknown> = { reset: parsed.reset ?? env.SANDBOX_RESET === '1' };
  for (const [key, source] of Object.entries(SOURCES)) {
    const value = parsed[source.flag as keyof typeof parsed] ?? env[source.env];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = SandboxConfigSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof typeof SOURCES;
      return `  ${key in SOURCES ? sourceOf(key) : key}: ${issue.message}`;
    });
    throw new SandboxConfigError(`Invalid sandbox options:\n${lines.join('\n')}`);
  }
  return { ...result.data, help: parsed.help ?? false };
}

function parseFlags(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'bridge-port': { type: 'string' },
      'discord-port': { type: 'string' },
      'twilio-port': { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'feed-interval': { type: 'string' },
      'log-level': { type: 'string' },
      hours: { type: 'string' },
      topics: { type: 'string' },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return values;
}
