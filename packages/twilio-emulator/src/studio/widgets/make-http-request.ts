import type { z } from 'zod';
import { baseContentType, MakeHttpRequestPropertiesSchema } from '../flow-definition.ts';
import type { StudioHttpRequest, StudioHttpResponse } from '../runner-deps.ts';
import { errorMessage, type WidgetOutcome, type WidgetRun, widgetProperties } from './widget.ts';

type MakeHttpRequestProperties = z.output<typeof MakeHttpRequestPropertiesSchema>;

/** "Studio can only process responses up to 64kB." */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Make HTTP Request: builds the request from the widget's templates, hands it to
 * `deps.httpRequest` (which signs it and applies the 10 s timeout), and transitions `success` on a
 * 2xx answer of at most 64 kB, `failed` otherwise (other status, network error, timeout, too big).
 *
 * The widget's context is `{status_code, content_type, body}` plus `parsed` when the answer is a
 * JSON object with a JSON content type (a top-level array is not parsed, as documented).
 *
 * Form URL Encoded: `parameters` go in the body (the query string for GET); a form widget with only
 * a `body` sends that text. Application/JSON: the rendered `body` is sent as is; `parameters`, being
 * "URL parameters", go in the query string. Credentials in the URL (`https://user:pass@host/`)
 * become a Basic `Authorization` header. `add_twilio_auth` to a host that is not `*.twilio.com`
 * takes `failed` without a request, as Studio does.
 *
 * @see https://www.twilio.com/docs/studio/widget-library/http-request
 */
export async function runMakeHttpRequest(run: WidgetRun): Promise<WidgetOutcome> {
  const properties = widgetProperties(MakeHttpRequestPropertiesSchema, run.state);
  const request = buildRequest(properties, run.render);
  if (typeof request === 'string') return { event: 'failed', stepContext: { error: request } };

  let response: StudioHttpResponse;
  try {
    response = await run.deps.httpRequest(request);
  } catch (error) {
    return { event: 'failed', stepContext: { error: `request failed: ${errorMessage(error)}` } };
  }

  const contentType = headerValue(response.headers, 'content-type') ?? '';
  const size = Buffer.byteLength(response.body, 'utf8');
  if (size > MAX_RESPONSE_BYTES) {
    return {
      event: 'failed',
      output: { status_code: response.status, content_type: contentType },
      stepContext: {
        error: `response body is ${size} bytes; Studio processes at most ${MAX_RESPONSE_BYTES}`,
      },
    };
  }
  const parsed = parseJsonObject(contentType, response.body);
  const output: Record<string, unknown> = {
    status_code: response.status,
    content_type: contentType,
    body: response.body,
    ...(parsed === undefined ? {} : { parsed }),
  };
  const ok = response.status >= 200 && response.status < 300;
  return { event: ok ? 'success' : 'failed', output };
}

/** The request the widget makes, or why it makes none. */
function buildRequest(
  properties: MakeHttpRequestProperties,
  render: (template: string) => string,
): StudioHttpRequest | string {
  const rawUrl = render(properties.url).trim();
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return `Request URL ${JSON.stringify(rawUrl)} is not a valid URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Request URL ${JSON.stringify(rawUrl)} is not http(s)`;
  }

  const headers: Record<string, string> = {};
  const twilioAuth = properties.add_twilio_auth === true;
  if (twilioAuth && !isTwilioHost(url.hostname)) {
    return `add_twilio_auth is set but ${url.hostname} is not a Twilio API host`;
  }
  if (url.username || url.password) {
    // "Authenticate with Twilio ... will override any basic auth credentials included in the Request URL".
    if (!twilioAuth) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.Authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
    url.username = '';
    url.password = '';
  }

  const parameters = (properties.parameters ?? []).map(({ key, value }) => [key, render(value)] as const);
  const form = baseContentType(properties.content_type) === 'application/x-www-form-urlencoded';
  let body: string | undefined;
  if (properties.method === 'GET') {
    for (const [key, value] of parameters) url.searchParams.append(key, value);
  } else if (form) {
    body = parameters.length
      ? new URLSearchParams(parameters.map(([key, value]): [string, string] => [key, value])).toString()
      : render(properties.body ?? '');
  } else {
    for (const [key, value] of parameters) url.searchParams.append(key, value);
    body = render(properties.body ?? '');
  }
  if (body !== undefined) headers['Content-Type'] = properties.content_type;

  return {
    method: properties.method,
    url: url.toString(),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(twilioAuth ? { addTwilioAuth: true } : {}),
  };
}

function isTwilioHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'twilio.com' || host.endsWith('.twilio.com');
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const match = Object.keys(headers).find((key) => key.toLowerCase() === name);
  return match === undefined ? undefined : headers[match];
}

/** "Only application/json objects (e.g. `{"foo":"bar"}`) will be automatically parsed into Studio variables." */
function parseJsonObject(contentType: string, body: string): Record<string, unknown> | undefined {
  const type = baseContentType(contentType);
  if (type !== 'application/json' && !type.endsWith('+json')) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
