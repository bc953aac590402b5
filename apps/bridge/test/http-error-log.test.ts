import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { errorMiddleware } from '../src/adapters/http/http-errors.ts';
import { TokenValidationUnavailableError } from '../src/adapters/twilio/flex-token.ts';

/** What a flood of requests the bridge cannot serve now (503s) leaves in the log. */
describe('the log under a flood of 503s', () => {
  it('logs a dependency being unavailable once per code and 10 s (with the count since), not once per request', async () => {
    const lines: { level: number; msg: string; code?: string; count?: number; err?: unknown }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const app = express();
    app.get('/check', () => {
      throw new TokenValidationUnavailableError('too many unknown tokens are waiting to be checked');
    });
    app.use(errorMiddleware(pino({ level: 'info' }, sink)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`;
      for (let i = 0; i < 50; i++) {
        const response = await fetch(url);
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ error: { code: 'token_validation_unavailable' } });
      }
    } finally {
      server.close();
    }
    const logged = lines.filter((line) => line.code === 'token_validation_unavailable');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.level).toBe(40); // warn: expected under load, not a bug
    expect(logged[0]!.err).toBeUndefined(); // no stack to serialize and redact per request
  });
});
