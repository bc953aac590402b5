/**
 * Milliseconds since the Unix epoch of the first second of 2015, Discord's epoch.
 *
 * @see https://discord.com/developers/docs/reference#snowflakes
 */
export const DISCORD_EPOCH = 1_420_070_400_000;

/**
 * Generates Discord snowflakes: 42 bits of milliseconds since {@link DISCORD_EPOCH}, 5 bits of worker id,
 * 5 bits of process id and a 12-bit increment. Ids from one generator are strictly increasing, even when
 * several are made in the same millisecond or the clock steps back.
 *
 * @see https://discord.com/developers/docs/reference#snowflakes
 */
export class SnowflakeGenerator {
  #last = 0n;
  readonly #worker: bigint;
  readonly #process: bigint;

  constructor(worker = 1, processId = 0) {
    this.#worker = BigInt(worker & 0x1f);
    this.#process = BigInt(processId & 0x1f);
  }

  /** The next snowflake, as the decimal string used on the wire. */
  next(now: number = Date.now()): string {
    let id = (BigInt(now - DISCORD_EPOCH) << 22n) | (this.#worker << 17n) | (this.#process << 12n);
    if (id <= this.#last) id = this.#last + 1n;
    this.#last = id;
    return id.toString();
  }
}

/** When a snowflake was made, in milliseconds since the Unix epoch. */
export function snowflakeTimestamp(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

/** A snowflake for a given time with all other bits zero; useful to pick ids that land on a given shard. */
export function snowflakeAt(timestamp: number, increment = 0): string {
  return ((BigInt(timestamp - DISCORD_EPOCH) << 22n) | BigInt(increment & 0xfff)).toString();
}

/** Orders two snowflakes (as strings) numerically. */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The shard that receives a guild's events.
 *
 * @see https://discord.com/developers/docs/events/gateway#sharding-sharding-formula
 */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Discord's ISO 8601 timestamp format, e.g. `2017-07-11T17:27:07.299000+00:00`. */
export function isoTimestamp(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
