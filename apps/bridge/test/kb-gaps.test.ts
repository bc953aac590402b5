import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKbReport } from '../src/bin/kb-report.ts';
import { openDatabase } from '../src/infrastructure/db/database.ts';
import { insertAnswer, setAnswerFeedback } from '../src/infrastructure/db/kb-answers-repository.ts';
import { proposePhrasing } from '../src/infrastructure/db/kb-phrasings-repository.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { KB_DIR } from './helpers/stack.ts';

/** `npm run kb:report`: what members asked and didn't get, from the bridge's own database. */
describe('the KB gaps report on the command line', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flexcord-kb-report-'));
    const db = await openDatabase({ pgliteDir: join(dir, 'pglite') });
    await migrate(db);
    const ask = (
      n: number,
      question: string,
      outcome: 'answer' | 'unsure',
      shown: string[] = [],
      language = 'en',
    ) =>
      insertAnswer(db, {
        turnKey: `bot-turn:IM${n}`,
        conversationSid: 'CH1',
        discordUserId: '1',
        question,
        language,
        outcome,
        confidence: outcome === 'answer' ? 0.9 : 0,
        candidates: shown.map((slug) => ({ slug, score: 1 })),
        shown,
      });
    await ask(1, 'how do i change my username', 'unsure');
    await ask(2, 'How can I change my username?', 'unsure');
    await ask(3, 'change username please', 'unsure');
    await ask(4, 'cómo cambio mi nombre de usuario', 'unsure', [], 'es');
    await ask(5, 'is there a mac version', 'unsure');
    const unhelped = await ask(6, 'my game crashes on my phone', 'answer', ['game-crashes-mobile']);
    await setAnswerFeedback(db, unhelped, 'agent');
    const helped = await ask(7, 'reset my password', 'answer', ['reset-password']);
    await setAnswerFeedback(db, helped, 'helped');
    // A replayed turn is the same answer, not a second question.
    await ask(1, 'how do i change my username', 'unsure');
    // The agent answered the unhelped question with another article: a proposal waits.
    await proposePhrasing(db, {
      question: 'my game crashes on my phone',
      slug: 'recover-hacked-account',
      language: 'en',
      source: 'kb_button',
      conversationSid: 'CH1',
      answerId: unhelped,
      proposedBy: 'dana@example.com',
    });
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runKbReport(argv, { PGLITE_DIR: join(dir, 'pglite'), KB_DIR }, (line) =>
      lines.push(line),
    );
    return { code, text: lines.join('\n') };
  };

  it('lists the unanswered questions grouped by similarity, most asked first, and the articles turned down', async () => {
    const { code, text } = await report();
    expect(code).toBe(0);
    expect(text).toContain('Questions: 7 (answered 2, offered candidates 0, not answered 5)');
    const lines = text.split('\n');
    const first = lines.findIndex((line) => line.includes('× "'));
    expect(lines[first]).toMatch(
      /^\s+3 × "(how do i change my username|How can I change my username\?|change username please)" \[en\] — 3 not answered/,
    );
    expect(text).toContain('1 × "is there a mac version"');
    expect(text).toContain('1 × "cómo cambio mi nombre de usuario" [es]');
    expect(text).toContain(
      '1 × "my game crashes on my phone" [en] — 0 not answered, 1 answered but asked for an agent',
    );
    expect(text).toContain(
      'game-crashes-mobile (Game crashes or closes on Android or iOS): shown 1, helped 0, agent 1',
    );
    expect(text).not.toContain('reset my password');
  });

  it('prints the same report as JSON, and refuses bad flags with a reason', async () => {
    const { code, text } = await report('--json', '--limit', '2');
    expect(code).toBe(0);
    const parsed = JSON.parse(text) as { gaps: { question: string; count: number }[] };
    expect(parsed.gaps.map((gap) => gap.count)).toEqual([3, 1]);
    const bad = await report('--days', '0');
    expect(bad.code).toBe(78);
    expect(bad.text).toContain('days');
  });

  it('lists the learned phrasings waiting for a supervisor, with the article’s title and who proposed it', async () => {
    const { code, text } = await report();
    expect(code).toBe(0);
    expect(text).toContain('Learned phrasings waiting for a supervisor');
    expect(text).toMatch(
      /#\d+ "my game crashes on my phone" → recover-hacked-account \(.+\), proposed by dana@example\.com/,
    );
  });
});
