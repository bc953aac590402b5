import type { FlexHostApi } from '@flexcord/flex-host';

/**
 * The host page's globals, as the `page.evaluate` callbacks of these tests see them. The tests are
 * type-checked as Node code (they start the bridge), so the page's `window` is declared here.
 */
declare global {
  var window: {
    FlexHost?: FlexHostApi;
    flexHostReady?: Promise<void>;
  };
}
