import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProvisionError } from './provision-errors.ts';

/** The plugin workspace, found from this file (`apps/bridge/src/provision` → `apps/flex-plugin`). */
const PLUGIN_DIR = fileURLToPath(new URL('../../../flex-plugin/', import.meta.url));

/**
 * The bundle the browser tests load: `apps/flex-plugin/build/<package name>.js`, as
 * `apps/flex-plugin/scripts/build.mjs` writes it (the sandbox, the Flex host e2e and the plugin's
 * own e2e all serve this file).
 */
export const DEFAULT_PLUGIN_BUNDLE = `${PLUGIN_DIR}build/plugin-flexcord.js`;

/** The plugin bundle to deploy: its bytes, their sha256, and the name and version Flex knows it by. */
export interface PluginBundle {
  path: string;
  bytes: Buffer;
  sha256: string;
  /** The plugin's unique name (the package name, `plugin-flexcord`). */
  name: string;
  /** The package version. */
  packageVersion: string;
  /**
   * The plugin version registered with Flex: the package version with the checksum's first 12 hex
   * digits as a pre-release tag (`0.1.0-sha-3f2a9c1b0d4e`), so the same bytes always get the same
   * version and different bytes never do.
   */
  version: string;
}

/** Reads a built bundle; a missing one is a {@link ProvisionError} that says how to build it. */
export function readPluginBundle(path: string = DEFAULT_PLUGIN_BUNDLE): PluginBundle {
  if (!existsSync(path)) {
    throw new ProvisionError(
      'PLUGIN_BUNDLE_MISSING',
      `The plugin bundle ${path} is missing: build it with \`npm run build -w plugin-flexcord\` (the build the browser tests load), then run provisioning again.`,
    );
  }
  const pkg = JSON.parse(readFileSync(`${PLUGIN_DIR}package.json`, 'utf8')) as {
    name: string;
    version: string;
  };
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    path,
    bytes,
    sha256,
    name: pkg.name,
    packageVersion: pkg.version,
    version: `${pkg.version.split(/[-+]/)[0]}-sha-${sha256.slice(0, 12)}`,
  };
}

/** What a plugin version's changelog records, so a later run can compare checksums. */
export function checksumChangelog(sha256: string): string {
  return `sha256:${sha256}`;
}

/** The sha256 a changelog written by {@link checksumChangelog} records, if any. */
export function checksumOfChangelog(changelog: string | null | undefined): string | undefined {
  return /sha256:([0-9a-f]{64})/.exec(changelog ?? '')?.[1];
}
