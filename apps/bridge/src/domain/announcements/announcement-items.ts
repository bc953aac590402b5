import { createHash } from 'node:crypto';

/** One item to announce, from a feed or the ingest, whatever its origin's format. */
export interface Announcement {
  sourceId: string;
  /** What identifies the item within its source: RSS guid, Atom id, link, or the ingest id. */
  identity: string;
  title: string;
  url?: string;
  /** Plain text already (HTML stripped). */
  summary?: string;
  imageUrl?: string;
  publishedAt?: Date;
}

/** The item's key within its source: SHA-256 of its identity, so any guid length fits. */
export function itemHash(identity: string): string {
  return createHash('sha256').update(identity).digest('hex');
}

/** The outbox key of an item's post: one post per source and item, whichever instance enqueues it. */
export function announcementOutboxKey(sourceId: string, hash: string): string {
  return `announcement:${sourceId}:${hash}`;
}

/**
 * How an announcement looks where it is posted (a port: the Discord adapter renders it as an
 * embed). The domain decides what is announced, once, where; the look is the adapter's.
 */
export interface AnnouncementLook<Message> {
  message(item: Announcement, sourceName: string, now: Date): Message;
}

/**
 * An absolute http(s) URL, resolved against `base` when relative, or undefined: Discord refuses a
 * whole message over one bad embed URL, and that refusal is permanent.
 */
export function httpUrl(value: string | undefined, base?: string): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const BLOCK_END = /<\/?(?:br|p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|pre|hr)\b[^>]*>/gi;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  trade: '™',
  bull: '•',
  middot: '·',
};

/**
 * Feed HTML as plain text for an embed: scripts and styles dropped, block ends as line breaks,
 * other tags removed, entities decoded (numeric ones and the common named ones; an unknown name is
 * kept as written rather than guessed), blank runs collapsed.
 */
export function plainText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      .replace(BLOCK_END, '\n')
      .replace(/<\/?[a-z][^>]*>/gi, ''),
  )
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** At most `max` characters, cut at a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  const space = head.search(/\s\S*$/);
  return `${(space > max * 0.6 ? head.slice(0, space) : head).trimEnd()}…`;
}
