import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

/**
 * The plugin is deployed by `npm run provision`, byte for byte the bundle the tests load. The Plugins
 * CLI's `flex:plugins:deploy` would compile its own webpack bundle instead; it refuses to run in a
 * folder whose package lacks its build scripts (its compatibility check on `@twilio/flex-plugin-scripts`),
 * which is what keeps an untested bundle from being deployed from here (README: "With the Twilio
 * Plugins CLI").
 */
describe('the deploy path', () => {
  it('declares no Plugins CLI build scripts, so `twilio flex:plugins:deploy` cannot ship an untested bundle', () => {
    const declared: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(Object.keys(declared)).not.toContain('@twilio/flex-plugin-scripts');
    expect(Object.keys(declared)).not.toContain('flex-plugin-scripts');
  });
});
