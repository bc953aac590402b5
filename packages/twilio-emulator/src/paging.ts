import type { Request } from 'express';
import { invalidParameter } from './errors.ts';
import { paramsOf } from './http.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/** A Twilio list response: the items under `key` plus the `meta` block twilio-node follows. */
export interface TwilioPage<T> {
  meta: {
    page: number;
    page_size: number;
    first_page_url: string;
    previous_page_url: string | null;
    url: string;
    next_page_url: string | null;
    key: string;
  };
  [key: string]: T[] | TwilioPage<T>['meta'];
}

/**
 * One page of `items` for a list request with `PageSize`, `Page` and `PageToken`, with paging URLs
 * that point back at the emulator (absolute, with every filter of the request), so twilio-node's
 * `list()`/`each()` walk the pages through its configured HTTP client.
 *
 * @param baseUrl - the emulator's base URL
 * @see https://www.twilio.com/docs/usage/twilios-response#pagination
 */
export function pageOf<T>(req: Request, items: readonly T[], key: string, baseUrl: string): TwilioPage<T> {
  const params = paramsOf(req);
  const pageSize = Math.min(params.int('PageSize') ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (pageSize <= 0) throw invalidParameter('PageSize must be positive');
  const page = params.int('Page') ?? 0;
  const token = params.get('PageToken');
  const offset = token ? decodeToken(token) : page * pageSize;

  const path = `${baseUrl}${req.originalUrl.split('?')[0] ?? ''}`;
  const filters = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
  for (const name of ['PageSize', 'Page', 'PageToken']) filters.delete(name);
  const urlFor = (pageNumber: number, pageOffset: number | undefined) => {
    const search = new URLSearchParams(filters);
    search.set('PageSize', String(pageSize));
    search.set('Page', String(pageNumber));
    if (pageOffset !== undefined) search.set('PageToken', encodeToken(pageOffset));
    return `${path}?${search.toString()}`;
  };

  const slice = items.slice(offset, offset + pageSize);
  const hasNext = offset + pageSize < items.length;
  return {
    [key]: slice,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: urlFor(0, undefined),
      previous_page_url: page > 0 ? urlFor(page - 1, Math.max(0, offset - pageSize)) : null,
      url: urlFor(page, token ? offset : undefined),
      next_page_url: hasNext ? urlFor(page + 1, offset + pageSize) : null,
      key,
    },
  };
}

function encodeToken(offset: number): string {
  return `PT${offset.toString(16)}`;
}

function decodeToken(token: string): number {
  const match = /^PT([0-9a-f]+)$/i.exec(token);
  if (!match?.[1]) throw invalidParameter('Invalid PageToken');
  return Number.parseInt(match[1], 16);
}
