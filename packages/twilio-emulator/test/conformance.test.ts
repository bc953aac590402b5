import { expect, it } from 'vitest';
import { describeTwilioConformance, staleDeviations } from '../conformance/index.ts';
import { TRAFFIC_DIR } from './conformance/traffic-dir.ts';

// Every exchange of the emulator's own tests (the `emulator` project, which runs first).
describeTwilioConformance(TRAFFIC_DIR, { minimumExchanges: 100 });

it('keeps no known deviation that its own tests no longer show', () => {
  expect(staleDeviations([TRAFFIC_DIR])).toEqual([]);
});
