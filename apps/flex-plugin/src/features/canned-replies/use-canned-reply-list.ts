import type { CannedReplyListResponse } from '@flexcord/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError } from '../../agent/use-flexcord-api.ts';

export interface CannedReplyList {
  status: 'loading' | 'done' | 'failed';
  data: CannedReplyListResponse | null;
  error: Error | null;
  reload(): void;
}

/**
 * The shared replies and the agent's own, as written; read again on `reload` (after a change) and
 * when `who` changes (another agent signed in: their personal replies, not the last one's).
 */
export function useCannedReplyList(api: FlexcordApi, who: string): CannedReplyList {
  const [round, setRound] = useState(0);
  const [state, setState] = useState<Omit<CannedReplyList, 'reload'>>({
    status: 'loading',
    data: null,
    error: null,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` and `who` reload.
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, status: 'loading', error: null }));
    api.listCannedReplies({ signal: controller.signal }).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'done', data, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', data: null, error: asError(error) });
      },
    );
    return () => controller.abort();
  }, [api, round, who]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
