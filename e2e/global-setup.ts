import { ensureChromium } from '@flexcord/testkit/chromium';

/** Debian's Chromium, found or installed (as root) before any browser starts; see `@flexcord/testkit`. */
export default function globalSetup(): void {
  ensureChromium();
}
