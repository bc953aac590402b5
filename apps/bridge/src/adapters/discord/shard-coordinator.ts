import type { Database, LockSession } from '../../infrastructure/db/database.ts';
import type { Logger } from '../../infrastructure/logger.ts';

/** Advisory-lock keys of Discord shards: this base + the shard id. */
const SHARD_LOCK_BASE = 0x666c_7800;

export interface ShardCoordinatorOptions {
  db: Database;
  logger: Logger;
  shardCount: number;
  /** How often shards nobody holds are looked for (another instance died). */
  pollMs: number;
  start(shardId: number): Promise<void>;
  stop(shardId: number): Promise<void>;
}

/**
 * Makes each Discord gateway shard run in exactly one bridge instance: a shard is started only
 * while this instance holds its Postgres advisory lock, on a session of its own. When an instance
 * dies its session ends, Postgres frees its locks, and the others take its shards at their next
 * poll. With an embedded database this instance holds every shard.
 */
export class ShardCoordinator {
  private session: LockSession | null = null;
  private readonly owned = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();

  constructor(private readonly options: ShardCoordinatorOptions) {}

  get shards(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    for (const shard of this.shards) await this.release(shard);
    await this.session?.close();
    this.session = null;
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const { db, logger, shardCount } = this.options;
    try {
      if (!this.session) {
        this.session = await db.lockSession();
        this.session.onLost((error) => {
          logger.error({ err: error }, 'shard lock session lost: stopping owned shards');
          this.session = null;
          for (const shard of this.shards) void this.release(shard, false);
        });
      }
      for (let shard = 0; shard < shardCount && !this.stopped; shard++) {
        if (this.owned.has(shard)) continue;
        if (!(await this.session.tryLock(SHARD_LOCK_BASE + shard))) continue;
        this.owned.add(shard);
        logger.info({ shard, shardCount }, 'holding Discord shard');
        try {
          await this.options.start(shard);
        } catch (error) {
          logger.error({ err: error, shard }, 'Discord shard failed to start');
          await this.release(shard);
        }
      }
    } catch (error) {
      logger.warn({ err: error }, 'shard poll failed');
    }
  }

  private async release(shard: number, unlock = true): Promise<void> {
    if (!this.owned.delete(shard)) return;
    await this.options
      .stop(shard)
      .catch((error: unknown) => this.options.logger.warn({ err: error, shard }, 'shard stop failed'));
    if (unlock) await this.session?.unlock(SHARD_LOCK_BASE + shard).catch(() => undefined);
  }
}
