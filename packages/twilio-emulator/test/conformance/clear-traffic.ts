import { rmSync } from 'node:fs';
import { TRAFFIC_DIR } from './traffic-dir.ts';

/** Starts each run with no recorded traffic: the conformance suite checks this run's only. */
export default function clearTraffic(): void {
  rmSync(TRAFFIC_DIR, { recursive: true, force: true });
}
