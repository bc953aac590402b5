import Parser from 'rss-parser';
import { z } from 'zod';
import { safeText } from '../../infrastructure/util/safe-text.ts';
import { type Announcement, httpUrl, plainText } from './announcement-items.ts';

/** An item as read from a feed, before it is known which source it belongs to. */
export type FeedItem = Omit<Announcement, 'sourceId'>;

export type FeedResult =
  | { status: 'not_modified' }
  | {
      status: 'ok';
      /** The feed's own title, the footer's fallback when the source has no `name`. */
      title?: string;
      items: FeedItem[];
      etag?: string;
      lastModified?: string;
    };

export interface FeedRequest {
  url: string;
  /** Validators from the last 200, for a conditional GET. */
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  fetch: typeof fetch;
  /** Aborts the request when the service stops. */
  signal?: AbortSignal;
}

export type FeedErrorCode =
  | 'FEED_TIMEOUT'
  | 'FEED_NETWORK'
  | 'FEED_HTTP_STATUS'
  | 'FEED_TOO_LARGE'
  | 'FEED_INVALID'
  | 'FEED_ABORTED';

/** A poll that got no usable feed; the source is retried later, the others carry on. */
export class FeedError extends Error {
  /** The feed server's HTTP status, for `FEED_HTTP_STATUS`. */
  readonly status: number | undefined;
  /** How long the server asked us to wait (`Retry-After`), if it did. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    options: { status?: number; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'FeedError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Larger than any sane feed: a bound on what one misbehaving server can make us buffer. */
const MAX_FEED_BYTES = 5 * 1024 * 1024;
const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1';

interface CustomItemFields {
  id?: unknown;
  links?: unknown;
  mediaContent?: unknown;
  mediaThumbnail?: unknown;
  mediaGroup?: unknown;
  'content:encoded'?: unknown;
}

const parser = new Parser<Record<string, unknown>, CustomItemFields>({
  customFields: {
    item: [
      ['link', 'links', { keepArray: true }],
      ['media:content', 'mediaContent', { keepArray: true }],
      ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
      ['media:group', 'mediaGroup', { keepArray: true }],
    ],
  },
});

/**
 * Fetches a feed with a conditional GET (`If-None-Match` / `If-Modified-Since` from the last
 * answer; 304 means nothing changed) under a timeout covering the body too, and parses RSS 2.0 or
 * Atom into {@link FeedItem}s. Every failure is a {@link FeedError}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-conditional-requests
 * @see https://www.rssboard.org/rss-specification
 * @see https://www.rfc-editor.org/rfc/rfc4287
 */
export async function fetchFeed(request: FeedRequest): Promise<FeedResult> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': 'Flexcord-Bridge (announcements)' };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;

