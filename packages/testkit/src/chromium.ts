import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian's `chromium` package puts the browser. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Exactly what a person without root runs to get the browser the tests drive. */
export const INSTALL_CHROMIUM =
  'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';

/** Chromium's flags for the browser tests: nothing runs in the background or phones home. */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What finding and installing Chromium looks at and does; the defaults are this machine's. */
export interface ChromiumHost {
  env: Record<string, string | undefined>;
  /** The user id (0: root); undefined where there is none (Windows). */
  uid: number | undefined;
  isExecutable(path: string): boolean;
  /** Runs a command with its output shown; throws when it fails or cannot start. */
  run(command: string, args: string[], env: Record<string, string | undefined>): void;
  log(line: string): void;
}

export const thisMachine: ChromiumHost = {
  env: process.env,
  uid: process.getuid?.(),
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  run(command, args, env) {
    execFileSync(command, args, { stdio: 'inherit', env });
  },
  log: (line) => console.log(line),
};

/** Chromium is missing and this setup may not install it: the message says what to do. */
export class ChromiumMissingError extends Error {
  readonly code = 'CHROMIUM_MISSING';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChromiumMissingError';
  }
}

/**
 * The browser the tests drive: `CHROMIUM_PATH` when set, else `chromium` on the `PATH`, else
 * {@link DEBIAN_CHROMIUM}; null when none is an executable file.
 */
export function findChromium(host: ChromiumHost = thisMachine): string | null {
  const configured = host.env.CHROMIUM_PATH;
  if (configured) return host.isExecutable(configured) ? configured : null;
  const onPath = (host.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'chromium'))
    .find((candidate) => host.isExecutable(candidate));
  if (onPath) return onPath;
  return host.isExecutable(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null;
}

/**
 * The path to give Playwright's `launchOptions.executablePath`: the Chromium found now, or where
 * {@link ensureChromium} (the global setup, which runs after the config is read) installs it.
 */
export function chromiumExecutablePath(host: ChromiumHost = thisMachine): string {
  return host.env.CHROMIUM_PATH || findChromium(host) || DEBIAN_CHROMIUM;
}

/**
 * Makes sure the browser tests have a Chromium, and returns its path. Playwright never downloads a
 * browser here: as root, a missing one is installed from Debian with apt-get; otherwise (and when
 * `CHROMIUM_PATH` names something that is not there) it throws {@link ChromiumMissingError} with
 * exactly what to install, so a missing browser never passes for a skipped test.
 */
export function ensureChromium(host: ChromiumHost = thisMachine): string {
  const found = findChromium(host);
  if (found) return found;
  const configured = host.env.CHROMIUM_PATH;
  if (configured) {
    throw new ChromiumMissingError(
      `CHROMIUM_PATH is ${configured}, which is not an executable file. Point it at a Chromium binary, ` +
        `or unset it and install Debian's: ${INSTALL_CHROMIUM}`,
    );
  }
  if (host.uid !== 0) {
    throw new ChromiumMissingError(
      'The browser tests need Chromium and none was found (CHROMIUM_PATH, `chromium` on the PATH, ' +
        `${DEBIAN_CHROMIUM}). Install Debian's chromium:\n\n  ${INSTALL_CHROMIUM}\n\n` +
        'or set CHROMIUM_PATH to a Chromium binary, then run the tests again.',
    );
  }
  host.log(`Chromium is missing: installing Debian's chromium with apt-get…`);
  const env = { ...host.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    host.run('apt-get', ['update'], env);
    host.run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], env);
  } catch (error) {
    throw new ChromiumMissingError(
      `Installing Debian's chromium failed (apt-get update && apt-get install -y --no-install-recommends ` +
        `chromium): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const installed = findChromium(host);
  if (!installed) {
    throw new ChromiumMissingError(
      `apt-get installed chromium, but there is still no ${DEBIAN_CHROMIUM}: set CHROMIUM_PATH to the browser.`,
    );
  }
  host.log(`Chromium installed: ${installed}`);
  return installed;
}

/** Playwright's `use.launchOptions` for the browser tests: this Chromium, headless, quiet. */
export function chromiumLaunchOptions(host: ChromiumHost = thisMachine) {
  return { executablePath: chromiumExecutablePath(host), args: [...CHROMIUM_ARGS] };
}
