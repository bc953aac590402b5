import type { Translate } from '../../agent/strings.ts';
import type { FiguresStringKey } from './figures-strings.ts';

/** A duration for a person: "45 s", "12 min", "3 h 20 min", "2 d 4 h"; "—" when there is none. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A share as a whole percentage, "—" when there is nothing to take it over. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

const utcDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A day of the trend (`2026-03-08`, a UTC day) as the agent's locale writes a date. */
export function formatDay(day: string): string {
  return utcDay.format(new Date(`${day}T00:00:00Z`));
}

/** "over 12 cases", "over 1 case": what a median or an average was taken over, in the agent's words. */
export function overCount(
  t: Translate<FiguresStringKey>,
  count: number,
  one: FiguresStringKey,
  many: FiguresStringKey,
): string {
  return count === 1 ? t(one) : t(many, { count });
}
