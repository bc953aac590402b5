import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { lexemeShares } from '../src/kb/kb-index.ts';
import { KbService } from '../src/kb/kb-service.ts';
import { freshSchema, postgresAvailable } from './helpers/postgres.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

const KB_DIR = fileURLToPath(new URL('../kb', import.meta.url));

describe('the knowledge base', () => {
  let db: Database;
  let kb: KbService;

  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    kb = new KbService(db, KB_DIR, quietLogger());
  });
  afterAll(() => db.close());

  it('loads every shipped article', async () => {
    const { loaded } = await kb.reload();
    expect(loaded).toBeGreaterThanOrEqual(20);
  });

  it('answers a member question in English with the right article first', async () => {
    const hits = await kb.search('my game keeps crashing when I launch it', 3);
    expect(hits[0]?.slug).toBe('game-crashes-on-startup');
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]?.excerpt.length).toBeGreaterThan(20);
    expect(hits[0]?.url).toMatch(/^https:\/\/support\.starfall\.example\/articles\//);
  });

  it('answers a question that shares every word with one article with that article alone', async () => {
    const hits = await kb.search('my game crashes on startup', 3);
    expect(hits.map((hit) => hit.slug)).toEqual(['game-crashes-on-startup']);
    expect((await kb.search('reset my password', 3)).map((hit) => hit.slug)).toEqual(['reset-password']);
  });

  it('answers in Spanish', async () => {
    const hits = await kb.search('no recibí mis shards', 3);
    expect(hits.map((hit) => hit.slug)).toContain('no-recibi-mis-shards-es');
  });

  it('finds nothing for unrelated text', async () => {
    expect(await kb.search('pineapple pizza recipe', 3)).toEqual([]);
    expect(await kb.search('   ?!  ', 3)).toEqual([]);
  });

  it("does not answer small talk on one language's stop words that the other language keeps", async () => {
    // Spanish keeps "what", "is" and "the"; every English article's Spanish form holds them.
    expect(await kb.search('what is the weather tomorrow', 3)).toEqual([]);
    expect(await kb.search('can you recommend a good movie', 3)).toEqual([]);
    expect(await kb.search('quién ganó el partido ayer', 3)).toEqual([]);
  });

  it('scores every article as Postgres ranks it with ts_rank_cd', async () => {
    const lexemes = ['crash', 'password', 'shard', 'conexion', 'juego', 'ping'];
    const { rows } = await db.query<{ slug: string; search: string; rank: number }>(
      `SELECT slug, search::text AS search, ts_rank_cd(search, $1::tsquery, 1) AS rank FROM kb_articles`,
      [lexemes.join(' | ')],
    );
    expect(rows.filter((row) => row.rank > 0).length).toBeGreaterThan(5);
    for (const row of rows) {
      const shares = lexemeShares(row.search);
      const score = lexemes.reduce((sum, lexeme) => sum + (shares.get(lexeme) ?? 0), 0);
      expect(Math.fround(score), row.slug).toBeCloseTo(row.rank, 6);
    }
  });

  it('reloads an unchanged folder without writing anything', async () => {
    expect(await kb.reload()).toMatchObject({ changed: 0, removed: 0 });
    expect((await kb.search('reset my password', 3)).map((hit) => hit.slug)).toEqual(['reset-password']);
  });

  it('reads one article', async () => {
    const article = await kb.article('reset-password');
    expect(article).toMatchObject({ slug: 'reset-password', title: 'Reset your password', language: 'en' });
    expect(await kb.article('nope')).toBeNull();
  });
});

const withPostgres = await postgresAvailable();

describe.each<'pglite' | 'postgres'>(['pglite', 'postgres'])(
  'on %s: a KB shared by two bridge instances',
  (storage) => {
    if (storage === 'postgres' && !withPostgres) {
      it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
      return;
    }
    const article = (title: string, body: string) =>
      `---\ntitle: ${title}\nurl: https://support.example/articles/x\ntags: [test]\n---\n${body}\n`;
    let dir: string;
    let db: Database;
    let schema: Awaited<ReturnType<typeof freshSchema>> | null = null;
    let first: KbService;
    let second: KbService;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-'));
      writeFileSync(
        join(dir, 'hyperdrive.md'),
        article('Calibrate the hyperdrive', 'Calibrate the hyperdrive.'),
      );
      schema = storage === 'postgres' ? await freshSchema() : null;
      db = await openDatabase(schema ? { databaseUrl: schema.url } : { pgliteDir: 'memory://' });
      await migrate(db);
      first = new KbService(db, dir, quietLogger());
      second = new KbService(db, dir, quietLogger());
    });
    afterAll(async () => {
      await db?.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('when both start at once, the folder is written once and both answer from it', async () => {
      const loads = await Promise.all([first.reload(), second.reload()]);
      expect(loads.map((load) => load.changed).sort()).toEqual([0, 1]);
      for (const kb of [first, second]) {
        expect((await kb.search('hyperdrive'))[0]?.title).toBe('Calibrate the hyperdrive');
      }
    });

    it("when one reloads a changed folder, the other's next search answers from the new articles", async () => {
      rmSync(join(dir, 'hyperdrive.md'));
      writeFileSync(join(dir, 'warp.md'), article('Warp drive overheating', 'The warp drive overheats.'));
      expect(await first.reload()).toMatchObject({ changed: 1, removed: 1 });
      expect(await second.search('hyperdrive')).toEqual([]);
      expect((await second.search('warp drive overheats'))[0]?.title).toBe('Warp drive overheating');
    });
  },
);
