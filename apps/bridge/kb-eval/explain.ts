/** `npx tsx kb-eval/explain.ts <kb dir> "question" …`: how the KB reads and ranks questions. */
import { bridgeEngine } from './evaluate.ts';

const [dir, ...questions] = process.argv.slice(2);
const engine = await bridgeEngine(dir ?? 'kb');
for (const question of questions) {
  const { ranked, language, concepts } = await engine.kb.inspect(question);
  const answer = await engine.kb.answer(question);
  console.log(`\n${question}  [${language ?? '?'}] → ${answer.outcome} ${answer.confidence}`);
  for (const concept of concepts) console.log(`   ${concept}`);
  for (const hit of ranked.slice(0, 4))
    console.log(
      `   ${hit.slug} s${hit.score.toFixed(2)} c${hit.coverage.toFixed(2)} n${hit.naming.toFixed(2)}`,
    );
}
await engine.close();
