import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/;

const RangesSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .pipe(
    z.array(
      z
        .string()
        .trim()
        .regex(RANGE, 'hours are "HH:MM-HH:MM" (24 h), e.g. "09:00-17:30"')
        .refine((range) => minutesOf(range).end > minutesOf(range).start, 'a range must end after it starts'),
    ),
  );

/**
 * The brand's support hours, as deployers write them (`SUPPORT_HOURS`): an IANA time zone, the
 * opening hours of each weekday in that zone, and holidays (dates in that zone, closed all day).
 *
 * ```json
 * {"timeZone":"Europe/Madrid","label":"CET","weekly":{"mon":"09:00-18:00","tue":"09:00-18:00",
 *  "wed":"09:00-18:00","thu":"09:00-18:00","fri":["09:00-14:00","15:00-18:00"]},
 *  "holidays":["2026-12-25","2027-01-01"]}
 * ```
 */
export const SupportHoursSchema = z.object({
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as "Europe/Madrid"'),
  /** Shown after times the member reads ("9:00 (CET)"); default the zone's short name in their language. */
  label: z.string().trim().min(1).max(40).optional(),
  weekly: z.partialRecord(z.enum(DAYS), RangesSchema),
  holidays: z.array(z.iso.date()).default([]),
});
export type SupportHoursSpec = z.infer<typeof SupportHoursSchema>;

/** `open`/`closed` forces the state whatever the schedule says (an operator's switch, the sandbox). */
export type HoursOverride = 'schedule' | 'open' | 'closed';

function minutesOf(range: string): { start: number; end: number } {
  const [, h1, m1, h2, m2] = RANGE.exec(range) ?? [];
  return { start: Number(h1) * 60 + Number(m1), end: Number(h2) * 60 + Number(m2) };
}

/** How far ahead the next opening is looked for (holidays can close many days in a row). */
const LOOKAHEAD_DAYS = 60;

/**
 * When the team is there: open now or not, and when it opens next, in the brand's time zone.
 * Without a schedule the team is always there (unless the override closes it).
 */
export class SupportHours {
  constructor(
    private readonly spec: SupportHoursSpec | null,
    private readonly override: HoursOverride = 'schedule',
  ) {}

  /** Whether a member asking for a person at `at` is routed to Flex now. */
  isOpen(at: Date): boolean {
    if (this.override !== 'schedule') return this.override === 'open';
    if (!this.spec) return true;
    return this.#intervals(at, 0, 1).some((interval) => interval.start <= at && at < interval.end);
  }

  /** The next time the team opens after `at` (the start of the next opening interval), or null if unknown. */
  nextOpening(at: Date): Date | null {
    if (!this.spec) return null;
    const next = this.#intervals(at, -1, LOOKAHEAD_DAYS).find((interval) => interval.start > at);
    return next?.start ?? null;
  }

  /**
   * When the team is back, in the member's language and the brand's time zone: "Monday 9:00 (CET)",
   * "lunes 9:00 (CET)"; with the date when it is a week or more away. Null when unknown.
   */
  describeReturn(at: Date, locale: string | null): string | null {
    const spec = this.spec;
    const next = this.nextOpening(at);
    if (!spec || !next) return null;
    const lang = locale ?? 'en-US';
    const when = DateTime.fromJSDate(next, { zone: spec.timeZone }).setLocale(lang);
    const now = DateTime.fromJSDate(at, { zone: spec.timeZone });
    const day =
      when.diff(now, 'days').days >= 6
        ? when.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })
        : when.toLocaleString({ weekday: 'long' });
    const label = spec.label ?? when.toFormat('ZZZZ');
    return `${day} ${when.toFormat('H:mm')} (${label})`;
  }

  /** Opening intervals of the days from `fromDay` to `toDay` (relative to `at`'s day in the zone). */
  #intervals(at: Date, fromDay: number, toDay: number): Array<{ start: Date; end: Date }> {
    const spec = this.spec!;
    const today = DateTime.fromJSDate(at, { zone: spec.timeZone }).startOf('day');
    const holidays = new Set(spec.holidays);
    const intervals: Array<{ start: Date; end: Date }> = [];
    for (let offset = fromDay; offset <= toDay; offset++) {
      const day = today.plus({ days: offset });
      if (holidays.has(day.toISODate() ?? '')) continue;
      const ranges = spec.weekly[DAYS[day.weekday - 1] as Day] ?? [];
      for (const range of ranges) {
        const { start, end } = minutesOf(range);
        // Wall-clock times of that day, so a daylight-saving change keeps "09:00" at nine.
        const wall = (minutes: number) =>
          minutes === 24 * 60
            ? day.plus({ days: 1 })
            : day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
        intervals.push({ start: wall(start).toJSDate(), end: wall(end).toJSDate() });
      }
    }
    return intervals.sort((a, b) => a.start.getTime() - b.start.getTime());
  }
}

/**
 * `SUPPORT_HOURS` as written: inline JSON, or the path of a JSON file holding it. Throws with a
 * message naming what is wrong.
 */
export function parseSupportHours(raw: string, readFile: (path: string) => string): SupportHoursSpec {
  const text = raw.trim().startsWith('{') ? raw : readFile(raw.trim());
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  const result = SupportHoursSchema.safeParse(value);
  if (!result.success)
    throw new Error(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; '),
    );
  return result.data;
}
