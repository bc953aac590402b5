import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { HttpError } from './http-errors.ts';

/**
 * Refuses any request not signed by Twilio with this account's auth token: no `X-Twilio-Signature`
 * → 400, a wrong one → 403. The signature covers the public URL Twilio called, so it is checked
 * against `publicBaseUrl` + the path, not against the (proxied) local request.
 *
 * @see https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
export function verifyTwilioSignature(options: { authToken: string; publicBaseUrl: string }): RequestHandler {
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  return (req, _res, next) => {
    const signature = req.header('x-twilio-signature');
    if (!signature)
      return next(new HttpError(400, 'signature_missing', 'X-Twilio-Signature header is required'));
    const url = `${base}${req.originalUrl}`;
    const isJson = req.is('application/json');
    const valid = isJson
      ? twilio.validateRequestWithBody(
          options.authToken,
          signature,
          url,
          String((req as { rawBody?: string }).rawBody ?? ''),
        )
      : twilio.validateRequest(
          options.authToken,
          signature,
          url,
          (req.body ?? {}) as Record<string, unknown>,
        );
    if (!valid)
      return next(new HttpError(403, 'signature_invalid', 'X-Twilio-Signature does not match this request'));
    next();
  };
}
