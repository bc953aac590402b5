import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase, type Sql } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { typedDeliverers } from '../src/infrastructure/outbox/deliverers.ts';
import { defineKind, type KindItem, oneRowKind } from '../src/infrastructure/outbox/kind-registry.ts';
import { Outbox } from '../src/infrastructure/outbox/outbox.ts';
import { countByStatus, enqueue, listDeadLetters } from '../src/infrastructure/outbox/outbox-repository.ts';
import { OutboxWorker } from '../src/infrastructure/outbox/outbox-worker.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

/**
 * The outbox core with kinds it has never heard of (no Discord, no Twilio, no emulator): a carrier
 * pigeon that takes at most 12 characters per flight (so a letter goes in several flights, in
 * order) and a lighthouse that flashes. Whatever a kind declares, the core enqueues it in its
 * stream, delivers it with its payload checked, moves it between streams and finds it again.
 */
const LetterSchema = z.object({ loft: z.string(), text: z.string() });
type Letter = z.infer<typeof LetterSchema>;
const loftStream = (address: { loft: string }) => `pigeon:loft:${address.loft}`;
const FLIGHT = 12;

function letterItems(key: string, letter: Letter): KindItem<Letter>[] {
  const parts = letter.text.match(new RegExp(`.{1,${FLIGHT}}`, 'gsu')) ?? [''];
  return parts.map((text, index) => ({
    key: index === 0 ? key : `${key}:part:${index}`,
    stream: loftStream(letter),
    payload: { loft: letter.loft, text },
  }));
}

const TEST_KINDS = {
  'pigeon.letter': defineKind({ schema: LetterSchema, stream: loftStream, items: letterItems }),
  'lighthouse.flash': oneRowKind(
    z.object({ lighthouse: z.string(), times: z.number().int() }),
    (flash) => `lighthouse:${flash.lighthouse}`,
  ),
};

