import { expect, type FrameLocator, test } from '@playwright/test';
import { Desks, SCREEN_SIZES } from '../support/desks.ts';
import { dayAt, seedFiguresStory } from '../support/figures-seed.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

test.describe('figures of a chat played in the sandbox', () => {
  /**
   * A supervisor's figures in the sandbox: Pat chats with Dana, who ends the chat; Dana has no
   * Figures in her side nav; Maya, a supervisor, opens them and sees the chat counted.
   */
  let running: TestSandbox;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    running = await startTestSandbox();
  });
  test.afterAll(async () => {
    await running?.stop();
  });

  test('Maya, a supervisor, sees the figures of the chats Dana took; Dana is not offered them', async ({
    browser,
  }) => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const desks = await Desks.open(page, running.url);
    await desks.chatWithAgent('my game crashes on startup');
    await desks.agentSays('Reinstalling the graphics driver should fix it.');

    const figuresLink = desks.agent().getByRole('button', { name: 'Figures' });
    await expect(desks.agent().getByRole('button', { name: 'Cases' })).toBeVisible();
    await expect(figuresLink).toHaveCount(0);

    await desks.agent().getByTestId('agent-picker').selectOption('Maya');
    await figuresLink.click();
    const figures = desks.agent().getByTestId('flexcord-figures');
    await expect(figures.getByRole('heading', { name: 'Team figures' })).toBeVisible();
    await expect(figures.getByTestId('figure-open-cases-value')).toHaveText('1');
    await expect(figures.getByTestId('chart-open-cases')).toContainText('Support · Open');
    await expect(figures.getByTestId('figure-first-response')).toContainText('over 1 chat');
    await expect(figures.getByTestId('figure-deflection')).toContainText('0 of 1 chats with a question');

    for (const size of [
      { width: 1280, height: 720 },
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      await expect(figures.getByTestId('figure-kb-gaps')).toBeVisible();
      await desks.snap(`figures-${size.width}x${size.height}`);
    }
    await page.close();
  });
});

