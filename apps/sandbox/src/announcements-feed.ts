import { randomUUID } from 'node:crypto';

/** One item of the sandbox's RSS feed. */
export interface FeedItem {
  guid: string;
  title: string;
  link: string;
  description: string;
  publishedAt: Date;
}

/** Headlines the "Publish an announcement" button cycles through. */
const HEADLINES = [
  {
    title: 'Patch 2.4: Nebula Rift is live',
    description: 'A new arena, ranked season 7 and fixes for the launcher crash on startup.',
  },
  {
    title: 'Scheduled maintenance on Thursday',
    description: 'Servers are down from 09:00 to 10:00 UTC for an infrastructure upgrade.',
  },
  {
    title: 'Double shards weekend',
    description: 'Every match earns double shards from Friday to Sunday.',
  },
];

/**
 * The sandbox's own news feed (RSS 2.0), served by the web server and polled by the bridge like
 * any publisher's feed. Items live in memory: the bridge remembers which ones it posted.
 *
 * @see https://www.rssboard.org/rss-specification
 */
export class AnnouncementsFeed {
  readonly #items: FeedItem[] = [];
  #count = 0;

  /** The web server's URL, once it listens (item links point there). */
  siteUrl = 'http://localhost';

  /** Publishes an item (the next demo headline unless a title is given); the bridge posts it at its next poll. */
  publish(input: { title?: string; description?: string } = {}): FeedItem {
    const headline = HEADLINES[this.#count % HEADLINES.length] ?? { title: 'News', description: '' };
    this.#count += 1;
    const guid = randomUUID();
    const item: FeedItem = {
      guid,
      title: input.title?.trim() || headline.title,
      description: input.description?.trim() || headline.description,
      link: `${this.siteUrl}/news/${guid}`,
      publishedAt: new Date(),
    };
    this.#items.unshift(item);
    return item;
  }

  items(): readonly FeedItem[] {
    return this.#items;
  }

  rss(): string {
    const items = this.#items
      .map(
        (item) => `    <item>
      <title>${xml(item.title)}</title>
      <link>${xml(item.link)}</link>
      <guid isPermaLink="false">${xml(item.guid)}</guid>
      <description>${xml(item.description)}</description>
      <pubDate>${item.publishedAt.toUTCString()}</pubDate>
    </item>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Starfall Arena news</title>
    <link>${xml(this.siteUrl)}</link>
    <description>Patch notes and news from the Starfall team (Flexcord sandbox)</description>
${items}
  </channel>
</rss>
`;
  }
}

function xml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}
