import {
  claimDueSources,
  claimItem,
  ensureSource,
  findSource,
  recordPollFailure,
  recordPollSuccess,
  seenItems,
} from '../../infrastructure/db/announcements-repository.ts';
import type { Database, Tx } from '../../infrastructure/db/database.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import type { OutboxInput } from '../../infrastructure/outbox/kind-registry.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import {
  type Announcement,
  type AnnouncementLook,
  announcementOutboxKey,
  itemHash,
  plainText,
} from './announcement-items.ts';
import type { AnnouncementsConfig, FeedSource } from './announcements-config.ts';
import { FeedError, type FeedItem, type FeedResult, fetchFeed } from './feed-poller.ts';
import type { IngestItem, IngestOutcome } from './ingest-item.ts';

export interface AnnouncementsServiceOptions {
  db: Database;
  logger: Logger;
  config: AnnouncementsConfig;
  /** Where posts are enqueued (its worker is woken once they are committed). */
  outbox: Outbox;
  /** How a post looks in the channel (the Discord adapter's embed). */
  look: AnnouncementLook<Pick<OutboxInput<'discord.message'>, 'content' | 'embeds'>>;
  /** The HTTP client for feeds; Node's global fetch (undici) by default. */
  fetch?: typeof fetch;
  now?: () => Date;
  /** How often the scheduler looks for due sources. Default 2 s. */
  tickMs?: number;
}

export type PollResult =
  | { sourceId: string; status: 'polled'; posted: number; skipped: number }
  | { sourceId: string; status: 'not_modified' }
  | { sourceId: string; status: 'failed'; error: FeedError };

/** `pollSource` was given an id that is not a configured feed. */
export class UnknownAnnouncementSourceError extends Error {
  readonly code = 'ANNOUNCEMENT_SOURCE_UNKNOWN';
  constructor(readonly sourceId: string) {
    super(`no announcement feed source "${sourceId}" is configured`);
    this.name = 'UnknownAnnouncementSourceError';
  }
}

