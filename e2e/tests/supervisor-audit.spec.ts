import { expect, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * The audit log in the sandbox: Pat chats with Dana; Dana has no Audit log in her side nav; Maya,
 * a supervisor, opens it and reads that Dana joined Pat's case, from Flex, by name.
 */
let running: TestSandbox;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  running = await startTestSandbox();
});
test.afterAll(async () => {
  await running?.stop();
});

test('Maya, a supervisor, reads who did what on the cases; Dana is not offered the log', async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const desks = await Desks.open(page, running.url);
  await desks.chatWithAgent('my game crashes on startup');

  const auditLink = desks.agent().getByRole('button', { name: 'Audit log' });
  await expect(desks.agent().getByRole('button', { name: 'Cases' })).toBeVisible();
  await expect(auditLink).toHaveCount(0);

  await desks.agent().getByTestId('agent-picker').selectOption('Maya');
  await auditLink.click();
  const audit = desks.agent().getByTestId('flexcord-audit');
  await expect(audit.getByRole('heading', { name: 'Audit log of staff actions on cases' })).toBeVisible();
  const joined = audit.getByTestId('audit-entry').filter({ hasText: 'agent joined' }).first();
  await expect(joined).toContainText('Dana');
  await expect(joined).toContainText('Flex');
  await expect(audit).not.toContainText(/@example\.com|\b\d{17,20}\b/);

  for (const size of [
    { width: 1280, height: 720 },
    { width: 1366, height: 768 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(size);
    await expect(audit.getByRole('button', { name: 'Download CSV' })).toBeInViewport();
    await desks.snap(`audit-${size.width}x${size.height}`);
  }
  await page.close();
});
