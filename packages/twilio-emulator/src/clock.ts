/**
 * The emulator's clock: wall time plus an offset that tests (and the sandbox) move forward, so that
 * Conversations timers (`Timers.Inactive`, `Timers.Closed`) and token expiries can be exercised
 * without waiting.
 */
export class EmulatorClock {
  #offsetMs: number;
  readonly #listeners = new Set<(now: Date) => void>();

  /** @param start - what "now" is at construction (default: the wall clock) */
  constructor(start?: Date) {
    this.#offsetMs = start ? start.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  /** Moves time forward by `ms` (a number) or an ISO-8601 duration (`PT10M`) and runs due timers. */
  advance(by: number | string): Date {
    const ms = typeof by === 'number' ? by : parseIsoDuration(by);
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Cannot advance the clock by ${String(by)}`);
    }
    this.#offsetMs += ms;
    const now = this.now();
    for (const listener of this.#listeners) listener(now);
    return now;
  }

  /** Calls `listener` after every {@link advance}; returns the unsubscribe function. */
  onAdvance(listener: (now: Date) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Milliseconds of an ISO-8601 duration as Twilio accepts them (`PT5M`, `P1D`, `PT1H30M`, `P1W`), or
 * `undefined` when `value` is not one. Years and months are not accepted (their length varies).
 */
export function parseIsoDuration(value: string): number | undefined {
  const match = ISO_DURATION.exec(value.trim());
  if (!match || value.trim() === 'P' || value.trim().toUpperCase().endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const n = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  return Math.round(
    ((((n(weeks) * 7 + n(days)) * 24 + n(hours)) * 60 + n(minutes)) * 60 + n(seconds)) * 1000,
  );
}

/** ISO 8601 without milliseconds, the way Twilio's v1/v2 APIs write dates (`2024-01-01T10:00:00Z`). */
export function twilioDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
