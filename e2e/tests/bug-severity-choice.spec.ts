import { expect, type Page, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Lucía (Discord locale es-ES) files /bug choosing the severity from a list in Spanish, as
 * Discord shows a command's choices in the member's language; the form does not ask for it
 * again, and her report is filed with severity high.
 */
let running: TestSandbox;
let page: Page;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  running = await startTestSandbox();
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

test('Lucía files a bug choosing "Alta": the case has severity high', async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const desks = await Desks.open(page, running.url, 'lucia');
  await desks.openChannel('help');
  await desks.input().fill('/bu');
  await desks
    .member()
    .getByTestId('command-suggestions')
    .getByRole('option', { name: /^\/bug\b/ })
    .click();
  const form = desks.member().getByTestId('command-form');
  const severity = form.getByLabel('gravedad');
  await expect(severity.locator('option')).toHaveText([
    '¿Qué tan grave es?',
    'Baja',
    'Media',
    'Alta',
    'Crítica',
  ]);
  await severity.selectOption({ label: 'Alta' });
  await desks.snapSizes('bug-severity-choice');
  await desks.member().getByRole('button', { name: 'Ejecutar' }).click();

  const modal = desks.member().getByRole('dialog', { name: 'Reportar un error' });
  await modal.getByLabel('Título').fill('La tienda se queda en blanco 🛒');
  await modal
    .getByLabel('¿Qué pasó?')
    .fill('Al abrir la tienda después de una partida, la pantalla se queda en blanco.');
  // Chosen already: the form does not ask for it again.
  await expect(modal.getByLabel(/Gravedad/)).toHaveCount(0);
  await modal.getByRole('button', { name: 'Enviar' }).click();
  await expect(modal).toBeHidden();

  const filed = desks.lastMessage(/caso #\d+/);
  await expect(filed).toBeVisible();
  await desks.openChannel('bug-report');
  const post = desks.member().getByTestId('forum-post').filter({ hasText: 'La tienda se queda en blanco' });
  await expect(post.getByTestId('forum-tag').filter({ hasText: /^high$/ })).toBeVisible();
});
