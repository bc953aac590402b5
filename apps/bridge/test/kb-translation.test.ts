import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApertiumTranslator } from '../src/domain/kb/article-translator.ts';
import { KbService } from '../src/domain/kb/kb-service.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

const installed = ApertiumTranslator.available();

/**
 * The translation stage (#27): with Debian's apertium-eng-spa, every article is indexed in the
 * other language too, so a Spanish question whose words are in no glossary finds an English-only
 * article. Without the package (or with the stage off) the KB is the word-based engine alone.
 */
describe.skipIf(!installed)('a KB with the translation stage', () => {
  let dir: string;
  let db: Database;
  const QUESTION = 'cuánto cuesta el combustible de la nave';

  it('is found without PATH, where spawning it would look (a bridge started with a bare environment)', async () => {
    const path = process.env.PATH;
    delete process.env.PATH;
    try {
      expect(ApertiumTranslator.available()).toBe(true);
      const [spanish] = await new ApertiumTranslator().translate(['Refuel your ship'], 'en', 'es');
      expect(spanish?.toLowerCase()).toContain('barco');
    } finally {
      process.env.PATH = path;
    }
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-'));
    writeFileSync(
      join(dir, 'refuel.md'),
      '---\ntitle: Refuel your ship\ntags: [fuel, ship]\n---\nDock at any station and press **Refuel**. Fuel costs 20 credits a tank.\n',
    );
    writeFileSync(
      join(dir, 'paint.md'),
      '---\ntitle: Paint your ship\ntags: [paint, colors]\n---\nOpen the hangar and pick a color for the hull.\n',
    );
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
  }, 120_000);
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('translates apertium’s way: one batch in, each text out in order', async () => {
    const [first, second] = await new ApertiumTranslator().translate(
      ['The ship', 'Fuel costs money'],
      'en',
      'es',
    );
    expect(first?.toLowerCase()).toContain('barco');
    expect(second?.toLowerCase()).toContain('combustible');
  }, 60_000);

  it('finds an English-only article for a Spanish question through its translation, which the word-based engine alone does not', async () => {
    const lexical = new KbService(db, dir, quietLogger(), { translator: null });
    await lexical.reload();
    expect((await lexical.answer(QUESTION)).hits.map((hit) => hit.slug)).not.toContain('refuel');
    const translated = new KbService(db, dir, quietLogger(), { translator: new ApertiumTranslator() });
    await translated.reload();
    await translated.translationsReady();
    const answer = await translated.answer(QUESTION);
    expect(answer.hits[0]?.slug).toBe('refuel');
    expect(answer.hits[0]?.title).toBe('Refuel your ship');
  }, 60_000);
});
