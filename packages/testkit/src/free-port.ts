import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Below this, ports are left to well-known and registered services (Postgres 5432, …). */
const LOWEST = 20_000;

/**
 * The ports the kernel hands out as the local end of outgoing connections (Linux's
 * `ip_local_port_range`; 32768–60999 by default, and macOS's start above it).
 */
function ephemeralPorts(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low && high && low <= high) return { low, high };
  } catch {
    // Not Linux: the IANA range's start is above Linux's default.
  }
  return { low: 32_768, high: 60_999 };
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function anyPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A port free on `host` now, for a service whose URL must be known before it starts (the bridge,
 * whose public URL goes into the Studio flow). It lies below the ephemeral range: between this
 * call and the service's `listen` (seconds, for a bridge process) no outgoing connection — nor a
 * readiness probe connecting to itself — can take it, as one could take a port that `listen(0)` gave.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { low } = ephemeralPorts();
  const high = low - 1;
  if (high - LOWEST >= 1_000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = LOWEST + Math.floor(Math.random() * (high - LOWEST + 1));
      if (await canListen(port, host)) return port;
    }
  }
  return anyPort(host);
}
