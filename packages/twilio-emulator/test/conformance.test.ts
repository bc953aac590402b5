import { describe, expect, it } from 'vitest';
import { checkTraffic, isKnown, readTraffic } from './conformance/check.ts';
import { KNOWN_DEVIATIONS } from './conformance/known-deviations.ts';
import { TRAFFIC_DIR } from './conformance/traffic-dir.ts';
import { loadCatalogue } from './conformance/twilio-node-catalogue.ts';

/**
 * Twilio's own description of its APIs (twilio-node's generated resources) against every REST
 * exchange the emulator's tests caused (recorded by the `emulator` project, which runs first):
 * each response has exactly the documented fields with their types, each error Twilio's shape,
 * and each request the emulator accepted only parameters Twilio knows, with the required ones.
 * Whatever differs and is not in `known-deviations.ts` (with its reason) fails here.
 */
const catalogue = loadCatalogue(['taskrouter/v1', 'conversations/v1', 'studio/v2', 'flexApi/v1']);
const traffic = readTraffic(TRAFFIC_DIR);
const problems = checkTraffic(catalogue, traffic);

describe('the Twilio emulator held to twilio-node', () => {
  it('has recorded traffic to check (the emulator project ran first)', () => {
    expect(
      traffic.length,
      `no traffic under ${TRAFFIC_DIR}: run the whole package (npx vitest run)`,
    ).toBeGreaterThan(100);
  });

  it('reads the documented resources out of twilio-node', () => {
    const task = catalogue.find(
      (op) => op.method === 'POST' && op.template === '/taskrouter/v1/Workspaces/{workspaceSid}/Tasks/{sid}',
    );
    expect(task?.resource?.fields.has('assignment_status')).toBe(true);
    expect(task?.headers.has('If-Match')).toBe(true);
    expect(task?.params.has('Attributes')).toBe(true);
  });

  it('answers and accepts only what Twilio documents, apart from the known deviations', () => {
    const unexpected = problems
      .filter((problem) => !isKnown(problem, KNOWN_DEVIATIONS))
      .map(
        (p) =>
          `${p.operation} | ${p.problem}   (e.g. ${p.example.method} ${p.example.path} → ${p.example.status})`,
      );
    expect(unexpected).toEqual([]);
  });

  it('keeps no known deviation that no longer happens', () => {
    const stale = KNOWN_DEVIATIONS.filter((d) => !problems.some((p) => isKnown(p, [d]))).map(
      (d) => `${String(d.operation)} | ${String(d.problem)}`,
    );
    expect(stale).toEqual([]);
  });
});
