import { ensureBundles } from '@flexcord/sandbox';
import { ensureChromium } from '@flexcord/testkit/chromium';

/**
 * Before any browser starts: Debian's Chromium, found or installed (as root; see `@flexcord/testkit`),
 * and the agent desktop's bundles built once, so that workers starting sandboxes side by side never
 * build them at the same time.
 */
export default function globalSetup(): void {
  ensureChromium();
  ensureBundles((line) => console.log(line));
}
