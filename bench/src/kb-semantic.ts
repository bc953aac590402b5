/**
 * `npx tsx bench/src/kb-semantic.ts [--articles 1000] [--queries 300]`: the KB's answer time with
 * the offline semantic stage (USE lite; Spanish questions through apertium) on and off, over the
 * generated help centre, in one process: wall and CPU time per answer, and the memory the stage adds.
 */
import { parseArgs } from 'node:util';
import {
  ApertiumTranslator,
  createLogger,
  KbService,
  type KbStages,
  migrate,
  openDatabase,
  UseLiteEmbedder,
} from '@flexcord/bridge';
import { benchQuestions, generateKb, removeKb } from './kb-search.ts';
import { percentiles } from './stats.ts';

const { values } = parseArgs({
  options: { articles: { type: 'string', default: '1000' }, queries: { type: 'string', default: '300' } },
});
const dir = generateKb(Number(values.articles));
const questions = benchQuestions(Number(values.queries));
const translator = ApertiumTranslator.available() ? new ApertiumTranslator() : null;

async function run(name: string, stages: KbStages): Promise<void> {
  global.gc?.();
  const before = process.memoryUsage();
  const db = await openDatabase({ pgliteDir: 'memory://' });
  await migrate(db);
  const kb = new KbService(db, dir, createLogger('warn'), stages);
  const started = performance.now();
  await kb.reload();
  await kb.semanticReady();
  const loadMs = performance.now() - started;
  global.gc?.();
  const loaded = process.memoryUsage();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const question of questions) {
    const c = process.cpuUsage();
    const t = performance.now();
    await kb.answer(question);
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const w = percentiles(wall);
  const c = percentiles(cpu);
  console.log(
    `| ${name} | ${values.articles} | ${questions.length} | ${(loadMs / 1000).toFixed(1)} s | ${w.p50.toFixed(2)} / ${w.p95.toFixed(2)} | ${c.p50.toFixed(2)} / ${c.p95.toFixed(2)} | ${((loaded.rss - before.rss) / 2 ** 20).toFixed(0)} MiB rss, ${((loaded.heapUsed - before.heapUsed) / 2 ** 20).toFixed(0)} MiB heap |`,
  );
  kb.close();
  await db.close();
}

console.log(
  '| stages | articles | questions | load | wall p50 / p95 ms | CPU p50 / p95 ms | memory after load |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
await run('lexical + translation', { translator });
if (UseLiteEmbedder.available()) {
  const embedder = new UseLiteEmbedder();
  await run('lexical + translation + semantic (USE lite)', {
    translator,
    semantic: { embedder, queryTimeoutMs: 60_000 },
  });
  await run('lexical + semantic (USE lite; Spanish questions skip it)', {
    translator: null,
    semantic: { embedder, queryTimeoutMs: 60_000 },
  });
}
removeKb(dir);
