import type { Manager } from '@twilio/flex-ui';

/** The Flex UI attribute that switches features off: `{"flexcord_features": {"case-desk": {"enabled": false}}}`. */
export const FEATURES_UI_ATTRIBUTE = 'flexcord_features';

/**
 * Whether a feature is on for this Flex account: every feature is, unless the Flex configuration's
 * `ui_attributes.flexcord_features.<name>.enabled` is `false` (set with the Flex Configuration API,
 * no rebuild), as flex-project-template's features are switched.
 *
 * @see https://www.twilio.com/docs/flex/developer/config/flex-configuration-rest-api
 */
export function isFeatureEnabled(manager: Pick<Manager, 'serviceConfiguration'>, name: string): boolean {
  const uiAttributes: Record<string, unknown> | undefined = manager.serviceConfiguration?.ui_attributes as
    | Record<string, unknown>
    | undefined;
  const features = uiAttributes?.[FEATURES_UI_ATTRIBUTE];
  if (typeof features !== 'object' || features === null) return true;
  const setting = (features as Record<string, unknown>)[name];
  if (typeof setting !== 'object' || setting === null) return true;
  return (setting as { enabled?: unknown }).enabled !== false;
}
