import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * A member's data rights in Discord: `/privacy export` brings them a file of what is kept about
 * them (their transcript in it), and `/privacy delete`, once confirmed, takes their name out of the
 * case and its transcript, which stay for the team.
 */
test.describe.configure({ mode: 'serial' });

let running: TestSandbox;
let page: Page;
let desks: Desks;
let caseNumber = '';
const WORDS = 'It still crashes after the update 💥 — 再起動しても同じ';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  running = await startTestSandbox();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  desks = await Desks.open(page, running.url, 'pixelpat');
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

test('Pat chats with Dana, and the chat ends', async () => {
  await desks.chatWithAgent('my game crashes on startup');
  const notice = await desks.lastMessage(/Case #\d+ created/).textContent();
  caseNumber = /Case #(\d+)/.exec(notice ?? '')?.[1] ?? '';
  expect(caseNumber).not.toBe('');
  await desks.say(WORDS);
  await desks.agentSays('Thanks Pat, I have noted it.');
  await desks.endChat();
});

test('/privacy export: Pat gets a file of what is kept about him, his words in it', async () => {
  await desks.runCommand('privacy export');
  await expect(desks.lastMessage('Your data is on its way')).toContainText('Only you can see this');
  const file = desks.messages().getByTestId('attachment').filter({ hasText: '.json' }).last();
  await expect(file).toBeVisible();
  await expect(file, 'no raw id where the member reads').not.toContainText(/\d{17,20}/);
  const href = await file.locator('a').getAttribute('href');
  const served = await page.request.get(href ?? '');
  expect(served.ok()).toBe(true);
  const text = Buffer.from(await served.body()).toString('utf8');
  expect(text).toContain(WORDS);
  const data = JSON.parse(text) as { cases: { number: number; subject: string }[] };
  expect(data.cases.map((kept) => kept.number)).toContain(Number(caseNumber));
  await desks.snapSizes('privacy-export');
});

test('/privacy delete asks first; once confirmed, his name is gone from the case and its transcript', async () => {
  await desks.runCommand('privacy delete');
  const ask = desks.lastMessage('This erases your personal data');
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await desks.snapSizes('privacy-delete-confirm');
  await ask.getByRole('button', { name: 'Erase my data' }).click();
  await expect(desks.lastMessage('your personal data is erased')).toBeVisible();

  // The case stays, anonymised: the agent's panel and the kept transcript no longer name Pat.
  await desks.agent().getByRole('button', { name: 'Cases' }).click();
  const filters = desks.agent().getByTestId('flexcord-desk-filters-toggle');
  if (await filters.isVisible()) await filters.click();
  await desks.agent().getByTestId('flexcord-desk-status').selectOption('Any status');
  await desks.agent().locator(`[data-testid="flexcord-desk-row"][data-case-number="${caseNumber}"]`).click();
  const panel = desks.agent().getByTestId('flexcord-desk-panel');
  await expect(panel.getByTestId('flexcord-case-subject')).toBeVisible();
  await expect(panel).toContainText('Deleted member');
  await expect(panel).not.toContainText('pixelpat');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('flexcord-download-transcript').click(),
  ]);
  const transcript = readFileSync((await download.path()) ?? '', 'utf8');
  expect(transcript).toContain(`# Case #${caseNumber}`);
  expect(transcript).not.toMatch(/\bPat\b/);
  expect(transcript).not.toContain(WORDS);
  await desks.snapSizes('privacy-deleted-case');
});
