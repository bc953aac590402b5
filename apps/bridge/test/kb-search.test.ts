import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerEmbed } from '../src/adapters/discord/answer-look.ts';
import { KbService } from '../src/domain/kb/kb-service.ts';
import { answerTranscript } from '../src/domain/virtual-agent/bot-replies.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
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

  const first = async (question: string) => (await kb.answer(question)).hits[0]?.slug;

  it('loads every shipped article, and none has a problem', async () => {
    const { loaded } = await kb.reload();
    expect(loaded).toBeGreaterThanOrEqual(29);
    expect(kb.problems).toEqual([]);
  });

  it('answers a member question in English with the right article, sure of it', async () => {
    const answer = await kb.answer('my game keeps crashing when I launch it');
    expect(answer).toMatchObject({ outcome: 'answer', language: 'en' });
    expect(answer.hits.map((hit) => hit.slug)).toEqual(['game-crashes-on-startup']);
    expect(answer.hits[0]?.excerpt.length).toBeGreaterThan(20);
    expect(answer.hits[0]?.url).toMatch(/^https:\/\/support\.starfall\.example\/articles\//);
    expect(answer.confidence).toBeGreaterThan(0.8);
  });

  it('tells platforms apart: a crash on a phone is the Android/iOS article, on a PC the PC one', async () => {
    expect(await first('my game keeps crashing on my phone')).toBe('game-crashes-mobile');
    expect(await first('crashing on iphone after the update')).toBe('game-crashes-mobile');
    expect(await first('the game crashes on my pc when it starts')).toBe('game-crashes-on-startup');
  });

  it('reads typos, abbreviations and slang against the KB’s own words and the shipped vocabulary', async () => {
    expect(await first('i forgot my pasword and cant log in')).toBe('reset-password');
    expect(await first('forgot my pw')).toBe('reset-password');
    expect(await first('how do I turn on 2fa')).toBe('two-factor-authentication');
    expect(await first('lag spikes every match even tho my fps is fine')).toBe('high-ping-packet-loss');
  });

  it('answers a Spanish question with the Spanish article when there is one, in Spanish', async () => {
    const answer = await kb.answer('olvidé mi contraseña');
    expect(answer.language).toBe('es');
    expect(answer.hits[0]?.slug).toBe('restablecer-contrasena-es');
    expect(await first('no recibí mis shards')).toBe('no-recibi-mis-shards-es');
  });

  it('crosses languages through the glossary when the member’s language has no article', async () => {
    const spanish = await kb.answer('me hackearon la cuenta');
    expect(spanish.language).toBe('es');
    expect(spanish.hits[0]?.slug).toBe('recover-hacked-account');
    expect(await first('quiero un reembolso')).toBe('refund-policy');
    expect(await first('can i pay with mercado pago')).toBe('metodos-de-pago-latam-es');
  });

  it('stays quiet on small talk and questions the KB has nothing about', async () => {
    for (const question of [
      'pineapple pizza recipe',
      'what is the weather tomorrow',
      'can you recommend a good movie',
      'quién ganó el partido ayer',
      'hi',
      'gracias',
    ]) {
      const answer = await kb.answer(question);
      expect({ question, outcome: answer.outcome, hits: answer.hits }).toEqual({
        question,
        outcome: 'unsure',
        hits: [],
      });
    }
  });

  it('never crashes on odd input, and reads what it can of it', async () => {
    const started = performance.now();
    const odd = [
      '',
      '   ?!  ',
      '😀😀🔥🔥',
      'x'.repeat(4000),
      `${'my game crashes on startup '.repeat(150)}`.slice(0, 4000),
      'https://example.com/some/page?x=1',
      '<@123456789012345678> <#123456789012345678> <:blob:123456789012345678>',
      'Привет, как дела?',
      '我的游戏崩溃了',
      '\u0000\uFFFD\u200B',
    ];
    for (const question of odd) {
      const answer = await kb.answer(question);
      expect(['answer', 'candidates', 'unsure']).toContain(answer.outcome);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    for (const nothing of [
      '',
      '😀😀🔥🔥',
      'https://example.com/some/page?x=1',
      'Привет, как дела?',
      '我的游戏崩溃了',
    ])
      expect((await kb.answer(nothing)).outcome).toBe('unsure');
    // What a member pastes around the question is not the question.
    expect(await first('```\nError SA-5102\n```\nthe game closes right away')).toBe(
      'game-crashes-on-startup',
    );
    expect(await first('<@123456789012345678> how do i reset my password https://example.com')).toBe(
      'reset-password',
    );
  });

  it('gives an agent the best articles for a search, or none when nothing matches', async () => {
    const hits = await kb.search('refund', 3);
    expect(hits[0]?.slug).toBe('refund-policy');
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(await kb.search('pineapple pizza recipe', 3)).toEqual([]);
  });

  it('shows an agent looking a question up only what the bot would show, never unrelated articles under the right one', async () => {
    const question = 'my game keeps crashing when I launch it';
    // A fixed top-N lists other articles under the right one.
    expect((await kb.search(question, 5)).length).toBeGreaterThan(1);
    const sure = await kb.lookup(question, 5);
    expect(sure.outcome).toBe('answer');
    expect(sure.confidence).toBeGreaterThan(0.8);
    expect(sure.results.map((hit) => hit.slug)).toEqual(['game-crashes-on-startup']);
    const unsure = await kb.lookup('refund', 5);
    expect(unsure.results[0]?.slug).toBe('refund-policy');
    const first = unsure.results[0]?.score ?? 0;
    for (const hit of unsure.results) expect(hit.score).toBeGreaterThanOrEqual(first * 0.3);
    expect(await kb.lookup('pineapple pizza recipe', 5)).toMatchObject({ outcome: 'unsure', results: [] });
  });

  it('reloads an unchanged folder without writing anything', async () => {
    expect(await kb.reload()).toMatchObject({ changed: 0, removed: 0 });
    expect(await first('reset my password')).toBe('reset-password');
  });

  it('reads one article', async () => {
    const article = await kb.article('reset-password');
    expect(article).toMatchObject({ slug: 'reset-password', title: 'Reset your password', language: 'en' });
    expect(await kb.article('nope')).toBeNull();
  });
});

