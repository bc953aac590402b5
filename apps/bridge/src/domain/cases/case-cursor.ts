import type { CaseSort } from '@flexcord/contracts';
import type { CaseKey } from '../../infrastructure/db/case-search-repository.ts';
import { DomainError } from '../../infrastructure/util/domain-errors.ts';

export class InvalidCursorError extends DomainError {
  constructor(reason: string) {
    super(
      'invalid',
      'invalid_cursor',
      `cursor is not a nextCursor of this sort: ${reason} (ask for the first page again)`,
    );
  }
}

/** The largest Postgres `integer` (case numbers, votes). */
const INT4_MAX = 2_147_483_647;
/** The largest Postgres `smallint` (a priority's rank). */
const INT2_MAX = 32_767;

/**
 * What a sort's key may be, as Postgres printed it: a `timestamptz` (`2026-12-07 22:04:43.123456+00`)
 * or a whole number in its column's range. Checked here, so that a forged cursor is a 400 with a
 * reason rather than a cast Postgres refuses (a 500).
 */
const KEY_KIND: Record<CaseSort, 'timestamp' | { max: number }> = {
  updated: 'timestamp',
  newest: 'timestamp',
  oldest: 'timestamp',
  priority: { max: INT2_MAX },
  votes: { max: INT4_MAX },
};

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?$/;

/** A page's `nextCursor`: the last row's sort key and number, and the sort it belongs to (base64url JSON). */
export function encodeCursor(sort: CaseSort, key: CaseKey): string {
  return Buffer.from(JSON.stringify([sort, key.key, key.number])).toString('base64url');
}

export function decodeCursor(sort: CaseSort, cursor: string): CaseKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not base64url JSON');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3)
    throw new InvalidCursorError('not a [sort, key, number] triple');
  const [cursorSort, key, number] = parsed as unknown[];
  if (cursorSort !== sort) throw new InvalidCursorError(`it belongs to another sort than "${sort}"`);
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > INT4_MAX)
    throw new InvalidCursorError(`its case number is not between 1 and ${INT4_MAX}`);
  if (typeof key !== 'string' || key.length > 64)
    throw new InvalidCursorError('its key is not a short string');
  const problem = keyProblem(KEY_KIND[sort], key);
  if (problem) throw new InvalidCursorError(problem);
  return { key, number };
}

function keyProblem(kind: 'timestamp' | { max: number }, key: string): string | null {
  if (kind !== 'timestamp') {
    if (!/^\d{1,10}$/.test(key) || Number(key) > kind.max)
      return `its key is not a whole number from 0 to ${kind.max}`;
    return null;
  }
  const match = TIMESTAMP.exec(key);
  if (!match) return 'its key is not a timestamp';
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  // A real calendar day (no 9999-99-99, no 31 February), a real time, an offset Postgres accepts.
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  const realDay =
    year! >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day;
  if (!realDay || hour! > 23 || minute! > 59 || second! > 59 || offsetHours > 15 || offsetMinutes > 59)
    return 'its key is not a real date and time';
  return null;
}
