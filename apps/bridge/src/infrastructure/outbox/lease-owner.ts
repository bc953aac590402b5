import { randomInt } from 'node:crypto';
import type { Database, LockSession } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { otherLeaseOwners, releaseLeasesOfGoneOwner } from './outbox-repository.ts';

/** Owner keys: a range of their own among the advisory locks (shards use 0x666c78xx). */
const OWNER_KEY_BASE = 0x6f77_0000;
const OWNER_KEYS = 0x1_0000;
/** How often a lost lock session is opened again. */
const REACQUIRE_EVERY_MS = 5_000;

/**
 * Who holds this bridge's outbox leases, on a shared Postgres: a key whose session-level advisory
 * lock the bridge holds as long as it runs, written on every lease it takes. A lease whose owner's
 * lock is free belongs to a bridge that died (its connection, and so its lock, went with it): its
 * items are released at once instead of after the rest of their lease. PGlite has one process and
 * releases everything at start instead.
 */
export class LeaseOwner {
  private session: LockSession | null = null;
  private ownKey: number | null = null;
  /**
   * Keys this bridge held before its lock session was lost (a database restart, a terminated
   * backend): items it leased under them may still be in flight here, so its sweep never takes
   * them for a stopped bridge's, and a new session takes the same key back when it can.
   */
  private readonly formerKeys = new Set<number>();
  private lastSweep = 0;
  private lastAcquire = 0;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly sweepEveryMs = 2_000,
  ) {}

  /** The key leases are taken under; null when not running on Postgres or the lock session is lost. */
  get key(): number | null {
    return this.ownKey;
  }

  async start(): Promise<void> {
    if (this.db.kind !== 'postgres') return;
    this.stopped = false;
    await this.acquire();
  }

  /** A lock session and a key of its own; on failure leases only expire until the next try. */
  private async acquire(): Promise<void> {
    this.lastAcquire = Date.now();
    try {
      const session = await this.db.lockSession();
      if (this.stopped) {
        await session.close();
        return;
      }
      // The key held before a lost session first: its in-flight items are this bridge's again.
      for (const key of this.formerKeys) {
        if (this.ownKey !== null) break;
        if (await session.tryLock(key)) {
          this.ownKey = key;
          this.formerKeys.delete(key);
        }
      }
      for (let attempt = 0; attempt < 20 && this.ownKey === null; attempt++) {
        const key = OWNER_KEY_BASE + randomInt(OWNER_KEYS);
        if (await session.tryLock(key)) this.ownKey = key;
      }
      this.session = session;
      session.onLost((error) => {
        // Leases taken from now on fall back to expiring until a new session; those taken under
        // the lost key may still be in flight here, and must not look like a stopped bridge's.
        this.logger.warn({ err: error }, 'outbox lease owner session lost');
        if (this.ownKey !== null) this.formerKeys.add(this.ownKey);
        this.ownKey = null;
        this.session = null;
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox lease owner not available: leases only expire');
    }
  }

  /**
   * At most every `sweepEveryMs`: releases the in-flight items of owners that are gone — never
   * this bridge's own, under its current key or a former one.
   */
  async sweep(): Promise<number> {
    // A session lost with the database (a restart, a cut connection) is opened again, with a new key.
    if (!this.stopped && !this.session && Date.now() - this.lastAcquire >= REACQUIRE_EVERY_MS)
      await this.acquire();
    const self = this.ownKey;
    if (self === null || Date.now() - this.lastSweep < this.sweepEveryMs) return 0;
    this.lastSweep = Date.now();
    let released = 0;
    for (const owner of await otherLeaseOwners(this.db, [self, ...this.formerKeys])) {
      const count = await this.db.transaction((tx) => releaseLeasesOfGoneOwner(tx, owner));
      if (count) this.logger.info({ owner, released: count }, "released a stopped bridge's outbox leases");
      released += count;
    }
    return released;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const session = this.session;
    this.session = null;
    this.ownKey = null;
    await session?.close();
  }
}
