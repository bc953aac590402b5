import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import {
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '../src/infrastructure/outbox/delivery-errors.ts';
import { countByStatus, enqueue, type OutboxRow } from '../src/infrastructure/outbox/outbox-repository.ts';
import { OutboxWorker } from '../src/infrastructure/outbox/outbox-worker.ts';
import { claimPostIntent } from '../src/infrastructure/outbox/post-intent.ts';
import { freshSchema, postgresAvailable } from './helpers/postgres.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

const withPostgres = await postgresAvailable();
const stores = [
  { name: 'pglite', run: true },
  { name: 'postgres', run: withPostgres },
] as const;

function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = async () => {
      if (await condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(check, 20);
    };
    void check();
  });
}

describe.each(stores)('the outbox worker on $name', ({ name, run }) => {
  let db: Database;
  let worker: OutboxWorker | null = null;
  let drop: (() => Promise<void>) | null = null;
  let url = '';

  beforeEach(async (context) => {
    if (!run) return context.skip();
    if (name === 'postgres') {
      const schema = await freshSchema();
      drop = schema.drop;
      url = schema.url;
      db = await openDatabase({ databaseUrl: url });
    } else {
      db = await openDatabase({ pgliteDir: 'memory://' });
    }
    await migrate(db);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    await db?.close();
    await drop?.();
    drop = null;
  });

  it('delivers every item once, in order per stream, through transient failures', async () => {
    const delivered = new Map<string, number[]>();
    let calls = 0;
    const items = ['a', 'b', 'c'].flatMap((stream) =>
      Array.from({ length: 40 }, (_, n) => ({ key: `${stream}-${n}`, stream, kind: 'test', payload: { n } })),
    );
    await db.transaction((tx) => enqueue(tx, items));
    // The same key again is the same item.
    await db.transaction((tx) => enqueue(tx, items.slice(0, 5)));

    worker = new OutboxWorker({
      db,
      logger: quietLogger(),
      pollIntervalMs: 10,
      deliverers: {
        test: async (row: OutboxRow) => {
          calls += 1;
          if (calls % 4 === 0) throw new RetryableDeliveryError('flaky', 5);
          const list = delivered.get(row.stream) ?? [];
          list.push((row.payload as { n: number }).n);
          delivered.set(row.stream, list);
          return { ok: true };
        },
      },
    });
    worker.start();
    await until(async () => (await countByStatus(db)).done === 120);
    for (const stream of ['a', 'b', 'c']) {
      expect(delivered.get(stream)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    }
    expect(calls).toBeGreaterThan(120);
  });

  it('drops an item that can never succeed and moves its stream on', async () => {
    await db.transaction((tx) =>
      enqueue(tx, [
        { key: 'k1', stream: 's', kind: 'test', payload: { fail: true } },
        { key: 'k2', stream: 's', kind: 'test', payload: { fail: false } },
      ]),
    );
    const seen: string[] = [];
    worker = new OutboxWorker({
      db,
      logger: quietLogger(),
      pollIntervalMs: 10,
      deliverers: {
        test: async (row) => {
          if ((row.payload as { fail: boolean }).fail) throw new PermanentDeliveryError('DMs closed');
          seen.push(row.key);
        },
      },
    });
    worker.start();
    await until(async () => (await countByStatus(db)).done === 1);
    expect(await countByStatus(db)).toMatchObject({ done: 1, dead: 1, pending: 0 });
    expect(seen).toEqual(['k2']);
  });

  it('picks up an item whose lease expired (a crashed instance) and delivers it', async () => {
    await db.transaction((tx) => enqueue(tx, { key: 'lost', stream: 's', kind: 'test', payload: {} }));
    // An instance claimed it and died: inflight with a lease already over.
    await db.query(
      `UPDATE outbox SET status = 'inflight', attempts = 1, lease_until = now() - interval '1 second'`,
    );
    const attempts: number[] = [];
    worker = new OutboxWorker({
      db,
      logger: quietLogger(),
      pollIntervalMs: 10,
      deliverers: { test: async (row) => attempts.push(row.attempts) },
    });
    worker.start();
    await until(async () => (await countByStatus(db)).done === 1);
    expect(attempts).toEqual([2]);
  });

  it('two instances on one database deliver each stream once and in order', async () => {
    const streams = ['a', 'b', 'c', 'd'];
    const items = streams.flatMap((stream) =>
      Array.from({ length: 50 }, (_, n) => ({ key: `${stream}-${n}`, stream, kind: 'test', payload: { n } })),
    );
    await db.transaction((tx) => enqueue(tx, items));
    const delivered = new Map<string, number[]>();
    const inFlight = new Set<string>();
    let overlaps = 0;
    const deliver = async (row: OutboxRow) => {
      if (inFlight.has(row.stream)) overlaps += 1;
      inFlight.add(row.stream);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      inFlight.delete(row.stream);
      delivered.set(row.stream, [...(delivered.get(row.stream) ?? []), (row.payload as { n: number }).n]);
    };
    // A second handle is a second instance: its own pools, claims and leases.
    const other = name === 'postgres' ? await openDatabase({ databaseUrl: url }) : db;
    const workers = [db, other].map(
      (handle) =>
        new OutboxWorker({
          db: handle,
          logger: quietLogger(),
          pollIntervalMs: 5,
          deliverers: { test: deliver },
        }),
    );
    for (const each of workers) each.start();
    try {
      await until(async () => (await countByStatus(db)).done === items.length);
    } finally {
      await Promise.all(workers.map((each) => each.stop()));
      if (other !== db) await other.close();
    }
    expect(overlaps).toBe(0);
    for (const stream of streams) {
      expect(delivered.get(stream)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    }
  });

  it("keeps the outbox's bookkeeping off the inbound path's durable commits", async () => {
    const setting = async (sql: { query: Database['query'] }) =>
      (await sql.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]
        ?.synchronous_commit;
    if (name === 'postgres') {
      expect(await setting(db)).toBe('on');
      expect(await setting(db.relaxed)).toBe('off');
    } else {
      expect(db.relaxed).toBe(db);
    }
  });

  it("settles a delivered item's post intent in the statement that marks it done", async () => {
    await db.transaction((tx) =>
      enqueue(tx, [
        { key: 'posted-1', stream: 'chat-ñ', kind: 'post', payload: {} },
        { key: 'posted-2', stream: 'chat-ñ', kind: 'post', payload: {} },
      ]),
    );
    worker = new OutboxWorker({
      db,
      logger: quietLogger(),
      deliverers: {
        // As the Twilio deliverer does: the intent first, and no statement of its own after the post.
        post: async (row) => {
          const intent = await claimPostIntent(db, row.id, row.attempts);
          if (!intent.claimed) throw new RetryableDeliveryError('intent held');
          return { sid: `IM-${row.key}` };
        },
      },
    });
    worker.start();
    worker.kick();
    await until(async () => (await countByStatus(db)).done === 2, 10_000);
    const { rows } = await db.query<{
      key: string;
      post_attempt: number | null;
      post_heartbeat_at: Date | null;
    }>('SELECT key, post_attempt, post_heartbeat_at FROM outbox ORDER BY id');
    expect(rows).toEqual([
      { key: 'posted-1', post_attempt: null, post_heartbeat_at: null },
      { key: 'posted-2', post_attempt: null, post_heartbeat_at: null },
    ]);
  });

  it('an item enqueued into a stream while a slot delivers it goes out next, with no poll', async () => {
    await db.transaction((tx) => enqueue(tx, { key: 'first', stream: 's', kind: 'test', payload: {} }));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    worker = new OutboxWorker({
      db,
      logger: quietLogger(),
      // No poll to fall back on: only the kicks and the slot itself can find the second item.
      pollIntervalMs: 600_000,
      deliverers: {
        test: async (row) => {
          seen.push(row.key);
          if (row.key === 'first') await gate;
        },
      },
    });
    worker.start();
    worker.kick();
    await until(async () => seen.length === 1);
    // Whether the slot's "mark done, claim next" sees it or not, it must not wait for a poll.
    await db.transaction((tx) => enqueue(tx, { key: 'second', stream: 's', kind: 'test', payload: {} }));
    worker.kick('s');
    release();
    await until(async () => (await countByStatus(db)).done === 2, 5_000);
    expect(seen).toEqual(['first', 'second']);
  });
});
