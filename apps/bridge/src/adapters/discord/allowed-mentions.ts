/**
 * Text from agents, feeds and members' own words never pings anyone: every message the bridge
 * posts carries this `allowed_mentions`.
 *
 * @see https://discord.com/developers/docs/resources/message#allowed-mentions-object
 */
export const NO_MENTIONS = { parse: [] as never[] };
