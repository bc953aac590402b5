import type { Database, Tx } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from './delivery-errors.ts';
import { LeaseOwner } from './lease-owner.ts';
import {
  claimDue,
  markDead,
  markDelivered,
  markDeliveredAndClaimNext,
  markRetry,
  type OutboxRow,
} from './outbox-repository.ts';

/** Delivers one outbox item of a kind; throws {@link RetryableDeliveryError} or {@link PermanentDeliveryError}. */
export type Deliverer = (row: OutboxRow) => Promise<unknown>;

export interface OutboxWorkerOptions {
  db: Database;
  logger: Logger;
  deliverers: Record<string, Deliverer>;
  /** How many streams are delivered at once. */
  concurrency?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  onDelivered?: (row: OutboxRow, durationMs: number) => void;
  onFailed?: (row: OutboxRow, error: unknown, final: boolean) => void;
  /**
   * An item was given up on: told in the transaction that marks it dead, so what it enqueues (a
   * notice, a timeline entry) is as durable as the mark. Nothing is dead-lettered silently.
   */
  onDeadLetter?: (tx: Tx, row: OutboxRow, error: unknown) => Promise<void>;
}

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s … capped at 60 s. */
export function backoffMs(attempt: number): number {
  const base = Math.min(60_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * Drains the outbox: claims the head item of each stream, delivers them concurrently, records the
 * outcome, and goes again at once while there is work (else on `kick()` or the poll interval).
 * A slot that delivered an item goes on with the next item of the same stream, claimed in the
 * statement that marks the first one done. Safe to run in several instances on one Postgres.
 *
 * Its bookkeeping (claims, leases, marks) uses the database's relaxed commits: a mark lost in a
 * crash only means one more delivery of that item, which its idempotency key makes harmless.
 */
export class OutboxWorker {
  private running = false;
  private wake: (() => void) | null = null;
  /** A kick that came while the loop was busy: look again instead of sleeping. */
  private kicked = false;
  /** Streams a slot of this worker is going through: their new items are its to claim next. */
  private readonly activeStreams = new Set<string>();
  /** Active streams that got new items meanwhile: if their slot stops without them, claim. */
  private readonly missedKicks = new Set<string>();
  private loop: Promise<void> | null = null;
  private readonly options: Required<Omit<OutboxWorkerOptions, 'onDelivered' | 'onFailed' | 'onDeadLetter'>> &
    Pick<OutboxWorkerOptions, 'onDelivered' | 'onFailed' | 'onDeadLetter'>;

  /** Whose leases this worker takes, so another instance can tell when they outlive it. */
  private readonly leaseOwner: LeaseOwner;

  constructor(options: OutboxWorkerOptions) {
    this.options = { concurrency: 64, pollIntervalMs: 500, leaseMs: 30_000, maxAttempts: 25, ...options };
    this.leaseOwner = new LeaseOwner(options.db, options.logger);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming; resolves when in-flight deliveries have finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
    await this.leaseOwner.stop();
  }

  /**
   * New work was enqueued: look now rather than at the next poll. With the item's `stream`, a
   * stream a slot is already going through needs no claim: the slot takes its next item when it
   * marks the current one done (or, if that read missed it, kicks when it stops).
   */
  kick(stream?: string): void {
    if (stream !== undefined && this.activeStreams.has(stream)) {
      this.missedKicks.add(stream);
      return;
    }
    this.kicked = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /**
   * Keeps up to `concurrency` deliveries going: a stream's head is claimed as soon as there is
   * room, and each finished delivery frees its slot at once, so one slow delivery (a long
   * rate-limit wait) never holds up the other streams. A stream never has two items in flight:
   * the claim skips streams whose head is being delivered.
   */
  private async run(): Promise<void> {
    const { db, logger, concurrency, pollIntervalMs, leaseMs } = this.options;
    const inflight = new Set<Promise<void>>();
    /** The last claim filled every free slot: more may be due as soon as a slot frees. */
    let backlog = false;
    await this.leaseOwner.start();
    while (this.running) {
      this.kicked = false;
      let rows: OutboxRow[] = [];
      const room = concurrency - inflight.size;
      // Items a stopped bridge was delivering become claimable now, not when their lease runs out.
      await this.leaseOwner.sweep().catch((error: unknown) => {
        logger.warn({ err: error }, 'outbox lease sweep failed');
      });
      if (room > 0) {
        try {
          rows = await claimDue(db.relaxed, room, leaseMs, this.leaseOwner.key);
          backlog = rows.length === room;
        } catch (error) {
          logger.error({ err: error }, 'outbox claim failed');
        }
      }
      for (const row of rows) {
        const delivery: Promise<void> = this.deliver(row).finally(() => {
          inflight.delete(delivery);
          // Claim again only if something may be waiting: a backlog, or a kick this slot let pass.
          const missed = this.missedKicks.delete(row.stream);
          if (backlog || missed) this.kick();
        });
        inflight.add(delivery);
      }
      if (this.kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await Promise.all(inflight);
  }

  /** Delivers `first`, then the stream's next items as long as they are due and unclaimed. */
  private async deliver(first: OutboxRow): Promise<void> {
    this.activeStreams.add(first.stream);
    try {
      let row: OutboxRow | null = first;
      while (row) row = await this.deliverOne(row);
    } finally {
      this.activeStreams.delete(first.stream);
    }
  }

  private async deliverOne(row: OutboxRow): Promise<OutboxRow | null> {
    const { db, logger, deliverers, maxAttempts, leaseMs, onDelivered, onFailed } = this.options;
    const started = performance.now();
    const deliverer = deliverers[row.kind];
    let result: unknown;
    try {
      if (!deliverer) throw new PermanentDeliveryError(`no deliverer for outbox kind ${row.kind}`);
      result = await deliverer(row);
    } catch (error) {
      await this.recordFailure(row, error);
      onFailed?.(row, error, error instanceof PermanentDeliveryError || row.attempts >= maxAttempts);
      return null;
    }
    onDelivered?.(row, performance.now() - started);
    try {
      if (this.running)
        return await markDeliveredAndClaimNext(
          db.relaxed,
          row.id,
          result,
          leaseMs,
          this.leaseOwner.key,
          row.attempts,
        );
      await markDelivered(db.relaxed, row.id, result, row.attempts);
      return null;
    } catch (markError) {
      // The lease expires and another pass delivers it again, which its idempotency key absorbs.
      logger.error({ err: markError, outboxId: row.id }, 'outbox state update failed');
      return null;
    }
  }

  private async recordFailure(row: OutboxRow, error: unknown): Promise<void> {
    const { db, logger, maxAttempts } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof PermanentDeliveryError || row.attempts >= maxAttempts;
    try {
      if (final) {
        await this.deadLetter(row, message, error);
        logger.error(
          { outboxId: row.id, kind: row.kind, stream: row.stream, err: error },
          'outbox item dead-lettered (replay: npm run outbox -- replay <id>)',
        );
      } else {
        const retryAfter = error instanceof RetryableDeliveryError ? error.retryAfterMs : undefined;
        await markRetry(db.relaxed, row.id, message, retryAfter ?? backoffMs(row.attempts));
        logger.warn(
          { outboxId: row.id, kind: row.kind, attempt: row.attempts, err: message },
          'outbox delivery will retry',
        );
      }
    } catch (markError) {
      // The lease expires and another pass retries it: nothing is lost.
      logger.error({ err: markError, outboxId: row.id }, 'outbox state update failed');
    }
  }

  /** Marks the item dead and tells `onDeadLetter`, in one transaction; the mark alone if that fails. */
  private async deadLetter(row: OutboxRow, reason: string, error: unknown): Promise<void> {
    const { db, logger, onDeadLetter } = this.options;
    if (!onDeadLetter) {
      await markDead(db.relaxed, row.id, reason);
      return;
    }
    try {
      await db.transaction(async (tx) => {
        // Delivered meanwhile by another attempt: nothing to tell.
        if (await markDead(tx, row.id, reason)) await onDeadLetter(tx, row, error);
      });
    } catch (error) {
      // A notice that cannot be written must not keep a dead item in flight for ever.
      logger.error({ err: error, outboxId: row.id }, 'dead letter notice failed; the item is marked dead');
      await markDead(db.relaxed, row.id, reason);
    }
  }
}
