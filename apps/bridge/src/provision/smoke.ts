import { bridgeChecks } from './smoke-bridge.ts';
import type { SmokeOptions } from './smoke-config.ts';
import { discordChecks } from './smoke-discord.ts';
import type { SmokeDeps, SmokeResult } from './smoke-result.ts';
import { twilioChecks } from './smoke-twilio.ts';

export { discordRest, inviteUrl } from './smoke-discord.ts';
export type { SmokeDeps, SmokeResult } from './smoke-result.ts';

/**
 * The live checks that need no member: Twilio, then the bridge at `PUBLIC_BASE_URL`, then Discord,
 * each a {@link SmokeResult}. Checks that depend on an earlier one (a Discord guild on a valid
 * token) are skipped when it failed, so one cause gives one sentence.
 */
export async function runSmokeChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  return [
    ...(await twilioChecks(options, deps)),
    ...(await bridgeChecks(options, deps)),
    ...(await discordChecks(options, deps)),
  ];
}
