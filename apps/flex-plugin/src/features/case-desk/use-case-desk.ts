import type { CaseSearchInput, CaseSearchResponse } from '@flexcord/contracts';
import { useEffect, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError } from '../../agent/use-flexcord-api.ts';

export type DeskLoad =
  | { kind: 'loading' }
  | { kind: 'failed'; error: Error }
  | { kind: 'ready'; page: CaseSearchResponse };

/** What the agent chose in the desk's bar (the query, without its page). */
export type DeskFilters = Omit<CaseSearchInput, 'cursor' | 'limit'>;

export const PAGE_SIZE = 25;

/**
 * One page of the case desk for the filters: a new filter starts at page 1; `next` follows the
 * page's cursor and `previous` goes back (the cursors seen are kept). The first page's count is
 * kept while paging on.
 */
export function useCaseDesk(api: FlexcordApi, filters: DeskFilters, refresh: number) {
  const [cursors, setCursors] = useState<string[]>([]);
  const [load, setLoad] = useState<DeskLoad>({ kind: 'loading' });
  const [total, setTotal] = useState<{ total: number | null; capped: boolean } | null>(null);
  const key = JSON.stringify(filters);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filters.
  useEffect(() => setCursors([]), [key]);

  const cursor = cursors[cursors.length - 1];
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filters; `refresh` reloads.
  useEffect(() => {
    const controller = new AbortController();
    setLoad((previous) => (previous.kind === 'ready' ? previous : { kind: 'loading' }));
    const timer = setTimeout(() => {
      api
        .searchCases(
          { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          { signal: controller.signal },
        )
        .then(
          (page) => {
            if (controller.signal.aborted) return;
            setLoad({ kind: 'ready', page });
            if (!cursor) setTotal({ total: page.total, capped: page.totalCapped });
          },
          (error: unknown) => {
            if (!controller.signal.aborted) setLoad({ kind: 'failed', error: asError(error) });
          },
        );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, key, cursor, refresh]);

  const page = load.kind === 'ready' ? load.page : null;
  return {
    load,
    total,
    pageNumber: cursors.length + 1,
    hasNext: Boolean(page?.nextCursor),
    hasPrevious: cursors.length > 0,
    next: () => {
      if (page?.nextCursor) setCursors((seen) => [...seen, page.nextCursor!]);
    },
    previous: () => setCursors((seen) => seen.slice(0, -1)),
  };
}
