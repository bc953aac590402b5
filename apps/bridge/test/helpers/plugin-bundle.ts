import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PLUGIN_BUNDLE } from '../../src/provision/plugin-bundle.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Builds the plugin bundle the browser tests load when it is missing (its own build script, ~1 s). */
export function ensurePluginBundle(): string {
  if (!existsSync(DEFAULT_PLUGIN_BUNDLE)) {
    const result = spawnSync('npm', ['run', 'build', '-w', 'plugin-flexcord'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    if (result.status !== 0 || !existsSync(DEFAULT_PLUGIN_BUNDLE)) {
      throw new Error('could not build the plugin: run `npm run build -w plugin-flexcord` to see why');
    }
  }
  return DEFAULT_PLUGIN_BUNDLE;
}
