import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from '@flexcord/testkit/chromium';

/**
 * Before any browser starts: Debian's Chromium, found or installed (as root; see `@flexcord/testkit`),
 * and what Flex would load — the host page's script and the plugin bundle, built.
 */
export default function globalSetup(): void {
  ensureChromium();
  for (const script of ['../../../packages/flex-host/scripts/build.mjs', '../scripts/build.mjs']) {
    execFileSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: 'inherit' });
  }
}
