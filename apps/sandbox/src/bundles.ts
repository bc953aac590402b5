import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './config.ts';

/** The built Flex plugin, exactly what Flex would load. */
export const PLUGIN_BUNDLE = join(REPO_ROOT, 'apps/flex-plugin/build/plugin-flexcord.js');
const FLEX_HOST_SCRIPT = join(REPO_ROOT, 'packages/flex-host/dist/flex-host.js');

/**
 * Builds what the agent desktop loads when it is missing: the Flex host script and the plugin
 * bundle (both esbuild, about a second each), through their workspaces' own build scripts.
 */
export function ensureBundles(log: (line: string) => void): void {
  const builds = [
    { file: FLEX_HOST_SCRIPT, workspace: '@flexcord/flex-host' },
    { file: PLUGIN_BUNDLE, workspace: 'plugin-flexcord' },
  ];
  for (const { file, workspace } of builds) {
    if (existsSync(file)) continue;
    log(`building ${workspace} (${file} is missing)…`);
    const result = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (result.status !== 0 || !existsSync(file)) {
      throw new Error(`could not build ${workspace}: run \`npm run build -w ${workspace}\` to see why`);
    }
  }
}
