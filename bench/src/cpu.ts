import { readdirSync, readFileSync } from 'node:fs';

const USER_HZ = 100;

/**
 * CPU seconds (user + system) of every process named `postgres` on this machine, plus what their
 * exited children used (the postmaster's cutime/cstime): backends come and go with connections,
 * and a sum over live processes alone would drop when one exits.
 */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks / USER_HZ;
}

/** CPU seconds this (harness) process has used: both emulators and the load generator. */
export function harnessCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Share of one core each process used over a window, from CPU seconds before and after. */
export interface CpuShare {
  harness: number;
  subject: number;
  postgres: number;
}

export function cpuMeter(subjectCpu: () => number): () => CpuShare {
  const started = performance.now();
  const harness0 = harnessCpuSeconds();
  const subject0 = subjectCpu();
  const postgres0 = postgresCpuSeconds();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const share = (value: number) => Math.round((value / seconds) * 100) / 100;
    return {
      harness: share(harnessCpuSeconds() - harness0),
      subject: share(subjectCpu() - subject0),
      postgres: share(postgresCpuSeconds() - postgres0),
    };
  };
}

/** CPU seconds (user + system, live) of each process in `pids`; one that has ended is left out. */
export function processCpuSeconds(pids: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / USER_HZ);
    } catch {
      // Ended.
    }
  }
  return out;
}
