import { createServer } from 'node:net';

/** A port the sandbox cannot listen on, named with the flag that moves it. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(
    readonly port: number,
    readonly what: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Port ${port} (${what}) is already in use. Stop what uses it, or pick another with ${hint}.`,
      options,
    );
    this.name = 'PortInUseError';
  }
}

/** Resolves when `port` can be listened on at `host` (0 always can), else throws a {@link PortInUseError}. */
export async function checkPortFree(port: number, host: string, what: string, hint: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => reject(new PortInUseError(port, what, hint, { cause: error })));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
