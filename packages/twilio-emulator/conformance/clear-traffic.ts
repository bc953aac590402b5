import { rmSync } from 'node:fs';
import { RECORD_DIR_ENV } from '../src/recorder.ts';

/**
 * A vitest `globalSetup` for the project whose tests record traffic (its `env` names the
 * directory): each run starts with none, so the conformance suite checks this run's only.
 */
export default function clearTraffic(project: { config: { env?: Record<string, unknown> } }): void {
  const dir = project.config.env?.[RECORD_DIR_ENV];
  if (typeof dir === 'string' && dir !== '') rmSync(dir, { recursive: true, force: true });
}
