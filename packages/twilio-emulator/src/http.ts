import type { Request, RequestHandler } from 'express';
import { authenticationError, invalidParameter, missingParameter } from './errors.ts';

/**
 * The parameters of a Twilio REST request: the query string merged with the form-encoded body
 * (twilio-node sends list filters as the query and writes as `application/x-www-form-urlencoded`,
 * arrays as repeated keys and JSON-valued parameters as JSON strings).
 */
export class TwilioParams {
  constructor(readonly search: URLSearchParams) {}

  has(name: string): boolean {
    return this.search.has(name);
  }

  get(name: string): string | undefined {
    return this.search.get(name) ?? undefined;
  }

  /** Every value of a repeated key (`Configuration.Filters=a&Configuration.Filters=b`). */
  all(name: string): string[] {
    return this.search.getAll(name);
  }

  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') throw missingParameter(name);
    return value;
  }

  /** A JSON-valued parameter (Attributes, Definition, Channel, Routing), parsed. */
  json(name: string): unknown {
    const value = this.get(name);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw invalidParameter(`Invalid JSON in parameter ${name}`);
    }
  }

  int(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n)) throw invalidParameter(`${name} must be an integer`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined || value === '') return undefined;
    return value.toLowerCase() === 'true';
  }
}

const paramsCache = new WeakMap<Request, TwilioParams>();

/** The request's {@link TwilioParams} (query string + form body). */
export function paramsOf(req: Request): TwilioParams {
  const cached = paramsCache.get(req);
  if (cached) return cached;
  const search = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(bodyText(req))) search.append(key, value);
  }
  const params = new TwilioParams(search);
  paramsCache.set(req, params);
  return params;
}

/** The raw request body (every route is mounted behind `express.raw`). */
export function bodyBuffer(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export function bodyText(req: Request): string {
  return bodyBuffer(req).toString('utf8');
}

/** Whether the request carries `X-Twilio-Webhook-Enabled: true`. */
export function webhookEnabled(req: Request): boolean {
  return String(req.headers['x-twilio-webhook-enabled'] ?? '').toLowerCase() === 'true';
}

/**
 * HTTP Basic authentication with `AccountSid:AuthToken`, as every Twilio REST API requires.
 *
 * @see https://www.twilio.com/docs/usage/requests-to-twilio#authenticate-with-http
 */
export function basicAuth(accountSid: string, authToken: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== accountSid || decoded.slice(colon + 1) !== authToken) {
      next(authenticationError());
      return;
    }
    next();
  };
}
