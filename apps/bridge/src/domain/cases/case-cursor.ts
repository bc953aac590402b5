import type { CaseSort } from '@flexcord/contracts';
import type { CaseKey } from '../../infrastructure/db/case-search-repository.ts';
import { DomainError } from '../domain-errors.ts';

export class InvalidCursorError extends DomainError {
  constructor() {
    super(
      'invalid',
      'invalid_cursor',
      'cursor is not a nextCursor of this sort (ask for the first page again)',
    );
  }
}

/** A page's `nextCursor`: the last row's sort key and number, and the sort it belongs to (base64url JSON). */
export function encodeCursor(sort: CaseSort, key: CaseKey): string {
  return Buffer.from(JSON.stringify([sort, key.key, key.number])).toString('base64url');
}

export function decodeCursor(sort: CaseSort, cursor: string): CaseKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length > 64 ||
    !Number.isSafeInteger(parsed[2])
  )
    throw new InvalidCursorError();
  // The key is compared as the sort's column type: a timestamp or a small number, nothing else.
  if (!/^[0-9 :.+\-T]+$/.test(parsed[1])) throw new InvalidCursorError();
  return { key: parsed[1], number: parsed[2] as number };
}
