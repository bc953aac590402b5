import type { SupervisorFigures } from '@flexcord/contracts';
import { useEffect, useState } from 'react';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError } from '../../agent/use-flexcord-api.ts';

export type FiguresLoad =
  | { kind: 'loading' }
  | { kind: 'failed'; error: Error }
  | { kind: 'ready'; figures: SupervisorFigures };

/** The figures over `days` days, read again on `refresh` and every `everyMs` while shown. */
export function useFigures(api: FlexcordApi, days: number, refresh: number, everyMs = 60_000): FiguresLoad {
  const [load, setLoad] = useState<FiguresLoad>({ kind: 'loading' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` reloads.
  useEffect(() => {
    const controller = new AbortController();
    const read = () =>
      api
        .getFigures(days, { signal: controller.signal })
        .then(({ figures }) => setLoad({ kind: 'ready', figures }))
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setLoad({ kind: 'failed', error: asError(error) });
        });
    setLoad((previous) => (previous.kind === 'ready' ? previous : { kind: 'loading' }));
    void read();
    const timer = setInterval(() => void read(), everyMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [api, days, refresh, everyMs]);
  return load;
}
