import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-errors.ts';

export const TIMESTAMP_HEADER = 'x-flexcord-timestamp';
export const SIGNATURE_HEADER = 'x-flexcord-signature';
/** How far a request's timestamp may be from our clock, either way, before it counts as a replay. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** The shortest shared secret the ingest accepts. */
export const MIN_SECRET_LENGTH = 16;

export type IngestSignatureErrorCode =
  | 'timestamp_missing'
  | 'timestamp_invalid'
  | 'timestamp_out_of_range'
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_invalid';

/** A request to the ingest that is not provably from the holder of the secret, now: 401 with the reason. */
export class IngestSignatureError extends HttpError {
  constructor(code: IngestSignatureErrorCode, message: string) {
    super(401, code, message);
    this.name = 'IngestSignatureError';
  }
}

/**
 * The `X-Flexcord-Signature` value for a body sent at `timestamp` (unix seconds):
 * `sha256=` + hex HMAC-SHA256 of `"<timestamp>.<raw body>"` keyed with the shared secret.
 *
 * @see https://www.rfc-editor.org/rfc/rfc2104
 */
export function ingestSignature(secret: string, timestamp: string | number, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`).update(body);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * Checks a request's timestamp and signature against the raw body it came with, or throws an
 * {@link IngestSignatureError}. The digests are compared in constant time.
 */
export function verifyIngestSignature(request: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
  now: Date;
}): void {
  const { timestamp, signature } = request;
  if (!timestamp)
    throw new IngestSignatureError('timestamp_missing', 'X-Flexcord-Timestamp header is required');
  if (!/^\d{1,12}$/.test(timestamp))
    throw new IngestSignatureError('timestamp_invalid', 'X-Flexcord-Timestamp must be unix seconds');
  const skew = Math.abs(request.now.getTime() / 1000 - Number(timestamp));
  if (skew > MAX_CLOCK_SKEW_SECONDS)
    throw new IngestSignatureError(
      'timestamp_out_of_range',
      `X-Flexcord-Timestamp is more than ${MAX_CLOCK_SKEW_SECONDS} s from the server's clock (replayed or clock skew)`,
    );
  if (!signature)
    throw new IngestSignatureError('signature_missing', 'X-Flexcord-Signature header is required');
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match)
    throw new IngestSignatureError(
      'signature_malformed',
      'X-Flexcord-Signature must be sha256=<64 hex digits>',
    );
  const expected = Buffer.from(ingestSignature(request.secret, timestamp, request.body).slice(7), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[1]!, 'hex')))
    throw new IngestSignatureError(
      'signature_invalid',
      'X-Flexcord-Signature does not match this body and timestamp',
    );
}

/** Express middleware over a raw body (`express.raw`) refusing unsigned, forged or stale requests. */
export function requireIngestSignature(secret: string, now: () => Date): RequestHandler {
  return (req, res, next) => {
    try {
      verifyIngestSignature({
        secret,
        timestamp: req.header(TIMESTAMP_HEADER),
        signature: req.header(SIGNATURE_HEADER),
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        now: now(),
      });
      next();
    } catch (error) {
      // A 401 names the scheme to authenticate with. @see https://www.rfc-editor.org/rfc/rfc9110#status.401
      res.set('WWW-Authenticate', 'Flexcord-HMAC-SHA256 realm="announcements"');
      next(error);
    }
  };
}
