import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './config.ts';

/** The built Flex plugin, exactly what Flex would load. */
export const PLUGIN_BUNDLE = join(REPO_ROOT, 'apps/flex-plugin/build/plugin-flexcord.js');
const FLEX_HOST_SCRIPT = join(REPO_ROOT, 'packages/flex-host/dist/flex-host.js');

/** Whether `file` must be built again: it is missing, or a file under `sources` changed after it. */
export function needsBuild(file: string, sources: string[]): boolean {
  return !existsSync(file) || statSync(file).mtimeMs < newestChange(sources);
}

/** The newest modification time of the files under `dirs`, in ms (0 when there are none). */
function newestChange(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds what the agent desktop loads when it is missing or older than its sources (the
 * workspace's own and the contracts it reads): the Flex host script and the plugin bundle (both
 * esbuild, about a second each), through their workspaces' own build scripts. A stale plugin
 * would otherwise refuse what a newer bridge answers.
 */
export function ensureBundles(log: (line: string) => void): void {
  const contracts = join(REPO_ROOT, 'packages/contracts/src');
  const builds = [
    {
      file: FLEX_HOST_SCRIPT,
      workspace: '@flexcord/flex-host',
      sources: [join(REPO_ROOT, 'packages/flex-host/src')],
    },
    {
      file: PLUGIN_BUNDLE,
      workspace: 'plugin-flexcord',
      sources: [join(REPO_ROOT, 'apps/flex-plugin/src'), contracts],
    },
  ];
  for (const { file, workspace, sources } of builds) {
    if (!needsBuild(file, sources)) continue;
    log(`building ${workspace} (${file} is ${existsSync(file) ? 'older than its sources' : 'missing'})…`);
    const result = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (result.status !== 0 || !existsSync(file)) {
      throw new Error(`could not build ${workspace}: run \`npm run build -w ${workspace}\` to see why`);
    }
  }
}
