import type { Sql, Tx } from '../db/database.ts';
import type { OutboxItem } from './outbox-kinds.ts';
import { enqueue as insertItems } from './outbox-repository.ts';

/** Told after a commit that enqueued something (in `stream`, when there was one stream). */
export type EnqueuedListener = (stream?: string) => void;

/**
 * The outbox as the domain uses it: side effects written in the transaction that decides them, and
 * whoever delivers them (the worker) woken once that transaction has committed — never before, so
 * it never looks for a row it cannot see yet.
 */
export class Outbox {
  private readonly listeners: EnqueuedListener[] = [];
  /** Transactions that will wake the worker at commit, with the one stream they wrote to (if one). */
  private readonly pending = new WeakMap<Tx, { stream: string | undefined }>();

  onEnqueued(listener: EnqueuedListener): void {
    this.listeners.push(listener);
  }

  /** Writes `items` in the caller's transaction (or at once, outside one). Duplicate keys are ignored. */
  async enqueue(sql: Tx | Sql, items: OutboxItem | OutboxItem[]): Promise<number> {
    const list = Array.isArray(items) ? items : [items];
    if (!list.length) return 0;
    const inserted = await insertItems(sql, list);
    const streams = new Set(list.map((item) => item.stream));
    const stream = streams.size === 1 ? list[0]!.stream : undefined;
    if (!('afterCommit' in sql)) {
      this.notify(stream);
      return inserted;
    }
    // One wake per commit, however many enqueues the transaction made.
    const pending = this.pending.get(sql);
    if (pending) {
      if (pending.stream !== stream) pending.stream = undefined;
      return inserted;
    }
    const entry = { stream };
    this.pending.set(sql, entry);
    sql.afterCommit(() => this.notify(entry.stream));
    return inserted;
  }

  /**
   * For a single statement that enqueued with `insertItemsCte` (it claims an event and enqueues
   * its effects at once): call after it ran.
   */
  notify(stream?: string): void {
    for (const listener of this.listeners) listener(stream);
  }
}
