import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startBridge } from '@flexcord/bridge';
import { freshSchema } from './postgres.ts';
import type { BenchStack } from './stack.ts';
import { type Percentiles, percentiles } from './stats.ts';

const WORDS = (
  'account login password reset purchase refund crash startup launcher driver graphics update patch ' +
  'server ping latency lag packet connection matchmaking ranked queue season pass reward skin ' +
  'controller keybind keyboard mouse audio voice chat microphone friend party invite clan guild ' +
  'ban appeal report cheat toxic privacy delete data email verify phone billing payment card ' +
  'gift code redeem currency coins gems store bundle inventory item trade progress save cloud ' +
  'cross platform console mobile android iphone windows mac linux install uninstall repair error ' +
  'code black screen freeze stutter fps settings resolution windowed fullscreen tournament event'
).split(' ');

/** A small deterministic PRNG, so every run searches the same KB with the same questions. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick(random: () => number, count: number): string[] {
  return Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]!);
}

/** Writes `count` Markdown articles with front matter into a new temp folder. */
export function generateKb(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-'));
  const random = prng(42);
  for (let i = 0; i < count; i++) {
    const title = pick(random, 4).join(' ');
    const tags = pick(random, 3);
    const paragraphs = Array.from({ length: 4 }, () => `${pick(random, 40).join(' ')}.`);
    writeFileSync(
      join(dir, `article-${String(i).padStart(5, '0')}.md`),
      `---\ntitle: "${title}"\nurl: https://support.example.com/articles/${i}\ntags: [${tags.join(', ')}]\nlanguage: en\n---\n\n# ${title}\n\n${paragraphs.join('\n\n')}\n`,
    );
  }
  return dir;
}

export interface KbRun {
  storage: 'pglite' | 'postgres';
  articles: number;
  queries: number;
  /** The whole bridge start with this KB (migrations, KB load, gateway). */
  startupMs: number;
  /** KB load on an empty database (the first start). */
  firstLoadMs: number;
  reloadUnchangedMs: number;
  reloadChangedMs: number;
  changed: number;
  hitRate: number;
  searchMs: Percentiles;
}

/**
 * KB start-up, reload and search with a generated KB, through a bridge started in this process
 * (its `kb` handle), on PGlite or a fresh Postgres schema.
 */
export async function measureKbSearch(
  stack: BenchStack,
  storage: 'pglite' | 'postgres',
  options: { articles: number; queries: number; dir: string },
): Promise<KbRun> {
  const schema = storage === 'postgres' ? await freshSchema() : null;
  const config = loadConfig({
    ...stack.env,
    PORT: '0',
    KB_DIR: options.dir,
    ...(schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' }),
  });
  const started = performance.now();
  const bridge = await startBridge(config, {
    logger: createLogger('silent'),
    watchKb: false,
    registerCommands: false,
  });
  const startupMs = performance.now() - started;
  try {
    // The first load happened inside start-up; time it alone on a second, empty-table load.
    await bridge.db.query('DELETE FROM kb_articles');
    const firstLoadMs = (await bridge.kb.reload()).durationMs;
    const reloadUnchangedMs = (await bridge.kb.reload()).durationMs;
    const changed = Math.max(1, Math.round(options.articles / 100));
    const later = new Date(Date.now() + 60_000);
    for (let i = 0; i < changed; i++) {
      const file = join(options.dir, `article-${String((i * 97) % options.articles).padStart(5, '0')}.md`);
      writeFileSync(
        file,
        `---\ntitle: "changed ${i}"\nurl: https://support.example.com/changed/${i}\ntags: [changed]\n---\n\nChanged body ${i} refund crash.\n`,
      );
      utimesSync(file, later, later);
    }
    const reloadChangedMs = (await bridge.kb.reload()).durationMs;
    const random = prng(7);
    const samples: number[] = [];
    let hits = 0;
    for (let i = 0; i < options.queries; i++) {
      const query = `how do I ${pick(random, 1 + Math.floor(random() * 4)).join(' ')}?`;
      const t0 = performance.now();
      const found = await bridge.kb.search(query, 3);
      samples.push(performance.now() - t0);
      if (found.length) hits += 1;
    }
    return {
      storage,
      articles: options.articles,
      queries: options.queries,
      startupMs: Math.round(startupMs),
      firstLoadMs: Math.round(firstLoadMs),
      reloadUnchangedMs: Math.round(reloadUnchangedMs),
      reloadChangedMs: Math.round(reloadChangedMs),
      changed,
      hitRate: Math.round((hits / options.queries) * 1000) / 1000,
      searchMs: percentiles(samples),
    };
  } finally {
    await bridge.stop();
    await schema?.drop();
  }
}

export function removeKb(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
