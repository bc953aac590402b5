import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { toDeliveryError } from '../src/adapters/twilio/twilio-errors.ts';
import {
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '../src/infrastructure/outbox/delivery-errors.ts';

/** A port nothing listens on: a connection to it is refused, as when Twilio is out of reach. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A failed call to Twilio is retried only when trying again can change the outcome (#23). */
describe('what a failed Twilio call means for its delivery', () => {
  it("Twilio's 429 and 5xx are retried; its other 4xx are final", () => {
    expect(toDeliveryError({ status: 429, code: 20429, message: 'Too Many Requests' }, 'x')).toBeInstanceOf(
      RetryableDeliveryError,
    );
    expect(toDeliveryError({ status: 503, message: 'Service Unavailable' }, 'x')).toBeInstanceOf(
      RetryableDeliveryError,
    );
    expect(toDeliveryError({ status: 400, code: 50377, message: 'closed' }, 'x')).toBeInstanceOf(
      PermanentDeliveryError,
    );
  });

  it('a request that could not reach Twilio (refused, reset, timed out) is retried', async () => {
    const refused = await fetch(`http://127.0.0.1:${await closedPort()}/`).catch((error: unknown) => error);
    expect(toDeliveryError(refused, 'x')).toBeInstanceOf(RetryableDeliveryError);
    expect(
      toDeliveryError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'x'),
    ).toBeInstanceOf(RetryableDeliveryError);
    const timedOut = await fetch(`http://127.0.0.1:${await closedPort()}/`, {
      signal: AbortSignal.timeout(0),
    }).catch((error: unknown) => error);
    expect(toDeliveryError(timedOut, 'x')).toBeInstanceOf(RetryableDeliveryError);
  });

  it('a request the bridge could not even build (a header outside Latin-1) is final: it fails the same every time', async () => {
    const unbuildable = await fetch('http://127.0.0.1:9/', {
      headers: { 'content-disposition': 'attachment; filename="снимок экрана €.png"' },
    }).catch((error: unknown) => error);
    expect(String(unbuildable)).toMatch(/ByteString/);
    expect(toDeliveryError(unbuildable, 'x')).toBeInstanceOf(PermanentDeliveryError);
    expect(toDeliveryError(new RangeError('Invalid array length'), 'x')).toBeInstanceOf(
      PermanentDeliveryError,
    );
  });
});
