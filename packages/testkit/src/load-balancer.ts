import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny load balancer for tests and the chaos run: forwards each request to the next live upstream in turn, and
 * to another one when an upstream refuses the connection (a dead instance), like a proxy with
 * health checks in front of several bridge instances.
 */
export interface LoadBalancer {
  url: string;
  close(): Promise<void>;
}

export async function startLoadBalancer(port: number, upstreams: string[]): Promise<LoadBalancer> {
  let next = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (let tries = 0; tries < upstreams.length; tries++) {
      const upstream = upstreams[next++ % upstreams.length]!;
      try {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
            headers.set(name, value);
        }
        const response = await fetch(`${upstream}${req.url}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body.length ? { body } : {}),
        });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
        return;
      } catch {
        // Connection refused: that instance is down, try the next.
      }
    }
    res.writeHead(502).end('no upstream');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
