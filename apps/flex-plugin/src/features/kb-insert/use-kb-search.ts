import type { KbSearchHit, KbSearchResponse } from '@flexcord/contracts';
import { useEffect, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError } from '../../agent/use-flexcord-api.ts';

/** How long typing must pause before the knowledge base is searched. */
export const KB_SEARCH_DEBOUNCE_MS = 250;
export const KB_SEARCH_LIMIT = 5;

export interface KbSearch {
  status: 'idle' | 'searching' | 'done' | 'failed';
  /** What the bridge would show a member for this question: only the articles its confidence allows. */
  results: readonly KbSearchHit[];
  /** How sure the bridge is of the first result (`unsure`: only near matches); null before an answer. */
  outcome: KbSearchResponse['outcome'] | null;
  error: Error | null;
}

const idle: KbSearch = { status: 'idle', results: [], outcome: null, error: null };

/**
 * Searches the knowledge base as the agent types: once typing pauses for `delayMs`, and only for the
 * latest query (an older answer arriving late is dropped). Results stay on screen while the next
 * search runs.
 */
export function useKbSearch(api: FlexcordApi, query: string, delayMs = KB_SEARCH_DEBOUNCE_MS): KbSearch {
  const [search, setSearch] = useState<KbSearch>(idle);
  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setSearch(idle);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearch((previous) => ({ ...previous, status: 'searching', error: null }));
      api.searchKb(q, { limit: KB_SEARCH_LIMIT, signal: controller.signal }).then(
        ({ results, outcome }) => {
          if (!controller.signal.aborted)
            setSearch({ status: 'done', results, outcome: outcome ?? null, error: null });
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setSearch({ status: 'failed', results: [], outcome: null, error: asError(error) });
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, query, delayMs]);
  return search;
}
