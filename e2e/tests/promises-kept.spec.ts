import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * What the member is told matches what happened: a wrap-up of "Follow-up needed" reaches the member
 * as their case's new status, and a restart of everything in the middle of a chat loses none of it
 * (the member is told once that the chat ended; the case keeps every message).
 */
test.describe.configure({ mode: 'serial' });

let running: TestSandbox;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  running = await startTestSandbox();
});
test.afterAll(async () => {
  await running?.stop();
});

/** The number in the "Case #N created" notice of the member's current chat. */
async function caseNumberOf(desks: Desks): Promise<string> {
  const text = await desks.lastMessage(/Case #\d+ created/).textContent();
  const found = /Case #(\d+)/.exec(text ?? '')?.[1] ?? '';
  expect(found).not.toBe('');
  return found;
}

test('"Follow-up needed": the member is told the case is now pending, as the wrap-up promised', async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const desks = await Desks.open(page, running.url, 'maude');
  await desks.chatWithAgent('my purchase of 500 gems never arrived');
  const caseNumber = await caseNumberOf(desks);
  await desks.agentSays('I will ask the payments team and come back to you.');
  await desks.endChat();

  const panel = desks.agent().getByTestId('flexcord-case-panel');
  const wrapUp = panel.getByTestId('flexcord-wrap-up');
  await wrapUp.getByLabel(/Disposition/).selectOption({ label: 'Follow-up needed' });
  await expect(wrapUp).toContainText('The case becomes Pending; the member is told.');
  await wrapUp.getByRole('button', { name: 'Complete' }).click();
  await expect(desks.agent().getByTestId('task-list-item')).toHaveCount(0);

  const told = desks.lastMessage(`Your case #${caseNumber} is now`);
  await expect(told).toContainText('pending');
  await expect(
    desks
      .messages()
      .getByTestId('message')
      .filter({ hasText: `Your case #${caseNumber} is now` }),
  ).toHaveCount(1);
  await desks.snapSizes('follow-up-member-told');
  await page.close();
});

test('a restart in the middle of a chat: the member is told once, and the case keeps every message', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  let desks = await Desks.open(page, running.url, 'nova');
  await desks.chatWithAgent('the game crashes when I open the map');
  const caseNumber = await caseNumberOf(desks);
  await desks.say('It crashes right after the logo 💥 — مرحبا');
  await desks.agentSays('Thanks Nova, I am looking at it now.');

  await running.restart();
  desks = await Desks.open(page, running.url, 'nova');
  await desks.member().getByTestId('dm-channel').click();
  const ended = desks.messages().getByTestId('message').filter({ hasText: 'This chat has ended' });
  await expect(ended).toHaveCount(1);
  await expect(ended).toContainText(`Case #${caseNumber} stays open until it is resolved`);
  await desks.snapSizes('restart-member-told');

  // The agent finds the case and its transcript: every message of the chat, in order.
  await desks.agent().getByRole('button', { name: 'Cases' }).click();
  await desks.agent().locator(`[data-testid="flexcord-desk-row"][data-case-number="${caseNumber}"]`).click();
  const panel = desks.agent().getByTestId('flexcord-desk-panel');
  await expect(panel.getByTestId('flexcord-chat').first()).toContainText('with Dana');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('flexcord-download-transcript').click(),
  ]);
  const transcript = readFileSync((await download.path()) ?? '', 'utf8');
  const order = [
    'the game crashes when I open the map',
    'Nova pressed “Talk to an agent”',
    'Dana joined the chat',
    'It crashes right after the logo 💥 — مرحبا',
    'Thanks Nova, I am looking at it now.',
    'The chat ended',
  ].map((line) => transcript.indexOf(line));
  expect(
    order.every((at) => at >= 0),
    transcript,
  ).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  await desks.snapSizes('restart-transcript-kept');
  await page.close();
});

/** /helpme in #help, a question, and "Talk to an agent": the task rings at the agent desk. */
async function askForAnAgent(desks: Desks, question: string): Promise<void> {
  await desks.openChannel('help');
  await desks.runCommand('helpme');
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('support assistant')).toBeVisible();
  await desks.say(question);
  const answer = desks.lastMessage(
    /Here is what I found|couldn't find an article|not sure I have an article/,
  );
  await answer.getByRole('button', { name: 'Talk to an agent' }).click();
}

test('the reopened case goes to its agent: Leo took the chat, and when Pat comes back it rings for Leo, not Dana', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const desks = await Desks.open(page, running.url, 'pixelpat');
  const desk = desks.agent();
  const picker = desk.getByTestId('agent-picker');
  const incoming = desk.getByTestId('incoming-tasks');

  // Dana, first in line, passes; Leo takes the chat.
  await askForAnAgent(desks, 'my skins vanished after the update');
  const caseNumber = await caseNumberOf(desks);
  await expect(incoming).toContainText('Incoming:');
  await desk.getByTestId('reject').click();
  await picker.selectOption('Leo');
  await expect(incoming).toContainText('Incoming:');
  await desk.getByTestId('accept').click();
  await expect(desks.lastMessage('joined the chat')).toContainText('Leo');
  await desks.agentSays('Leo here: I will restore your skins ✨');
  await desks.endChat();
  await expect(incoming).not.toContainText('Incoming:');

  // Pat comes back to the same case while Dana and Leo are both available: it rings for Leo.
  await picker.selectOption('Dana');
  await askForAnAgent(desks, 'the skins are still missing');
  await page.waitForTimeout(2_000);
  await expect(incoming, 'the reopened case does not ring for Dana').not.toContainText('Incoming:');
  await picker.selectOption('Leo');
  await expect(incoming).toContainText('Incoming:');
  await desks.snapSizes('reopened-case-rings-for-leo');
  await desk.getByTestId('accept').click();
  await expect(desks.lastMessage('joined the chat')).toContainText('Leo');
  await expect(desk.getByTestId('flexcord-case-panel')).toContainText(`#${caseNumber}`);
  await desks.snapSizes('reopened-case-with-leo');
  await page.close();
});
