import { createHash, createHmac, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/**
 * Outgoing webhooks: the `X-Twilio-Signature` every Twilio request carries, and an ordered,
 * retrying, recorded delivery queue for Conversations post-event webhooks and TaskRouter event
 * callbacks.
 *
 * @see https://www.twilio.com/docs/usage/webhooks/webhooks-security
 * @see https://www.twilio.com/docs/conversations/conversations-webhooks
 */

export type FormParams = Record<string, string | string[]>;

/**
 * `base64(HMAC-SHA1(authToken, url + Σ key + value))` over the keys sorted, array values sorted
 * (each appended with its key) — what `twilio.validateRequest(authToken, signature, url, params)`
 * checks. For JSON bodies Twilio puts `bodySHA256` in the URL and signs the URL alone.
 */
export function computeTwilioSignature(authToken: string, url: string, params: FormParams = {}): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (Array.isArray(value)) {
      for (const item of [...new Set(value)].sort()) data += key + item;
    } else if (value !== undefined) {
      data += key + value;
    }
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Hex SHA-256 of a request body, as Twilio puts it in `?bodySHA256=` for JSON bodies. */
export function bodySha256(body: string): string {
  return createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex');
}

function toForm(params: FormParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  return search.toString();
}

/** The headers every Twilio webhook request carries. */
function twilioHeaders(signature: string, idempotencyToken: string): Record<string, string> {
  return {
    'User-Agent': 'TwilioProxy/1.1',
    'X-Twilio-Signature': signature,
    'I-Twilio-Idempotency-Token': idempotencyToken,
    'X-Home-Region': 'us1',
  };
}

export type DeliveryKind = 'conversations' | 'taskrouter' | 'studio';

export interface DeliveryAttempt {
  retryCount: number;
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  responseBody: string;
}

/** One event sent (or being sent) to one URL, with every attempt. */
export interface WebhookDelivery {
  id: string;
  kind: DeliveryKind;
  url: string;
  method: OutgoingHttpRequest['method'];
  eventType: string;
  /** The params of the first attempt (later attempts differ only in `RetryCount`). */
  params: Record<string, string>;
  idempotencyToken: string;
  conversationSid: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  createdAt: string;
}

export interface WebhookDispatcherOptions {
  authToken: string;
  /** Per-attempt timeout (Conversations: 5 s). */
  timeoutMs: number;
  /** Retries after the first attempt on a timeout, a connection error or a 5xx. */
  retries: number;
  /** Delay before the first retry; doubled for each next one. */
  retryDelayMs: number;
  now: () => Date;
  onUpdate?: (delivery: WebhookDelivery) => void;
}

export interface EnqueueRequest {
  kind: DeliveryKind;
  url: string;
  method: 'GET' | 'POST';
  eventType: string;
  params: Record<string, string>;
  /** Deliveries with the same key (a conversation and its target) go out one after another, in order. */
  orderingKey: string;
  conversationSid?: string | null;
  /** Whether each attempt carries `RetryCount` (Conversations webhooks do). */
  retryCountParam: boolean;
}

/**
 * Sends webhooks asynchronously, in order per ordering key (a conversation, a workspace), retrying
 * failures with the same `I-Twilio-Idempotency-Token` and an incremented `RetryCount`, and records
 * every attempt for inspection.
 */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  readonly #chains = new Map<string, Promise<void>>();
  readonly #events = new EventEmitter();
  #pending = 0;
  #stopped = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.#events.setMaxListeners(0);
  }

  enqueue(request: EnqueueRequest): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      kind: request.kind,
      url: request.url,
      method: request.method,
      eventType: request.eventType,
      params: request.retryCountParam ? { ...request.params, RetryCount: '0' } : { ...request.params },
      idempotencyToken: `${request.kind}-${randomUUID()}`,
      conversationSid: request.conversationSid ?? null,
      status: 'pending',
      attempts: [],
      createdAt: this.options.now().toISOString(),
    };
    this.deliveries.push(delivery);
    this.#pending += 1;
    this.#changed(delivery);
    const previous = this.#chains.get(request.orderingKey) ?? Promise.resolve();
    const next = previous
      .then(() => this.#deliver(delivery, request.retryCountParam))
      .finally(() => {
        this.#pending -= 1;
        this.#changed(delivery);
        if (this.#chains.get(request.orderingKey) === next) this.#chains.delete(request.orderingKey);
      });
    this.#chains.set(request.orderingKey, next);
    return delivery;
  }

  /** Resolves once no delivery is pending. */
  async idle(): Promise<void> {
    while (this.#pending > 0) {
      await new Promise<void>((resolve) => this.#events.once('change', () => resolve()));
    }
  }

  /** The first recorded delivery (settled, unless `settled: false`) matching `predicate`. */
  waitFor(
    predicate: (delivery: WebhookDelivery) => boolean,
    { timeoutMs = 10_000, settled = true }: { timeoutMs?: number; settled?: boolean } = {},
  ): Promise<WebhookDelivery> {
    const matches = (d: WebhookDelivery) => predicate(d) && (!settled || d.status !== 'pending');
    const found = this.deliveries.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onChange = (d: WebhookDelivery) => {
        if (!matches(d)) return;
        clearTimeout(timer);
        this.#events.off('change', onChange);
        resolve(d);
      };
      const timer = setTimeout(() => {
        this.#events.off('change', onChange);
        reject(new Error(`No matching webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#events.on('change', onChange);
    });
  }

  clear(): void {
    this.deliveries.splice(0, this.deliveries.length);
  }

  /** Stops sending: queued and retrying deliveries end as `failed` without another attempt. */
  stop(): void {
    this.#stopped = true;
  }

  /** Records a request sent outside the queue (a Studio make-http-request), for inspection. */
  record(delivery: Omit<WebhookDelivery, 'id' | 'createdAt'>): WebhookDelivery {
    const recorded: WebhookDelivery = {
      ...delivery,
      id: randomUUID(),
      createdAt: this.options.now().toISOString(),
    };
    this.deliveries.push(recorded);
    this.#changed(recorded);
    return recorded;
  }

  #changed(delivery: WebhookDelivery): void {
    this.#events.emit('change', delivery);
    this.options.onUpdate?.(delivery);
  }

  async #deliver(delivery: WebhookDelivery, retryCountParam: boolean): Promise<void> {
    for (let retryCount = 0; retryCount <= this.options.retries; retryCount += 1) {
      if (retryCount > 0) {
        await sleep(this.options.retryDelayMs * 2 ** (retryCount - 1), { unref: true });
      }
      if (this.#stopped) break;
      const params = retryCountParam
        ? { ...delivery.params, RetryCount: String(retryCount) }
        : delivery.params;
      const attempt = await this.#attempt(delivery, params, retryCount);
      delivery.attempts.push(attempt);
      const retryable = attempt.status === null || attempt.status >= 500;
      if (!retryable) {
        delivery.status = attempt.status !== null && attempt.status < 400 ? 'delivered' : 'failed';
        return;
      }
      this.#changed(delivery);
    }
    delivery.status = 'failed';
  }

  async #attempt(
    delivery: WebhookDelivery,
    params: Record<string, string>,
    retryCount: number,
  ): Promise<DeliveryAttempt> {
    const started = Date.now();
    const at = this.options.now().toISOString();
    let url = delivery.url;
    let body: string | undefined;
    let signature: string;
    const headers: Record<string, string> = {};
    if (delivery.method !== 'POST') {
      url = appendQuery(delivery.url, toForm(params));
      signature = computeTwilioSignature(this.options.authToken, url, {});
    } else {
      body = toForm(params);
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
      signature = computeTwilioSignature(this.options.authToken, url, params);
    }
    Object.assign(headers, twilioHeaders(signature, delivery.idempotencyToken));
    try {
      const response = await fetch(url, {
        method: delivery.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const responseBody = (await response.text()).slice(0, 4096);
      return {
        retryCount,
        at,
        status: response.status,
        error: null,
        durationMs: Date.now() - started,
        responseBody,
      };
    } catch (error) {
      return {
        retryCount,
        at,
        status: null,
        error: describeFetchError(error),
        durationMs: Date.now() - started,
        responseBody: '',
      };
    }
  }
}

export interface OutgoingHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface OutgoingHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends a Studio make-http-request: form bodies signed over URL + params, JSON (and other) bodies
 * with `?bodySHA256=` added to the URL and the URL signed, like Twilio does for its own requests.
 *
 * @see https://www.twilio.com/docs/studio/widget-library/http-request
 */
export async function sendSignedHttpRequest(
  request: OutgoingHttpRequest,
  authToken: string,
  timeoutMs: number,
): Promise<OutgoingHttpResponse & { signedUrl: string }> {
  const headers: Record<string, string> = { ...request.headers };
  const contentType = headerValue(headers, 'content-type') ?? '';
  let url = request.url;
  let signature: string;
  if (
    request.body !== undefined &&
    request.method !== 'GET' &&
    contentType.includes('x-www-form-urlencoded')
  ) {
    const params: FormParams = {};
    for (const [key, value] of new URLSearchParams(request.body)) {
      const existing = params[key];
      params[key] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    signature = computeTwilioSignature(authToken, url, params);
  } else if (request.body !== undefined && request.method !== 'GET') {
    url = appendQuery(url, `bodySHA256=${bodySha256(request.body)}`);
    signature = computeTwilioSignature(authToken, url, {});
  } else {
    signature = computeTwilioSignature(authToken, url, {});
  }
  Object.assign(headers, twilioHeaders(signature, `studio-${randomUUID()}`));
  const response = await fetch(url, {
    method: request.method,
    headers,
    ...(request.body === undefined || request.method === 'GET' ? {} : { body: request.body }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  return { status: response.status, headers: responseHeaders, body: await response.text(), signedUrl: url };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function appendQuery(url: string, query: string): string {
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export function sleep(ms: number, { unref = false }: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (unref) timer.unref();
  });
}
