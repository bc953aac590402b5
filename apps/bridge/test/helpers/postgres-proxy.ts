import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the test Postgres server that a test controls, so it can hurt the
 * bridge's database alone (other suites share the server): `restart` cuts every connection and
 * refuses new ones for a while, as a server restart does; `stall` stops all traffic (sockets stay
 * open, bytes wait), as a hung server or a network partition does.
 */
export interface PostgresProxy {
  /** `url` with its host and port pointed at the proxy. */
  via(url: string): string;
  port: number;
  /** Cuts every connection and refuses new ones for `downMs`; resolves when it accepts again. */
  restart(downMs: number): Promise<void>;
  /** Holds every byte both ways (and new connections) for `ms`; resolves when traffic flows again. */
  stall(ms: number): Promise<void>;
  /** Connections open now. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startPostgresProxy(target: string): Promise<PostgresProxy> {
  const upstream = new URL(target);
  const host = upstream.hostname;
  const upstreamPort = Number(upstream.port || 5432);
  const pairs = new Set<{ client: Socket; server: Socket }>();
  /** While stalled, bytes wait here (per destination) instead of being written. */
  let held: { to: Socket; chunk: Buffer }[] | null = null;
  let stallOver: Promise<void> | null = null;

  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (held) held.push({ to, chunk });
      else if (!to.destroyed) to.write(chunk);
    });

  const accept = async (client: Socket) => {
    client.on('error', () => undefined);
    client.pause();
    if (stallOver) await stallOver;
    if (client.destroyed) return;
    const server = createConnection({ host, port: upstreamPort });
    const pair = { client, server };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    server.on('error', forget);
    client.on('error', forget);
    client.on('close', forget);
    server.on('close', forget);
    forward(client, server);
    forward(server, client);
    client.resume();
  };

  let server: Server = createServer((client) => void accept(client));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => void accept(client));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    port,
    via(url: string) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    get connections() {
      return pairs.size;
    },
    async restart(downMs: number) {
      const closed = closeServer();
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await closed;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await listen();
    },
    async stall(ms: number) {
      let release: () => void = () => undefined;
      stallOver = new Promise<void>((resolve) => {
        release = resolve;
      });
      held = [];
      await new Promise((resolve) => setTimeout(resolve, ms));
      const waiting = held;
      held = null;
      stallOver = null;
      for (const { to, chunk } of waiting) if (!to.destroyed) to.write(chunk);
      release();
    },
    async close() {
      const closed = closeServer();
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await closed;
    },
  };
}
