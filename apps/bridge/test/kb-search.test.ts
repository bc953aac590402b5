import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { KbService } from '../src/kb/kb-service.ts';
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

  it('reads one article', async () => {
    const article = await kb.article('reset-password');
    expect(article).toMatchObject({ slug: 'reset-password', title: 'Reset your password', language: 'en' });
    expect(await kb.article('nope')).toBeNull();
  });
});
