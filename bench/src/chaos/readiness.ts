import { sleep } from '../stats.ts';

/** One `GET /readyz` of the bridge: when (ms since the run began), its status (0: no answer), how long it took. */
export interface ReadinessProbe {
  at: number;
  status: number;
  ms: number;
  /** The fault the database was in when the probe was sent, if any. */
  fault: string | null;
}

/** The probes sent while one database fault held. */
export interface FaultReadiness {
  fault: string;
  probes: number;
  /** Probes answered 503 in under a second. */
  quick503: number;
  /** Probes answered anything else, or later than a second, or not at all: when (since the fault began) and what. */
  other: { afterMs: number; status: number; ms: number }[];
  maxMs: number;
  /** From the fault's start to the first 503 (null: none). */
  first503AfterMs: number | null;
  /**
   * Whether readiness said 503 within a second of the fault and every probe sent after that
   * second was answered 503 in under a second. (A probe in the first second may still get the
   * answer of a check that reached the database just before it went away.)
   */
  ok: boolean;
}

/**
 * Asks the bridge's `/readyz` every `everyMs` until stopped, each with 3 s of patience (so a hang
 * shows as a slow answer, not a missing one), tagging each probe with the database fault of the
 * moment ({@link ReadinessProber.fault}).
 */
export class ReadinessProber {
  readonly probes: ReadinessProbe[] = [];
  /** The database fault under way (set by the run), or null. */
  fault: string | null = null;
  private readonly faultStarts = new Map<string, number>();
  private readonly faultEnds = new Map<string, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly started: number,
    everyMs = 200,
  ) {
    this.loop = (async () => {
      while (this.running) {
        void this.probe();
        await sleep(everyMs);
      }
    })();
  }

  begin(fault: string): void {
    this.fault = fault;
    this.faultStarts.set(fault, performance.now() - this.started);
  }

  end(): void {
    if (this.fault) this.faultEnds.set(this.fault, performance.now() - this.started);
    this.fault = null;
  }

  private async probe(): Promise<void> {
    const fault = this.fault;
    const sent = performance.now();
    const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(3_000) }).catch(
      () => null,
    );
    await response?.body?.cancel();
    this.probes.push({
      at: Math.round(sent - this.started),
      status: response?.status ?? 0,
      ms: Math.round(performance.now() - sent),
      fault,
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await sleep(3_100);
  }

  /**
   * What the probes sent during `fault` got, of those answered (or given up on) before it ended;
   * one answered after the database came back says nothing about the fault.
   */
  during(fault: string): FaultReadiness {
    const start = this.faultStarts.get(fault) ?? 0;
    const end = this.faultEnds.get(fault) ?? Number.POSITIVE_INFINITY;
    const probes = this.probes.filter((probe) => probe.fault === fault && probe.at + probe.ms <= end);
    const quick = probes.filter((probe) => probe.status === 503 && probe.ms < 1_000);
    const first = probes.filter((probe) => probe.status === 503).sort((a, b) => a.at - b.at)[0];
    const other = probes.filter((probe) => !quick.includes(probe));
    const first503AfterMs = first ? Math.round(first.at + first.ms - start) : null;
    return {
      fault,
      probes: probes.length,
      quick503: quick.length,
      other: other.map((probe) => ({
        afterMs: Math.round(probe.at - start),
        status: probe.status,
        ms: probe.ms,
      })),
      maxMs: Math.max(0, ...probes.map((probe) => probe.ms)),
      first503AfterMs,
      ok:
        first503AfterMs !== null &&
        first503AfterMs <= 1_000 &&
        other.every((probe) => probe.at - start < 1_000),
    };
  }
}