test.describe('figures on seeded data (#22, #27)', () => {
  /**
   * The sandbox started on a database seeded with a known story (e2e/support/figures-seed.ts says
   * who did what, when); Maya opens the figures and every number shown is the one worked out by
   * hand below from that story.
   */
  const now = new Date();
  let running: TestSandbox;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    running = await startTestSandbox({ beforeStart: (dataDir) => seedFiguresStory(dataDir, now) });
  });
  test.afterAll(async () => {
    await running?.stop();
  });

  const rows = async (frame: FrameLocator, testId: string) =>
    (await frame.getByTestId(testId).locator('tbody tr').allTextContents()).map((row) => row.trim());

  test('Maya sees every figure of the seeded story, equal to the hand-worked numbers', async ({
    browser,
  }) => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const desks = await Desks.open(page, running.url);
    await desks.agent().getByTestId('agent-picker').selectOption('Maya');
    await desks.agent().getByRole('button', { name: 'Figures' }).click();
    const view = desks.agent().getByTestId('flexcord-figures');
    await expect(view.getByRole('heading', { name: 'Team figures' })).toBeVisible();
    const value = (id: string) => view.getByTestId(`figure-${id}-value`);
    const bars = (id: string) => view.getByTestId(id).getByRole('listitem');

    // Open cases: Pat's second support case, Lucía's support case and her bug = 3; the bars add up.
    await expect(value('open-cases')).toHaveText('3');
    await expect(bars('chart-open-cases')).toHaveText(['Bug report · Open1', 'Support · Open2']);
    // First response: Pat 90 s, Maude 240 s (Lucía's chat has no agent message): median 165 s ≈ 3 min.
    await expect(value('first-response')).toHaveText('3 min');
    await expect(view.getByTestId('figure-first-response')).toContainText('over 2 chats');
    // Resolution: 2,700 s and 7,200 s (the duplicate is closed, not resolved): 4,950 s = 1 h 22.5 min → 1 h 23 min.
    await expect(value('resolution')).toHaveText('1 h 23 min');
    await expect(view.getByTestId('figure-resolution')).toContainText('over 2 resolved cases');
    // Ratings 5 and 3: 4.0 over 2 answers, one 5 ★ and one 3 ★.
    await expect(value('satisfaction')).toHaveText('4.0 / 5');
    await expect(view.getByTestId('figure-satisfaction')).toContainText('over 2 answers');
    await expect(bars('chart-satisfaction')).toHaveText(['5 ★1', '4 ★0', '3 ★1', '2 ★0', '1 ★0']);
    // Six chats with a question: Pat's and Maude's went to an agent; Ana confirmed, Bo's is assumed,
    // مريم's is within its 24 h, Çelik's last question got no article. 2 of 6 resolved = 33%.
    await expect(value('bot-resolution')).toHaveText('33%');
    await expect(view.getByTestId('figure-bot-resolution')).toContainText(
      '1 confirmed + 1 assumed, of 6 chats with a question',
    );
    await expect(bars('chart-bot-outcomes')).toHaveText([
      'Confirmed1',
      'Assumed1',
      'Within 24 h1',
      'Not resolved1',
      'Agent asked for2',
    ]);
    // Handover 2 of 6 = 33%; deflection the other 4 of 6 = 67%: together 100%.
    await expect(value('handover')).toHaveText('33%');
    await expect(view.getByTestId('figure-handover')).toContainText('2 of 6 chats with a question');
    await expect(value('deflection')).toHaveText('67%');
    await expect(view.getByTestId('figure-deflection')).toContainText(
      '4 of 6 chats with a question needed no agent',
    );
    // Reopened: Pat opened a case 22 h 15 min after hers was resolved; Maude did not: 1 of 2 = 50%.
    await expect(value('reopened')).toHaveText('50%');
    await expect(view.getByTestId('figure-reopened')).toContainText('1 of 2 resolved cases');
    // One group of unanswered questions, asked twice; the count is the length of the list.
    await expect(value('kb-gaps')).toHaveText('1');
    await expect(view.getByTestId('figure-kb-gaps').getByRole('listitem')).toHaveText([
      '“¿cómo vuelo un dragón? 🐉” ×2',
    ]);

    // Each definition is on its figure's title.
    for (const [id, words] of [
      ['bot-resolution', 'pressed “This helped” on its last answer (confirmed)'],
      ['handover', 'Together with deflection it makes 100%.'],
      ['reopened', 'within 72 hours of the resolution'],
      ['deflection', 'whether or not it solved their question'],
      ['first-response', 'the first message an agent wrote in it'],
      ['resolution', 'A case closed as a duplicate or as spam is not resolved.'],
    ] as const) {
      await view.getByTestId(`figure-${id}-title`).focus();
      await expect(desks.agent().getByRole('tooltip')).toContainText(words);
      await view.getByTestId(`figure-${id}-title`).blur();
    }

    // By agent, by name: Dana 1 chat, 90 s → 2 min, 45 min, 5.0; Leo 1 chat, 4 min, 2 h, 3.0.
    expect(await rows(desks.agent(), 'figures-agents')).toEqual([
      'Dana12 min (over 1 chat)45 min (over 1 case)5.0 / 5 (over 1 answer)',
      'Leo14 min (over 1 chat)2 h (over 1 case)3.0 / 5 (over 1 answer)',
    ]);
    // By day, newest first, only the two days something happened on.
    const day = (daysAgo: number) =>
      new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        dayAt(now, daysAgo, '00:00:00'),
      );
    expect(await rows(desks.agent(), 'figures-trend')).toEqual([
      `${day(2)}14 min (over 1 chat)2 h (over 1 case)3.0 / 5 (over 1 answer)`,
      `${day(3)}12 min (over 1 chat)45 min (over 1 case)5.0 / 5 (over 1 answer)`,
    ]);

    for (const [width, height] of SCREEN_SIZES) {
      await page.setViewportSize({ width, height });
      await view.getByRole('heading', { name: 'Team figures' }).scrollIntoViewIfNeeded();
      await desks.snap(`figures-seeded-${width}x${height}`);
      await view.getByTestId('figure-bot-resolution').scrollIntoViewIfNeeded();
      await desks.snap(`figures-seeded-resolution-${width}x${height}`);
      await view.getByTestId('figures-trend').scrollIntoViewIfNeeded();
      await desks.snap(`figures-seeded-tables-${width}x${height}`);
    }
    await page.close();
  });
});
