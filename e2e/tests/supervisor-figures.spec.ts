import { expect, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

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