describe('a KB folder written by a brand', () => {
  const article = (front: string, body = 'Calibrate the hyperdrive before every jump.') =>
    `---\n${front}\n---\n${body}\n`;
  let dir: string;
  let db: Database;
  let kb: KbService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-'));
    writeFileSync(
      join(dir, 'hyperdrive.md'),
      article(
        'title: Calibrate the hyperdrive\nurl: https://support.example/hyperdrive\ntags: [engines]\naliases: [jump calibration]',
      ),
    );
    writeFileSync(
      join(dir, 'lang-typo.md'),
      article(
        'title: Reparar el motor\nurl: https://support.example/motor\nlang: es',
        'Repara el motor de curvatura.',
      ),
    );
    writeFileSync(
      join(dir, 'bad-language.md'),
      article('title: Moteur\nurl: https://support.example/fr\nlanguage: fr'),
    );
    writeFileSync(join(dir, 'no-title.md'), article('url: https://support.example/untitled'));
    writeFileSync(join(dir, 'broken-yaml.md'), article('title: [unclosed\nurl: https://support.example/y'));
    writeFileSync(join(dir, 'synonyms.en.txt'), '# our words\nhyperdrive, hd, jump drive\n');
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    kb = new KbService(db, dir, quietLogger());
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each broken article with its file and key, and still loads the others', async () => {
    const { loaded } = await kb.reload();
    expect(loaded).toBe(1);
    const problems = kb.problems;
    expect(problems).toContainEqual({
      file: 'lang-typo.md',
      key: 'lang',
      reason: expect.stringContaining('did you mean "language"?'),
    });
    expect(problems).toContainEqual({ file: 'bad-language.md', key: 'language', reason: 'must be en or es' });
    expect(problems).toContainEqual({ file: 'no-title.md', key: 'title', reason: 'a title is required' });
    expect(problems.some((problem) => problem.file === 'broken-yaml.md')).toBe(true);
  });

  it('loads an article without a url and answers with its text instead of a link', async () => {
    writeFileSync(
      join(dir, 'no-link.md'),
      article(
        'title: Refuel the shuttle\ntags: [fuel]',
        'Dock at any station and press **Refuel**.\n\nFuel costs 20 credits a tank.',
      ),
    );
    await kb.reload();
    expect(kb.problems.some((problem) => problem.file === 'no-link.md')).toBe(false);
    const answer = await kb.answer('how do i refuel the shuttle');
    expect(answer.hits[0]).toMatchObject({ slug: 'no-link', url: null });
    expect(answer.hits[0]?.excerpt).toBe(
      'Dock at any station and press Refuel.\n\nFuel costs 20 credits a tank.',
    );
    const embed = answerEmbed(answer.hits, 'en');
    expect(embed.fields?.[0]?.value).toContain('Fuel costs 20 credits a tank.');
    expect(embed.fields?.[0]?.value).not.toContain('](');
    expect(answerTranscript(answer.hits, 'en')).toContain('Refuel the shuttle\nDock at any station');
    rmSync(join(dir, 'no-link.md'));
    await kb.reload();
  });

  it('searches with the brand’s synonyms and the article’s aliases', async () => {
    expect((await kb.answer('my jump drive needs help')).hits[0]?.slug).toBe('hyperdrive');
    expect((await kb.answer('hd calibration')).hits[0]?.slug).toBe('hyperdrive');
  });

  it('follows an edited synonyms file on the next reload', async () => {
    expect((await kb.answer('the warp coil is off')).hits).toEqual([]);
    writeFileSync(join(dir, 'synonyms.en.txt'), 'hyperdrive, hd, jump drive, warp coil\n');
    expect((await kb.reload()).changed).toBe(0);
    expect((await kb.answer('the warp coil is off')).hits[0]?.slug).toBe('hyperdrive');
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

    it("when one reloads a changed synonyms file, the other's next search uses it", async () => {
      writeFileSync(join(dir, 'synonyms.en.txt'), 'warp drive, ftl engine\n');
      await first.reload();
      expect((await second.answer('my ftl engine overheats'))?.hits[0]?.title).toBe('Warp drive overheating');
    });
  },
);
