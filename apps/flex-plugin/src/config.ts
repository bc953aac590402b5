import type { Manager } from '@twilio/flex-ui';
import { z } from 'zod';

/**
 * The plugin's only reader of `process.env`. Flex plugins are configured at build time: the bundler
 * replaces each `process.env.FLEX_APP_*` below with its value (see `scripts/build.mjs`), so this module
 * must name every variable literally.
 */
const BuildEnvSchema = z.object({
  /** Where the Flexcord bridge serves its plugin API (`/api/...`). */
  FLEX_APP_FLEXCORD_API_URL: z.url().default('http://localhost:3000'),
});

export const buildEnv = BuildEnvSchema.parse({
  FLEX_APP_FLEXCORD_API_URL: process.env.FLEX_APP_FLEXCORD_API_URL || undefined,
});

/** The Flex UI attribute that overrides the build-time API URL without a rebuild. */
export const API_URL_UI_ATTRIBUTE = 'flexcord_api_url';

/**
 * The bridge's base URL for this Flex account: `ui_attributes.flexcord_api_url` of the Flex
 * configuration when set (one bundle can then serve several environments), else the build-time
 * `FLEX_APP_FLEXCORD_API_URL`.
 *
 * @see https://www.twilio.com/docs/flex/developer/config/flex-configuration-rest-api
 */
export function flexcordApiUrl(manager: Manager): string {
  const uiAttributes: object | undefined = manager.serviceConfiguration?.ui_attributes;
  if (uiAttributes && API_URL_UI_ATTRIBUTE in uiAttributes) {
    const value = uiAttributes[API_URL_UI_ATTRIBUTE];
    if (typeof value === 'string' && z.url().safeParse(value).success) return value.replace(/\/+$/, '');
  }
  return buildEnv.FLEX_APP_FLEXCORD_API_URL.replace(/\/+$/, '');
}
