import { describe, expect, it } from 'vitest';
import { checkTraffic, isKnown, readTraffic } from './check.ts';
import { KNOWN_DEVIATIONS } from './known-deviations.ts';
import { loadCatalogue } from './twilio-node-catalogue.ts';

/** The twilio-node products the emulator serves (Serverless hosts the Flex plugin's bundle). */
const PRODUCTS = ['taskrouter/v1', 'conversations/v1', 'studio/v2', 'flexApi/v1', 'serverless/v1'];

/**
 * The conformance suite: Twilio's own description of its APIs (twilio-node's generated resources)
 * against every REST exchange the emulator answered during a package's tests (recorded under
 * `trafficDir` by the project that runs first): each response has exactly the documented fields
 * with their types, each error Twilio's shape, and each request the emulator accepted only
 * parameters Twilio knows, with the required ones. Whatever differs and is not one of the known
 * deviations (`known-deviations.ts`, each with its reason) fails.
 */
export function describeTwilioConformance(
  trafficDir: string,
  options: { minimumExchanges?: number } = {},
): void {
  const catalogue = loadCatalogue(PRODUCTS);
  const traffic = readTraffic(trafficDir);
  const problems = checkTraffic(catalogue, traffic);

  describe('the Twilio emulator held to twilio-node', () => {
    it('has recorded traffic to check (the recording project ran first)', () => {
      expect(
        traffic.length,
        `no traffic under ${trafficDir}: run the whole package (npx vitest run), not this file alone`,
      ).toBeGreaterThanOrEqual(options.minimumExchanges ?? 1);
    });

    it('reads the documented resources out of twilio-node', () => {
      const task = catalogue.find(
        (op) =>
          op.method === 'POST' && op.template === '/taskrouter/v1/Workspaces/{workspaceSid}/Tasks/{sid}',
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
  });
}

/** Known deviations no recorded exchange shows any more (to drop from the list). */
export function staleDeviations(trafficDirs: readonly string[]): string[] {
  const catalogue = loadCatalogue(PRODUCTS);
  const problems = trafficDirs.flatMap((dir) => checkTraffic(catalogue, readTraffic(dir)));
  return KNOWN_DEVIATIONS.filter((d) => !problems.some((p) => isKnown(p, [d]))).map(
    (d) => `${String(d.operation)} | ${String(d.problem)}`,
  );
}

export { checkTraffic, isKnown, type KnownDeviation, type Problem, readTraffic } from './check.ts';
export { KNOWN_DEVIATIONS } from './known-deviations.ts';
export { findOperation, loadCatalogue, type Operation } from './twilio-node-catalogue.ts';
