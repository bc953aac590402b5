/**
 * `npm run kb:teach-half`: how far learned phrasings carry. For each held-out set, the questions
 * the bot misses (with the bot's default stages) are split in two, alternately; the first half is
 * taught as approved learned phrasings (question → expected article, as a supervisor would approve
 * them in the gaps report), and the figures are measured again on the other half, which was not
 * taught. The taught half is re-asked too, as a check that a taught question is answered.
 */
import { bumpKbRevision } from '../src/infrastructure/db/kb-articles-repository.ts';
import { bridgeEngine, defaultStages, figuresOf, readQuestions, runQuestions } from './evaluate.ts';
import { SETS } from './side-by-side.ts';

console.log(
  '| set | missed | taught | other half: hit@1 before → after | taught half: hit@1 after | off-topic answered before → after |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const set of SETS.filter((candidate) => !candidate.name.startsWith('dev'))) {
  const engine = await bridgeEngine(set.kb, defaultStages());
  try {
    const questions = readQuestions(set.queries);
    const before = await runQuestions(engine, questions);
    const missed = before.filter((result) => result.expect !== null && result.shown[0] !== result.expect);
    const taught = missed.filter((_, i) => i % 2 === 0);
    const other = missed.filter((_, i) => i % 2 === 1);
    for (const question of taught)
      await engine.db.query(
        `INSERT INTO kb_learned_phrasings (question, slug, language, source, proposed_by, status, decided_by, decided_at)
         VALUES ($1, $2, $3, 'kb_button', 'eval', 'approved', 'eval', now()) ON CONFLICT DO NOTHING`,
        [question.q, question.expect, question.lang],
      );
    await bumpKbRevision(engine.db);
    const unanswerable = questions.filter((question) => question.expect === null);
    const otherAfter = figuresOf(await runQuestions(engine, other));
    const taughtAfter = figuresOf(await runQuestions(engine, taught));
    const nullBefore = figuresOf(before.filter((result) => result.expect === null));
    const nullAfter = figuresOf(await runQuestions(engine, unanswerable));
    console.log(
      `| ${set.name} | ${missed.length} | ${taught.length} | ${figuresOf(other.map((q) => ({ ...q }))).hitAt1.toFixed(3)} → ${otherAfter.hitAt1.toFixed(3)} (${Math.round(otherAfter.hitAt1 * other.length)}/${other.length}) | ${taughtAfter.hitAt1.toFixed(3)} | ${nullBefore.nullAnswered.toFixed(3)} → ${nullAfter.nullAnswered.toFixed(3)} |`,
    );
  } finally {
    await engine.close();
  }
}
