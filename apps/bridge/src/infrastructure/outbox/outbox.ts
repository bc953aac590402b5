import type { Sql, Tx } from '../db/database.ts';
import type {
  AddressOf,
  KindSet,
  OutboxKindDefinition,
  OutboxKinds,
  OutboxRequest,
  PayloadOf,
} from './kind-registry.ts';
import {
  findItem,
  enqueue as insertItems,
  type NewOutboxItem,
  retargetUndelivered,
} from './outbox-repository.ts';

/** Told after a commit that enqueued something (in `stream`, when there was one stream). */
export type EnqueuedListener = (stream?: string) => void;

/** A kind as the core handles it, whatever its types (the registry is typed at its edges). */
type LooseKind = OutboxKindDefinition<unknown, unknown, unknown>;

/**
 * The outbox as the domain uses it: side effects written in the transaction that decides them, and
 * whoever delivers them (the worker) woken once that transaction has committed — never before, so
 * it never looks for a row it cannot see yet. It knows no kind: `kinds` (registered by the
 * composition root, declared by the adapters) say how a request becomes rows and in which stream.
 */
export class Outbox<Kinds extends KindSet<Kinds> = OutboxKinds> {
  private readonly listeners: EnqueuedListener[] = [];
  /** Transactions that will wake the worker at commit, with the one stream they wrote to (if one). */
  private readonly pending = new WeakMap<Tx, { stream: string | undefined }>();

  constructor(private readonly kinds: Kinds) {}

  onEnqueued(listener: EnqueuedListener): void {
    this.listeners.push(listener);
  }

  /** The rows `requests` write, in order, each built by its kind. */
  items(requests: OutboxRequest<Kinds> | readonly OutboxRequest<Kinds>[]): NewOutboxItem[] {
    const list: readonly OutboxRequest<Kinds>[] = Array.isArray(requests) ? requests : [requests];
    return list.flatMap(({ kind, key, payload }) =>
      this.kind(kind)
        .items(key, payload)
        .map((item) => ({ key: item.key, stream: item.stream, kind, payload: item.payload })),
    );
  }

  /** Writes `requests` in the caller's transaction (or at once, outside one). Duplicate keys are ignored. */
  async enqueue(
    sql: Tx | Sql,
    requests: OutboxRequest<Kinds> | readonly OutboxRequest<Kinds>[],
  ): Promise<number> {
    const items = this.items(requests);
    if (!items.length) return 0;
    const inserted = await insertItems(sql, items);
    const stream = oneStream(items);
    if (!('afterCommit' in sql)) {
      this.wake(stream);
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
    sql.afterCommit(() => this.wake(entry.stream));
    return inserted;
  }

  /**
   * For a single statement that enqueued `items` (from {@link items}) with other work (it claims
   * an event and enqueues its effects at once, see `db/conversations-repository.ts`): call after it ran.
   */
  notify(items: readonly Pick<NewOutboxItem, 'stream'>[]): void {
    if (items.length) this.wake(oneStream(items));
  }

  /**
   * Moves the undelivered items of `kind` addressed to `from` (the one being delivered included) to
   * what is addressed to `to`: their payloads' address fields become `to`'s, their stream `to`'s.
   * They keep their order (their ids), and the item in flight, oldest of them, still holds the new
   * stream back until it is delivered. Returns how many moved.
   */
  retarget<K extends keyof Kinds & string>(
    sql: Sql,
    kind: K,
    from: AddressOf<Kinds[K]>,
    to: AddressOf<Kinds[K]>,
  ): Promise<number> {
    const definition = this.kind(kind);
    return retargetUndelivered(sql, {
      kind,
      from: definition.stream(from),
      to: definition.stream(to),
      drop: Object.keys(from as object),
      set: to as object,
    });
  }

  /**
   * The payload of the item enqueued with `key` (not its later parts), if it is of `kind` and its
   * payload still matches the kind's schema: where a relayed message went, for its edit.
   */
  async find<K extends keyof Kinds & string>(
    sql: Sql,
    kind: K,
    key: string,
  ): Promise<PayloadOf<Kinds[K]> | null> {
    const row = await findItem(sql, key);
    if (row?.kind !== kind) return null;
    const parsed = this.kind(kind).schema.safeParse(row.payload);
    return parsed.success ? (parsed.data as PayloadOf<Kinds[K]>) : null;
  }

  private kind(name: string): LooseKind {
    const definition = (this.kinds as unknown as Record<string, LooseKind | undefined>)[name];
    if (!definition) throw new Error(`outbox kind ${name} is not registered`);
    return definition;
  }

  private wake(stream?: string): void {
    for (const listener of this.listeners) listener(stream);
  }
}

/** The stream all of `items` are in, if they are in one. */
function oneStream(items: readonly Pick<NewOutboxItem, 'stream'>[]): string | undefined {
  const streams = new Set(items.map((item) => item.stream));
  return streams.size === 1 ? items[0]?.stream : undefined;
}
