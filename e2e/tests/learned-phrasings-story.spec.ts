import { expect, type Page, test } from '@playwright/test';
import { Desks, SCREEN_SIZES } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Learning from agents (#27), in the browser: the bot misses Pat's question; Dana answers it with
 * a KB article through the answers popover; Maya, a supervisor, approves the pair in the figures
 * view; Pat asks the same question again and the bot answers with that article.
 */
test.describe.configure({ mode: 'serial' });

const QUESTION = 'someone keeps harassing me in voice';
const ARTICLE = 'Report a player for cheating or toxic behaviour';

let running: TestSandbox;
let page: Page;
let desks: Desks;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  running = await startTestSandbox();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  desks = await Desks.open(page, running.url);
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

test('the bot misses the question; Dana answers it with an article from the answers popover', async () => {
  await desks.chatWithAgent(QUESTION);
  // The bot did not answer with the article.
  await expect(desks.messages()).not.toContainText(ARTICLE);
  const agent = desks.agent();
  await agent.getByTestId('flexcord-kb-button').click();
  const popover = agent.getByTestId('flexcord-kb-popover');
  const search = popover.getByLabel('Search canned replies and the knowledge base');
  await expect(search).toHaveValue(QUESTION);
  await search.fill('report a player');
  await popover.getByTestId('flexcord-kb-result').filter({ hasText: ARTICLE }).click();
  await expect(agent.getByTestId('reply-box')).toHaveValue(
    new RegExp(`This article should help: ${ARTICLE}`),
  );
  await agent.getByTestId('send-button').click();
  await expect(desks.lastMessage('This article should help')).toContainText(ARTICLE);
  await desks.endChat();
});

test('Maya, a supervisor, approves it in the figures view', async () => {
  const agent = desks.agent();
  await agent.getByTestId('agent-picker').selectOption('Maya');
  await agent.getByRole('button', { name: 'Figures' }).click();
  const review = agent.getByTestId('flexcord-learned-phrasings');
  await expect(review.getByRole('heading', { name: 'Answers learned from agents' })).toBeVisible();
  const row = review.getByTestId('flexcord-learned-phrasing').filter({ hasText: QUESTION });
  await expect(row).toContainText(ARTICLE);
  await expect(row).toContainText('Sent with the knowledge base button');
  for (const [width, height] of SCREEN_SIZES) {
    await page.setViewportSize({ width, height });
    await row.scrollIntoViewIfNeeded();
    await expect(row.getByRole('button', { name: 'Approve' })).toBeInViewport({ ratio: 1 });
    await desks.snap(`learned-phrasings-${width}x${height}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(review.getByTestId('flexcord-learned-outcome')).toContainText(
    `Approved: the virtual agent now answers “${QUESTION}” with “${ARTICLE}”.`,
  );
  await expect(row).toHaveCount(0);
});

test('Pat asks the same question again, and the bot answers with the approved article', async () => {
  await desks.openChannel('help');
  await desks.input().fill('/he');
  await desks
    .member()
    .getByTestId('command-suggestions')
    .getByRole('option', { name: /^\/helpme\b/ })
    .click();
  await desks.member().getByRole('button', { name: 'Run' }).click();
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('support assistant')).toBeVisible();
  await desks.say(QUESTION);
  await desks.snap('learned-phrasing-asked-again');
  const answer = desks.messages().getByTestId('message').last();
  await expect(answer).toContainText('Here is what I found');
  await expect(answer).toContainText(ARTICLE);
  await desks.snap('learned-phrasing-answers');
});