describe('the outbox core, with kinds of its own', () => {
  let db: Database;
  let worker: OutboxWorker | null = null;

  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
  });
  beforeEach(async () => {
    await db.query('DELETE FROM outbox');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => {
    await db.close();
  });

  it('builds each request into its kind’s rows, in its kind’s stream, and wakes once after commit', async () => {
    const outbox = new Outbox(TEST_KINDS);
    const wakes: (string | undefined)[] = [];
    outbox.onEnqueued((stream) => wakes.push(stream));

    await db.transaction(async (tx) => {
      await outbox.enqueue(tx, {
        kind: 'pigeon.letter',
        key: 'letter:1',
        payload: { loft: 'Søndre', text: 'Hola Zoë, ¿qué tal? 🕊️ مرحبا' },
      });
      await outbox.enqueue(tx, {
        kind: 'pigeon.letter',
        key: 'letter:2',
        payload: { loft: 'Søndre', text: 'adiós' },
      });
      expect(wakes).toEqual([]);
    });
    expect(wakes).toEqual(['pigeon:loft:Søndre']);

    const { rows } = await db.query<{ key: string; stream: string; kind: string; payload: Letter }>(
      'SELECT key, stream, kind, payload FROM outbox ORDER BY id',
    );
    expect(rows.map((row) => row.key)).toEqual([
      'letter:1',
      'letter:1:part:1',
      'letter:1:part:2',
      'letter:2',
    ]);
    expect(rows.map((row) => row.payload.text).join('')).toBe('Hola Zoë, ¿qué tal? 🕊️ مرحباadiós');
    expect(new Set(rows.map((row) => `${row.kind} ${row.stream}`))).toEqual(
      new Set(['pigeon.letter pigeon:loft:Søndre']),
    );

    // Streams of two kinds in one enqueue: the wake names none.
    await outbox.enqueue(db, [
      { kind: 'pigeon.letter', key: 'letter:3', payload: { loft: 'Nord', text: 'hi' } },
      { kind: 'lighthouse.flash', key: 'flash:1', payload: { lighthouse: 'Fanad', times: 3 } },
    ]);
    expect(wakes).toEqual(['pigeon:loft:Søndre', undefined]);
  });

  it('writes every row of an enqueue, whatever its kinds and parts, in one statement', async () => {
    const outbox = new Outbox(TEST_KINDS);
    let statements = 0;
    const counted: Sql = {
      query: (text, params) => {
        statements += 1;
        return db.query(text, params);
      },
    };
    const inserted = await outbox.enqueue(counted, [
      {
        kind: 'pigeon.letter',
        key: 'letter:1',
        payload: { loft: 'Søndre', text: 'Querida Ana: el faro de Fanad' },
      },
      { kind: 'lighthouse.flash', key: 'flash:1', payload: { lighthouse: 'Fanad', times: 3 } },
    ]);
    expect({ inserted, statements }).toEqual({ inserted: 4, statements: 1 });
  });

  it('delivers every kind through its typed deliverer, in order per stream, each payload checked against its schema', async () => {
    const outbox = new Outbox(TEST_KINDS);
    const flown: string[] = [];
    const flashes: number[] = [];
    let deliveredLetters = 0;
    worker = new OutboxWorker({
      db,
      logger: quietLogger(),
      pollIntervalMs: 10,
      deliverers: typedDeliverers(TEST_KINDS, {
        'pigeon.letter': async (letter) => {
          flown.push(letter.text);
          deliveredLetters += 1;
          return { landed: letter.loft };
        },
        'lighthouse.flash': async (flash) => {
          flashes.push(flash.times);
        },
      }),
    });
    outbox.onEnqueued((stream) => worker?.kick(stream));
    worker.start();

    await outbox.enqueue(db, [
      {
        kind: 'pigeon.letter',
        key: 'letter:1',
        payload: { loft: 'Søndre', text: 'Querida Ana: el faro de Fanad' },
      },
      { kind: 'lighthouse.flash', key: 'flash:1', payload: { lighthouse: 'Fanad', times: 3 } },
    ]);
    // A row no kind's schema accepts (written by hand, or by an older version) never reaches a deliverer.
    await enqueue(db, {
      key: 'letter:bad',
      stream: 'pigeon:loft:Søndre',
      kind: 'pigeon.letter',
      payload: { loft: 7 },
    });
    // A kind nobody registered is dead-lettered, never silently dropped.
    await enqueue(db, { key: 'owl:1', stream: 'owl', kind: 'owl.post', payload: {} });

    await until(async () => {
      const counts = await countByStatus(db);
      return counts.done === 4 && counts.dead === 2;
    });
    expect(flown).toEqual(['Querida Ana:', ' el faro de ', 'Fanad']);
    expect(deliveredLetters).toBe(3);
    expect(flashes).toEqual([3]);
    const dead = await listDeadLetters(db);
    expect(dead.map((item) => item.key).sort()).toEqual(['letter:bad', 'owl:1']);
    expect(dead.find((item) => item.key === 'letter:bad')?.lastError).toMatch(
      /invalid pigeon.letter payload/,
    );
  });

  it('moves the undelivered items of one kind to another address, in their order, and leaves other kinds alone', async () => {
    const outbox = new Outbox(TEST_KINDS);
    await outbox.enqueue(db, [
      { kind: 'pigeon.letter', key: 'a', payload: { loft: 'Søndre', text: 'first' } },
      { kind: 'pigeon.letter', key: 'b', payload: { loft: 'Søndre', text: 'second' } },
      { kind: 'pigeon.letter', key: 'c', payload: { loft: 'Nord', text: 'elsewhere' } },
    ]);
    await db.query(`UPDATE outbox SET status = 'done' WHERE key = 'a'`);

    expect(await outbox.retarget(db, 'pigeon.letter', { loft: 'Søndre' }, { loft: 'Øst' })).toBe(1);
    const { rows } = await db.query<{ key: string; stream: string; payload: Letter }>(
      'SELECT key, stream, payload FROM outbox ORDER BY id',
    );
    expect(rows).toEqual([
      { key: 'a', stream: 'pigeon:loft:Søndre', payload: { loft: 'Søndre', text: 'first' } },
      { key: 'b', stream: 'pigeon:loft:Øst', payload: { loft: 'Øst', text: 'second' } },
      { key: 'c', stream: 'pigeon:loft:Nord', payload: { loft: 'Nord', text: 'elsewhere' } },
    ]);
    expect(
      await outbox.retarget(
        db,
        'lighthouse.flash',
        { lighthouse: 'Søndre', times: 1 },
        { lighthouse: 'x', times: 1 },
      ),
    ).toBe(0);
  });

  it('finds an item by its key, typed by its kind, and only as that kind', async () => {
    const outbox = new Outbox(TEST_KINDS);
    await outbox.enqueue(db, {
      kind: 'pigeon.letter',
      key: 'letter:1',
      payload: { loft: 'Søndre', text: 'x'.repeat(30) },
    });

    const letter = await outbox.find(db, 'pigeon.letter', 'letter:1');
    expect(letter).toEqual({ loft: 'Søndre', text: 'x'.repeat(FLIGHT) });
    expect(await outbox.find(db, 'lighthouse.flash', 'letter:1')).toBeNull();
    expect(await outbox.find(db, 'pigeon.letter', 'letter:2')).toBeNull();
  });

  it('hands the rows of a request to a single statement, and wakes its stream after it ran', () => {
    const outbox = new Outbox(TEST_KINDS);
    const wakes: (string | undefined)[] = [];
    outbox.onEnqueued((stream) => wakes.push(stream));
    const items = outbox.items({
      kind: 'lighthouse.flash',
      key: 'flash:1',
      payload: { lighthouse: 'Fanad', times: 2 },
    });
    expect(items).toEqual([
      {
        key: 'flash:1',
        stream: 'lighthouse:Fanad',
        kind: 'lighthouse.flash',
        payload: { lighthouse: 'Fanad', times: 2 },
      },
    ]);
    outbox.notify([]);
    outbox.notify(items);
    expect(wakes).toEqual(['lighthouse:Fanad']);
  });

  it('refuses, when compiled, a payload that does not match its kind', () => {
    const outbox = new Outbox(TEST_KINDS);
    const requests = () => [
      // @ts-expect-error a letter has no `times`
      outbox.items({ kind: 'pigeon.letter', key: 'k', payload: { loft: 'Søndre', times: 3 } }),
      // @ts-expect-error a kind the registry does not declare
      outbox.items({ kind: 'owl.post', key: 'k', payload: {} }),
      // @ts-expect-error an address of another kind
      outbox.retarget(db, 'pigeon.letter', { lighthouse: 'Fanad' }, { loft: 'Øst' }),
    ];
    expect(typeof requests).toBe('function');
    expect(() =>
      outbox.items({
        kind: 'owl.post' as string as 'pigeon.letter',
        key: 'k',
        payload: { loft: '', text: '' },
      }),
    ).toThrow(/owl.post is not registered/);
  });
});

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