  let xml: string;
  let response: Response;
  try {
    response = await request.fetch(request.url, { headers, signal, redirect: 'follow' });
    if (response.status === 304) {
      await response.body?.cancel();
      return { status: 'not_modified' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FeedError('FEED_HTTP_STATUS', `feed answered HTTP ${response.status}`, {
        status: response.status,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      });
    }
    xml = await readText(response);
  } catch (error) {
    throw asFeedError(error, request.timeoutMs, timeout);
  }

  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(safeText(xml));
  } catch (error) {
    throw new FeedError('FEED_INVALID', `not an RSS or Atom feed: ${firstLine(error)}`, { cause: error });
  }
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  const title = typeof feed.title === 'string' ? feed.title.trim() : '';
  return {
    status: 'ok',
    ...(title ? { title } : {}),
    items: feed.items.flatMap((item) => {
      const parsed = feedItem(item, request.url);
      return parsed ? [parsed] : [];
    }),
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
}

type ParsedItem = Parser.Item & CustomItemFields;

/** One feed entry as an announcement; undefined when nothing identifies it. */
function feedItem(item: ParsedItem, feedUrl: string): FeedItem | undefined {
  const link = httpUrl(text(item.link), feedUrl);
  const title = text(item.title) ?? '';
  const publishedAt = item.isoDate ? new Date(item.isoDate) : undefined;
  const dated = publishedAt && !Number.isNaN(publishedAt.getTime()) ? publishedAt : undefined;
  // RSS guid, then Atom id (both meant to be permanent), then what is left.
  const identity =
    text(item.guid) ??
    text(item.id) ??
    link ??
    (title && dated ? `${title}\n${dated.toISOString()}` : undefined);
  if (!identity) return undefined;
  const html = text(item.summary) ?? text(item.content) ?? text(item['content:encoded']);
  const summary = html ? plainText(html) : '';
  const imageUrl = imageOf(item, feedUrl);
  return {
    identity,
    title: title || (summary ? summary.split('\n')[0]! : (link ?? '')),
    ...(link ? { url: link } : {}),
    ...(summary ? { summary } : {}),
    ...(imageUrl ? { imageUrl } : {}),
    ...(dated ? { publishedAt: dated } : {}),
  };
}

const MediaSchema = z.object({
  $: z.object({ url: z.string(), medium: z.string().optional(), type: z.string().optional() }),
});
const MediaListSchema = z.array(MediaSchema);
const MediaGroupSchema = z.array(
  z.object({ 'media:content': MediaListSchema.optional(), 'media:thumbnail': MediaListSchema.optional() }),
);
const AtomLinksSchema = z.array(
  z.object({ $: z.object({ href: z.string(), rel: z.string().optional(), type: z.string().optional() }) }),
);
const IMAGE_PATH = /\.(?:png|jpe?g|gif|webp)(?:$|\?)/i;

/**
 * The item's picture: an RSS image enclosure, Media RSS content or thumbnail (also inside a
 * `media:group`), or an Atom `link rel="enclosure"` with an image type.
 *
 * @see https://www.rssboard.org/media-rss
 */
function imageOf(item: ParsedItem, feedUrl: string): string | undefined {
  const isImage = (url: string, type?: string, medium?: string) =>
    type ? type.startsWith('image/') : medium ? medium === 'image' : IMAGE_PATH.test(url);
  const candidates: { url: string; type?: string | undefined; medium?: string | undefined }[] = [];
  if (item.enclosure?.url) candidates.push({ url: item.enclosure.url, type: item.enclosure.type });
  const links = AtomLinksSchema.safeParse(item.links);
  if (links.success)
    for (const link of links.data)
      if (link.$.rel === 'enclosure') candidates.push({ url: link.$.href, type: link.$.type });
  const media = [
    ...(MediaListSchema.safeParse(item.mediaContent).data ?? []),
    ...(MediaGroupSchema.safeParse(item.mediaGroup).data ?? []).flatMap(
      (group) => group['media:content'] ?? [],
    ),
  ];
  for (const entry of media) candidates.push(entry.$);
  const thumbnails = [
    ...(MediaListSchema.safeParse(item.mediaThumbnail).data ?? []),
    ...(MediaGroupSchema.safeParse(item.mediaGroup).data ?? []).flatMap(
      (group) => group['media:thumbnail'] ?? [],
    ),
  ];
  for (const thumbnail of thumbnails) candidates.push({ url: thumbnail.$.url, medium: 'image' });
  for (const candidate of candidates) {
    const url = httpUrl(candidate.url, feedUrl);
    if (url && isImage(url, candidate.type, candidate.medium)) return url;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The body as text, bounded, in the charset the server or the XML declaration names. */
async function readText(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_FEED_BYTES) {
    await response.body?.cancel();
    throw new FeedError('FEED_TOO_LARGE', `feed is ${declared} bytes, more than ${MAX_FEED_BYTES}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      // Leaving the loop by a throw cancels the stream.
      if (size > MAX_FEED_BYTES)
        throw new FeedError('FEED_TOO_LARGE', `feed is more than ${MAX_FEED_BYTES} bytes`);
      chunks.push(chunk);
    }
  }
  const bytes = Buffer.concat(chunks);
  const charset =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(response.headers.get('content-type') ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function asFeedError(error: unknown, timeoutMs: number, timeout: AbortSignal): FeedError {
  if (error instanceof FeedError) return error;
  if (timeout.aborted)
    return new FeedError('FEED_TIMEOUT', `no complete answer within ${timeoutMs} ms`, { cause: error });
  if (error instanceof Error && error.name === 'AbortError')
    return new FeedError('FEED_ABORTED', 'poll aborted: the service is stopping', { cause: error });
  // undici says "fetch failed" and puts the reason (ENOTFOUND, ECONNREFUSED…) in the cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const detail =
    cause instanceof Error
      ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}`
      : firstLine(error);
  return new FeedError('FEED_NETWORK', `feed unreachable: ${detail}`, { cause: error });
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date. @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
