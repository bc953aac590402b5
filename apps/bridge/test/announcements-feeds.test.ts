import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { APIEmbed } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discordAnnouncementLook } from '../src/adapters/discord/announcement-embed.ts';
import type { DiscordMessagePayload } from '../src/adapters/discord/outbox-kinds.ts';
import { OUTBOX_KINDS } from '../src/adapters/outbox-kinds.ts';
import {
  type AnnouncementsConfigInput,
  parseAnnouncementsConfig,
} from '../src/domain/announcements/announcements-config.ts';
import { AnnouncementsService } from '../src/domain/announcements/announcements-service.ts';
import type { SourceStateRow } from '../src/infrastructure/db/announcements-repository.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { createLogger, type Logger } from '../src/infrastructure/logger.ts';
import { Outbox } from '../src/infrastructure/outbox/outbox.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

const CHANNEL = '112233445566778899';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/feeds/${name}`, import.meta.url), 'utf8');
const RSS = fixture('patch-notes.rss.xml');
const ATOM = fixture('status.atom.xml');
const BROKEN = fixture('broken.rss.xml');

/** A feed as the local server answers it; change it between polls to publish. */
interface FeedRoute {
  body: string;
  status?: number;
  /** Answer 304 to a matching If-None-Match; unset → the server ignores conditional headers. */
  etag?: string;
  lastModified?: string;
  delayMs?: number;
}

/** A real HTTP server on 127.0.0.1 serving feeds and remembering what it was asked. */
class FeedServer {
  readonly routes = new Map<string, FeedRoute>();
  readonly requests: { path: string; headers: IncomingHttpHeaders; answered: number }[] = [];
  private server: Server | null = null;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      const route = this.routes.get(path);
      const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
        this.requests.push({ path, headers: req.headers, answered: status });
        res.writeHead(status, headers).end(body);
      };
      setTimeout(() => {
        if (!route) return answer(404, 'not found');
        if (route.status && route.status !== 200) return answer(route.status, 'upstream trouble');
        const validators = {
          ...(route.etag ? { ETag: route.etag } : {}),
          ...(route.lastModified ? { 'Last-Modified': route.lastModified } : {}),
        };
        if (route.etag && req.headers['if-none-match'] === route.etag) return answer(304, '', validators);
        answer(200, route.body, { 'Content-Type': 'application/rss+xml; charset=utf-8', ...validators });
      }, route?.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  requestsTo(path: string) {
    return this.requests.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Publishes a new item at the top of the RSS fixture. */
function withNewRssItem(xml: string, guid: string, title: string, pubDate: string): string {
  return xml.replace(
    '<!-- new items -->',
    `<item><title>${title}</title><link>https://acme.example/patch-notes/${guid}</link>` +
      `<guid isPermaLink="false">${guid}</guid><pubDate>${pubDate}</pubDate>` +
      `<description>Fresh.</description></item>\n<!-- new items -->`,
  );
}

/** A logger that keeps what it writes, so tests can read it; prints nothing. */
function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger('info', sink),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

interface PostedRow {
  key: string;
  kind: string;
  stream: string;
  payload: DiscordMessagePayload;
}

