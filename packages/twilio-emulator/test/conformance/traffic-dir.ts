import { fileURLToPath } from 'node:url';

/** Where the emulator's tests record every REST exchange, for the conformance suite to check. */
export const TRAFFIC_DIR = fileURLToPath(new URL('../../.reports/twilio-traffic', import.meta.url));
