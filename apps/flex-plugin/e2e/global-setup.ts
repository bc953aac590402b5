import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The tests load what Flex would: build the host page's script and the plugin bundle first. */
export default function globalSetup(): void {
  for (const script of ['../../../packages/flex-host/scripts/build.mjs', '../scripts/build.mjs']) {
    execFileSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: 'inherit' });
  }
}