/** The longest a failing feed waits between retries (unless its interval is longer). */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** The most a feed's `Retry-After` can postpone it. */
const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * The announcements feed: polls the configured RSS/Atom sources and takes signed pushes, posting
 * each item once into the #announcements channel through the outbox.
 *
 * Once-only holds across restarts and instances because an item's key (source + hashed guid) is
 * claimed in the transaction that enqueues its post. Polls are claimed too (a lease on the
 * source's `next_poll_at`), so instances sharing a database take turns rather than all polling.
 *
 * @see ./README.md for the config file and the ingest's signing scheme
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export class AnnouncementsService {
  private readonly db: Database;
  private readonly logger: Logger;
  private readonly config: AnnouncementsConfig;
  private readonly outbox: Outbox;
  private readonly look: AnnouncementsServiceOptions['look'];
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly tickMs: number;
  private readonly feeds: Map<string, FeedSource>;
  private readonly polls = new Map<string, Promise<PollResult>>();
  private abort = new AbortController();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(options: AnnouncementsServiceOptions) {
    this.db = options.db;
    this.logger = options.logger.child({ component: 'announcements' });
    this.config = options.config;
    this.outbox = options.outbox;
    this.look = options.look;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? (() => new Date());
    this.tickMs = options.tickMs ?? 2000;
    this.feeds = new Map(options.config.sources.map((source) => [source.id, source]));
  }

  /** Starts polling each feed every `intervalSeconds` (failing ones back off). */
  start(): void {
    if (this.running || !this.feeds.size) return;
    this.running = true;
    this.loop = this.run();
    this.logger.info(
      { feeds: [...this.feeds.keys()], ingest: this.config.ingest.sources.map((source) => source.id) },
      'announcements started',
    );
  }

  /** Stops scheduling, aborts the requests in flight and waits for the polls to settle. */
  async stop(): Promise<void> {
    this.running = false;
    const abort = this.abort;
    this.abort = new AbortController();
    abort.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
    await Promise.allSettled(this.polls.values());
  }

  /** Polls one feed now, whatever its schedule; joins the poll already running for it, if any. */
  pollSource(sourceId: string): Promise<PollResult> {
    const source = this.feeds.get(sourceId);
    if (!source) return Promise.reject(new UnknownAnnouncementSourceError(sourceId));
    const running = this.polls.get(sourceId);
    if (running) return running;
    const poll = this.poll(source).finally(() => this.polls.delete(sourceId));
    this.polls.set(sourceId, poll);
    return poll;
  }

  /** Polls every feed now; one failing feed fails only its own result. */
  pollAll(): Promise<PollResult[]> {
    return Promise.all([...this.feeds.keys()].map((id) => this.pollSource(id)));
  }

  /** Posts a pushed item unless its id was posted already. */
  async ingest(item: IngestItem): Promise<IngestOutcome> {
    const source = this.config.ingest.sources.find((candidate) => candidate.id === item.source);
    if (!source) return 'unknown_source';
    const summary = item.summary ? plainText(item.summary) : '';
    const announcement: Announcement = {
      sourceId: source.id,
      identity: item.id,
      title: item.title,
      ...(item.url ? { url: item.url } : {}),
      ...(summary ? { summary } : {}),
      ...(item.imageUrl ? { imageUrl: item.imageUrl } : {}),
      ...(item.publishedAt ? { publishedAt: new Date(item.publishedAt) } : {}),
    };
    const now = this.now();
    const posted = await this.db.transaction((tx) =>
      this.post(tx, announcement, source.name ?? source.id, now),
    );
    if (!posted) return 'duplicate';
    this.logger.info({ sourceId: source.id }, 'announcement ingested');
    return 'accepted';
  }

  private async run(): Promise<void> {
    let ensured = false;
    while (this.running) {
      try {
        const now = this.now();
        if (!ensured) {
          for (const source of this.feeds.values()) await ensureSource(this.db, source.id, source.url, now);
          ensured = true;
        }
        const lease = Math.max(...[...this.feeds.values()].map((source) => source.timeoutSeconds), 0);
        const due = await claimDueSources(
          this.db,
          [...this.feeds.keys()],
          now,
          new Date(now.getTime() + (lease + 60) * 1000),
        );
        for (const id of due)
          this.pollSource(id).catch((error: unknown) =>
            this.logger.error({ err: error, sourceId: id }, 'announcement poll failed'),
          );
      } catch (error) {
        this.logger.error({ err: error }, 'announcements scheduling failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.tickMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async poll(source: FeedSource): Promise<PollResult> {
    const { db } = this;
    const started = this.now();
    await ensureSource(db, source.id, source.url, started);
    const state = await findSource(db, source.id);
    if (!state) throw new UnknownAnnouncementSourceError(source.id);

    let result: FeedResult;
    try {
      result = await fetchFeed({
        url: source.url,
        etag: state.etag,
        lastModified: state.last_modified,
        timeoutMs: source.timeoutSeconds * 1000,
        fetch: this.fetch,
        signal: this.abort.signal,
      });
    } catch (caught) {
      const error =
        caught instanceof FeedError
          ? caught
          : new FeedError('FEED_INVALID', String(caught), { cause: caught });
      if (error.code === 'FEED_ABORTED') return { sourceId: source.id, status: 'failed', error };
      const failures = state.failures + 1;
      const delayMs = retryDelayMs(source, failures, error.retryAfterMs);
      const now = this.now();
      await recordPollFailure(db, source.id, {
        now,
        nextPollAt: new Date(now.getTime() + delayMs),
        error: `${error.code}: ${error.message}`,
      });
      // The host only: a private feed's URL may carry a token.
      this.logger.warn(
        {
          sourceId: source.id,
          host: new URL(source.url).host,
          code: error.code,
          status: error.status,
          failures,
          retryInSeconds: Math.round(delayMs / 1000),
          reason: error.message,
        },
        'announcement feed poll failed; will retry',
      );
      return { sourceId: source.id, status: 'failed', error };
    }

    const now = this.now();
    const nextPollAt = new Date(now.getTime() + source.intervalSeconds * 1000);
    if (result.status === 'not_modified') {
      await recordPollSuccess(db, source.id, { now, nextPollAt });
      this.logger.debug({ sourceId: source.id }, 'announcement feed not modified');
      return { sourceId: source.id, status: 'not_modified' };
    }

    const { items, etag, lastModified } = result;
    const sourceName = source.name ?? result.title ?? source.id;
    const counts = await db.transaction(async (tx) => {
      // Serialises instances on this source, so the backlog is decided once.
      const current = await findSource(tx, source.id, true);
      if (!current) throw new UnknownAnnouncementSourceError(source.id);
      const hashed = items.map((item) => ({ item, hash: itemHash(item.identity) }));
      const seen = await seenItems(
        tx,
        source.id,
        hashed.map((entry) => entry.hash),
      );
      const fresh = chronological(hashed.filter((entry) => !seen.has(entry.hash)));
      const subscribedAt = current.subscribed_at.getTime();
      const firstPoll = current.primed_at === null;
      // Published before the subscription (or undated, on the first poll): the backlog.
      const isBacklog = (item: FeedItem) =>
        item.publishedAt ? item.publishedAt.getTime() < subscribedAt : firstPoll;
      const backlog = fresh.filter((entry) => isBacklog(entry.item));
      const keep = firstPoll && source.backlog !== 'skip' ? source.backlog : 0;
      const replayed = new Set(keep > 0 ? backlog.slice(-keep) : []);
      let posted = 0;
      let skipped = 0;
      for (const entry of fresh) {
        const announcement = { ...entry.item, sourceId: source.id };
        if (isBacklog(entry.item) && !replayed.has(entry)) {
          if (await claimItem(tx, seenItem(announcement, entry.hash, 'skipped'))) skipped += 1;
        } else if (await this.post(tx, announcement, sourceName, now)) posted += 1;
      }
      await recordPollSuccess(tx, source.id, {
        now,
        nextPollAt,
        validators: { etag: etag ?? null, lastModified: lastModified ?? null },
        primed: true,
      });
      return { posted, skipped };
    });
    if (counts.posted || counts.skipped)
      this.logger.info({ sourceId: source.id, ...counts }, 'announcement feed polled');
    return { sourceId: source.id, status: 'polled', ...counts };
  }

  /** Claims the item and enqueues its post, in `tx`; false when it was posted already. */
  private async post(tx: Tx, item: Announcement, sourceName: string, now: Date): Promise<boolean> {
    const hash = itemHash(item.identity);
    const key = announcementOutboxKey(item.sourceId, hash);
    if (!(await claimItem(tx, { ...seenItem(item, hash, 'posted'), outboxKey: key }))) return false;
    await this.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: key,
      payload: {
        channelId: this.config.channel,
        ...this.look.message(item, sourceName, now),
      },
    });
    return true;
  }
}

function seenItem(item: Announcement, hash: string, status: 'posted' | 'skipped') {
  return {
    sourceId: item.sourceId,
    hash,
    status,
    title: item.title,
    url: item.url,
    publishedAt: item.publishedAt,
  };
}

/**
 * Oldest first, so the channel reads in order: by publication time, undated items after dated
 * ones, and otherwise by feed position reversed (feeds list the newest first).
 */
function chronological<T extends { item: FeedItem }>(entries: T[]): T[] {
  return entries
    .map((entry, index) => ({ entry, index, time: entry.item.publishedAt?.getTime() }))
    .sort((a, b) => {
      if (a.time !== undefined && b.time !== undefined && a.time !== b.time) return a.time - b.time;
      if ((a.time === undefined) !== (b.time === undefined)) return a.time === undefined ? 1 : -1;
      return b.index - a.index;
    })
    .map(({ entry }) => entry);
}

/** The next interval after one failure, doubling with each further one, capped; `Retry-After` wins if longer. */
function retryDelayMs(source: FeedSource, failures: number, retryAfterMs: number | undefined): number {
  const interval = source.intervalSeconds * 1000;
  const backoff = Math.min(interval * 2 ** (failures - 1), Math.max(interval, MAX_BACKOFF_MS));
  return Math.max(backoff, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
