import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

type RequestClientOptions = RequestClient.RequestClientOptions;

/** The public host every Twilio product lives on: `https://<product>.twilio.com`. */
const TWILIO_HOST = /^https:\/\/([a-z0-9-]+)(?:\.[a-z0-9-]+)*?\.twilio\.com(\/.*)?$/i;

/**
 * Maps a public Twilio URL onto `baseUrl`, keeping the product as the first path segment:
 * `https://conversations.twilio.com/v1/Conversations` → `${baseUrl}/conversations/v1/Conversations`.
 * Regional hosts (`conversations.dublin.ie1.twilio.com`) keep only the product. URLs that are not
 * Twilio's are returned unchanged.
 */
export function rewriteTwilioUrl(uri: string, baseUrl: string): string {
  const match = TWILIO_HOST.exec(uri);
  if (!match) return uri;
  const [, product, rest = '/'] = match;
  return `${baseUrl.replace(/\/+$/, '')}/${product!.toLowerCase()}${rest}`;
}

/** Options of {@link BaseUrlRequestClient}: twilio-node's own, plus where to send requests. */
export interface BaseUrlRequestClientOptions extends RequestClientOptions {
  /** Where every `https://<product>.twilio.com` request goes instead, e.g. the local emulator. */
  baseUrl: string;
}

/**
 * A twilio-node `RequestClient` that sends every product host to one base URL, so the real SDK can
 * talk to the local Twilio emulator (or a recording proxy) with no other change.
 * Pass it as `twilio(accountSid, authToken, { httpClient })`.
 *
 * @see https://www.twilio.com/docs/libraries/reference/twilio-node/ (custom HTTP client)
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  readonly baseUrl: string;

  constructor({ baseUrl, ...options }: BaseUrlRequestClientOptions) {
    super(options);
    this.baseUrl = baseUrl;
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rewriteTwilioUrl(opts.uri, this.baseUrl) });
  }
}

/**
 * The twilio-node client options for a Twilio API base URL: none for the real Twilio
 * (`https://twilio.com` or unset), a {@link BaseUrlRequestClient} otherwise.
 */
export function twilioClientOptions(
  baseUrl: string | undefined,
  options: RequestClientOptions = {},
): { httpClient?: RequestClient } {
  if (!baseUrl || /^https:\/\/([a-z0-9-]+\.)*twilio\.com\/?$/i.test(baseUrl)) {
    return Object.keys(options).length ? { httpClient: new twilio.RequestClient(options) } : {};
  }
  return { httpClient: new BaseUrlRequestClient({ ...options, baseUrl }) };
}