describe('the announcements feed', () => {
  let db: Database;
  let server: FeedServer;
  let clock: Date;
  let kicks: number;
  const services: AnnouncementsService[] = [];

  const posted = async () =>
    (await db.query<PostedRow>('SELECT key, kind, stream, payload FROM outbox ORDER BY id')).rows;
  const titles = async () => (await posted()).map((row) => row.payload.embeds?.[0]?.title);
  const state = async (sourceId: string) =>
    (await db.query<SourceStateRow>('SELECT * FROM announcement_sources WHERE source_id = $1', [sourceId]))
      .rows[0]!;

  function announcements(
    sources: AnnouncementsConfigInput['sources'],
    options: { logger?: Logger; now?: () => Date; tickMs?: number } = {},
  ): AnnouncementsService {
    const service = new AnnouncementsService({
      db,
      look: discordAnnouncementLook,
      logger: options.logger ?? quietLogger(),
      config: parseAnnouncementsConfig({ channel: CHANNEL, sources }),
      outbox: countingOutbox(() => {
        kicks += 1;
      }),
      now: options.now ?? (() => clock),
      ...(options.tickMs ? { tickMs: options.tickMs } : {}),
    });
    services.push(service);
    return service;
  }

  // Opening PGlite is the slow part: one database per file, emptied before each story.
  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.query('TRUNCATE announcement_items, announcement_sources, outbox');
    server = new FeedServer();
    await server.start();
    // Subscribed before anything in the fixtures was published, unless a test says otherwise.
    clock = new Date('2024-01-01T00:00:00Z');
    kicks = 0;
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await server.stop();
  });

  it('posts each item of an RSS 2.0 feed once, oldest first, and not again after a restart', async () => {
    server.routes.set('/rss.xml', { body: RSS });
    const sources = [{ id: 'patch-notes', type: 'feed' as const, url: server.url('/rss.xml') }];

    const result = await announcements(sources).pollSource('patch-notes');

    expect(result).toEqual({ sourceId: 'patch-notes', status: 'polled', posted: 3, skipped: 0 });
    expect(kicks).toBe(1);
    const rows = await posted();
    expect(rows.map((row) => [row.kind, row.stream])).toEqual(
      Array(3).fill(['discord.message', `discord:channel:${CHANNEL}`]),
    );
    expect(await titles()).toEqual(['Patch 1.1', 'Patch 1.2', 'Patch 1.3: faster matchmaking']);
    expect(rows[2]?.key).toMatch(/^announcement:patch-notes:[0-9a-f]{64}$/);
    expect(rows[2]?.payload).toEqual({
      channelId: CHANNEL,
      embeds: [
        {
          title: 'Patch 1.3: faster matchmaking',
          url: 'https://acme.example/patch-notes/1.3',
          description: 'Matchmaking is twice as fast & fairer.\n\nAlso: fewer disconnects…',
          image: { url: 'https://cdn.acme.example/patch-1.3.png' },
          footer: { text: 'Acme Patch Notes' },
          timestamp: '2024-06-12T10:00:00.000Z',
        } satisfies APIEmbed,
      ],
    });
    // Media RSS image; a relative link resolved against the feed; an audio enclosure is no image.
    expect(rows[1]?.payload.embeds?.[0]?.image).toEqual({ url: 'https://cdn.acme.example/patch-1.2.jpg' });
    expect(rows[0]?.payload.embeds?.[0]).toMatchObject({ url: server.url('/patch-notes/1.1') });
    expect(rows[0]?.payload.embeds?.[0]?.image).toBeUndefined();

    // The same poll again, then a new instance on the same database: the server ignores
    // conditional headers, so only the item keys stand between the feed and a second post.
    expect(await announcements(sources).pollSource('patch-notes')).toMatchObject({ posted: 0 });
    const restarted = announcements(sources);
    expect(await restarted.pollAll()).toEqual([
      { sourceId: 'patch-notes', status: 'polled', posted: 0, skipped: 0 },
    ]);
    expect(await posted()).toHaveLength(3);
  });

  it('posts each entry of an Atom feed once, with its enclosure image and its summary as text', async () => {
    server.routes.set('/status.atom', { body: ATOM });
    const sources = [
      { id: 'status', name: 'Status page', type: 'feed' as const, url: server.url('/status.atom') },
    ];

    await announcements(sources).pollSource('status');
    await announcements(sources).pollSource('status');

    const rows = await posted();
    expect(rows.map((row) => row.payload.embeds?.[0])).toEqual([
      {
        title: 'Login issues resolved',
        url: 'https://status.acme.example/incidents/41',
        description: 'Players can log in again.',
        footer: { text: 'Status page' },
        timestamp: '2024-06-18T07:15:00.000Z',
      },
      {
        title: 'Scheduled maintenance on June 22',
        url: 'https://status.acme.example/incidents/42',
        description: 'The game servers will be offline from 06:00 to 08:00 UTC.',
        image: { url: 'https://status.acme.example/banners/42.jpg' },
        footer: { text: 'Status page' },
        timestamp: '2024-06-20T12:00:00.000Z',
      },
    ]);
  });

  it('records the backlog as seen on the first poll, then posts an item published later', async () => {
    clock = new Date('2025-01-01T00:00:00Z');
    server.routes.set('/rss.xml', { body: RSS });
    const service = announcements([{ id: 'patch-notes', type: 'feed', url: server.url('/rss.xml') }]);

    expect(await service.pollSource('patch-notes')).toMatchObject({ posted: 0, skipped: 3 });
    expect(await posted()).toEqual([]);
    expect(kicks).toBe(0);
    const seen = await db.query<{ status: string }>(
      `SELECT status FROM announcement_items WHERE source_id = 'patch-notes'`,
    );
    expect(seen.rows.map((row) => row.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(await state('patch-notes')).toMatchObject({
      subscribed_at: new Date('2025-01-01T00:00:00Z'),
      primed_at: new Date('2025-01-01T00:00:00Z'),
    });

    clock = new Date('2025-01-03T00:00:00Z');
    server.routes.set('/rss.xml', {
      body: withNewRssItem(RSS, 'acme-patch-2.0', 'Patch 2.0', 'Thu, 02 Jan 2025 12:00:00 GMT'),
    });
    expect(await service.pollSource('patch-notes')).toMatchObject({ posted: 1, skipped: 0 });
    expect(await titles()).toEqual(['Patch 2.0']);
  });

  it('posts the newest N of the backlog when the source says backlog: N', async () => {
    clock = new Date('2025-01-01T00:00:00Z');
    server.routes.set('/rss.xml', { body: RSS });
    const service = announcements([
      { id: 'patch-notes', type: 'feed', url: server.url('/rss.xml'), backlog: 2 },
    ]);

    expect(await service.pollSource('patch-notes')).toMatchObject({ posted: 2, skipped: 1 });
    expect(await titles()).toEqual(['Patch 1.2', 'Patch 1.3: faster matchmaking']);
  });

  it('asks with If-None-Match and If-Modified-Since and does nothing on 304', async () => {
    const lastModified = 'Wed, 12 Jun 2024 10:00:00 GMT';
    server.routes.set('/rss.xml', { body: RSS, etag: '"v1"', lastModified });
    const service = announcements([{ id: 'patch-notes', type: 'feed', url: server.url('/rss.xml') }]);

    await service.pollSource('patch-notes');
    expect(await state('patch-notes')).toMatchObject({ etag: '"v1"', last_modified: lastModified });
    clock = new Date('2024-01-01T00:05:00Z');
    expect(await service.pollSource('patch-notes')).toEqual({
      sourceId: 'patch-notes',
      status: 'not_modified',
    });

    const [first, second] = server.requestsTo('/rss.xml');
    expect(first?.headers['if-none-match']).toBeUndefined();
    expect(second?.headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': lastModified });
    expect(second?.answered).toBe(304);
    expect(await state('patch-notes')).toMatchObject({
      last_polled_at: clock,
      next_poll_at: new Date(clock.getTime() + 300_000),
    });

    server.routes.set('/rss.xml', {
      body: withNewRssItem(RSS, 'acme-patch-1.4', 'Patch 1.4', 'Mon, 01 Jul 2024 10:00:00 GMT'),
      etag: '"v2"',
    });
    expect(await service.pollSource('patch-notes')).toMatchObject({ status: 'polled', posted: 1 });
    expect(await state('patch-notes')).toMatchObject({ etag: '"v2"', last_modified: null });
    expect(await posted()).toHaveLength(4);
  });

  it('logs a failing feed, retries it at the next poll with backoff, and keeps posting the others', async () => {
    const { logger, lines } = capturingLogger();
    const closed = new FeedServer();
    await closed.start();
    const unreachable = closed.url('/gone.xml');
    await closed.stop();
    server.routes.set('/broken.xml', { body: BROKEN });
    server.routes.set('/down.xml', { body: RSS, status: 500 });
    server.routes.set('/slow.xml', { body: RSS, delayMs: 3000 });
    server.routes.set('/good.atom', { body: ATOM });
    const service = announcements(
      [
        { id: 'broken', type: 'feed', url: server.url('/broken.xml'), intervalSeconds: 60 },
        { id: 'down', type: 'feed', url: server.url('/down.xml'), intervalSeconds: 60 },
        { id: 'slow', type: 'feed', url: server.url('/slow.xml'), intervalSeconds: 60, timeoutSeconds: 0.2 },
        { id: 'unreachable', type: 'feed', url: unreachable, intervalSeconds: 60 },
        { id: 'good', type: 'feed', url: server.url('/good.atom'), intervalSeconds: 60 },
      ],
      { logger },
    );

    const results = await service.pollAll();

    expect(results.map((result) => [result.sourceId, result.status])).toEqual([
      ['broken', 'failed'],
      ['down', 'failed'],
      ['slow', 'failed'],
      ['unreachable', 'failed'],
      ['good', 'polled'],
    ]);
    expect(await titles()).toEqual(['Login issues resolved', 'Scheduled maintenance on June 22']);
    const failures = lines()
      .filter((line) => line.msg === 'announcement feed poll failed; will retry')
      .sort((a, b) => String(a.sourceId).localeCompare(String(b.sourceId)));
    expect(failures.map((line) => [line.sourceId, line.code, line.level])).toEqual([
      ['broken', 'FEED_INVALID', 40],
      ['down', 'FEED_HTTP_STATUS', 40],
      ['slow', 'FEED_TIMEOUT', 40],
      ['unreachable', 'FEED_NETWORK', 40],
    ]);
    expect(failures[1]).toMatchObject({ status: 500, retryInSeconds: 60 });
    expect(await state('down')).toMatchObject({
      failures: 1,
      last_error: 'FEED_HTTP_STATUS: feed answered HTTP 500',
      next_poll_at: new Date(clock.getTime() + 60_000),
    });

    // The next poll: still failing, so the wait doubles; meanwhile the good feed publishes.
    clock = new Date(clock.getTime() + 60_000);
    server.routes.set('/good.atom', {
      body: ATOM.replace(
        '<!-- new entries -->',
        '<entry><title>All systems go</title><id>urn:acme:43</id>' +
          '<link href="https://status.acme.example/incidents/43"/><updated>2024-06-23T08:00:00Z</updated></entry>',
      ),
    });
    await service.pollAll();
    expect(await state('down')).toMatchObject({
      failures: 2,
      next_poll_at: new Date(clock.getTime() + 120_000),
    });
    expect((await titles()).at(-1)).toBe('All systems go');

    // The feed recovers: its items are posted and its error is cleared.
    server.routes.set('/down.xml', { body: RSS });
    expect(await service.pollSource('down')).toMatchObject({ status: 'polled', posted: 3 });
    expect(await state('down')).toMatchObject({ failures: 0, last_error: null });
  });

  it('posts an item once when two instances poll the same feed at the same time', async () => {
    server.routes.set('/rss.xml', { body: RSS });
    const sources = [{ id: 'patch-notes', type: 'feed' as const, url: server.url('/rss.xml') }];

    const [a, b] = await Promise.all([
      announcements(sources).pollSource('patch-notes'),
      announcements(sources).pollSource('patch-notes'),
    ]);

    expect([a, b].map((result) => (result.status === 'polled' ? result.posted : -1)).sort()).toEqual([0, 3]);
    expect(await posted()).toHaveLength(3);
  });

  it('polls on its own once started, and stops cleanly', async () => {
    server.routes.set('/rss.xml', { body: RSS, etag: '"v1"' });
    const service = announcements(
      [{ id: 'patch-notes', type: 'feed', url: server.url('/rss.xml'), intervalSeconds: 5, backlog: 3 }],
      { now: () => new Date(), tickMs: 10 },
    );
    clock = new Date();

    service.start();
    const deadline = Date.now() + 5000;
    while ((await posted()).length < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await service.stop();

    expect(await titles()).toHaveLength(3);
    // Polled once: the next poll is not due for 5 s.
    expect(server.requestsTo('/rss.xml')).toHaveLength(1);
  });

  it('treats a new URL for a source as a new subscription', async () => {
    clock = new Date('2025-01-01T00:00:00Z');
    server.routes.set('/rss.xml', { body: RSS, etag: '"v1"' });
    server.routes.set('/moved.xml', {
      body: withNewRssItem(RSS, 'acme-patch-2.0', 'Patch 2.0', 'Thu, 02 Jan 2025 12:00:00 GMT'),
    });
    await announcements([{ id: 'patch-notes', type: 'feed', url: server.url('/rss.xml') }]).pollSource(
      'patch-notes',
    );

    clock = new Date('2025-02-01T00:00:00Z');
    const moved = announcements([{ id: 'patch-notes', type: 'feed', url: server.url('/moved.xml') }]);
    expect(await moved.pollSource('patch-notes')).toMatchObject({ posted: 0, skipped: 1 });
    expect(await state('patch-notes')).toMatchObject({ etag: null, subscribed_at: clock });
    expect(server.requestsTo('/moved.xml')[0]?.headers['if-none-match']).toBeUndefined();
  });
});

/** An outbox whose worker wakes are counted. */
function countingOutbox(onWake: () => void): Outbox {
  const outbox = new Outbox(OUTBOX_KINDS);
  outbox.onEnqueued(onWake);
  return outbox;
}
