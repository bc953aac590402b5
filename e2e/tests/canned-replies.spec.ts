import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Canned replies in the sandbox: Lucía (Discord locale es-ES) reaches Dana; Dana opens the answers
 * button, picks the greeting, and it lands in her reply box in Spanish with Lucía's name and hers
 * filled in — sent only when Dana sends it. Then the Canned replies view: Dana keeps a personal
 * reply and may not change the shared ones; Maya, a supervisor, adds a shared one.
 */
test.describe.configure({ mode: 'serial' });

let running: TestSandbox;
let page: Page;
let desks: Desks;

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
const GREETING = '¡Hola, Lucía! Soy Dana, del equipo de soporte. Déjame revisarlo por ti.';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  running = await startTestSandbox();
  // The agent's desk speaks the browser's language (English); Lucía's client, her Discord locale.
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  desks = await Desks.open(page, running.url, 'lucia');
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

test('Dana inserts the greeting for Lucía in Spanish, her name filled in, and it goes only when Dana sends it', async () => {
  await desks.openChannel('help');
  await desks.input().fill('/he');
  await desks
    .member()
    .getByTestId('command-suggestions')
    .getByRole('option', { name: /^\/helpme\b/ })
    .click();
  await desks.member().getByRole('button', { name: 'Ejecutar' }).click();
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('asistente de soporte')).toBeVisible();
  await desks.say('mi juego se cierra al empezar');
  await desks
    .lastMessage(/Esto es lo que encontré|No estoy seguro/)
    .getByRole('button', { name: 'Hablar con un agente' })
    .click();
  await desks.agent().getByTestId('accept').click();
  await expect(desks.lastMessage('se unió al chat')).toContainText('Dana');

  const agent = desks.agent();
  await agent.getByTestId('flexcord-kb-button').click();
  const popover = agent.getByTestId('flexcord-kb-popover');
  await expect(popover).toContainText('Canned replies, in Spanish for this member');
  await expect(popover.getByTestId('flexcord-canned-result').first()).toBeVisible();
  await expect(popover).not.toContainText('undefined');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await desks.snap(`canned-popover-${size.width}x${size.height}`);
    await expectOnScreen(
      page,
      popover.getByLabel('Search canned replies and the knowledge base'),
      'the search box',
    );
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  await popover.getByLabel('Search canned replies and the knowledge base').fill('saludo');
  const greeting = popover.getByTestId('flexcord-canned-result').filter({ hasText: 'Saludo' });
  await expect(greeting).toContainText(GREETING);
  await desks.snap('canned-popover-search');
  await greeting.click();
  await expect(agent.getByTestId('reply-box')).toHaveValue(GREETING);
  // In the reply box, not in the chat: Lucía has not received it.
  await expect(desks.messages()).not.toContainText('¡Hola, Lucía!');

  await agent.getByTestId('send-button').click();
  await expect(desks.lastMessage('¡Hola, Lucía!')).toContainText(GREETING);
});

test('Dana keeps a personal reply and cannot change the shared ones; Maya, a supervisor, adds a shared one', async () => {
  const agent = desks.agent();
  await agent.getByRole('button', { name: 'Canned replies' }).click();
  const view = agent.getByTestId('flexcord-canned-replies');
  const shared = view.getByTestId('flexcord-canned-shared');
  await expect(shared).toContainText('Saludo');
  await expect(shared.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'New shared reply' })).toHaveCount(0);

  await view.getByRole('button', { name: 'New personal reply' }).click();
  const form = view.getByTestId('flexcord-canned-form');
  await form.getByLabel('Title (Spanish)').fill('Mi firma');
  await form.getByLabel('Text (Spanish)').fill('Un saludo, {agent} 🎮 — {pedido}');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toContainText('unknown variable {pedido}');
  await form.getByLabel('Text (Spanish)').fill('Un saludo, {agent} 🎮');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(view.getByTestId('flexcord-canned-personal')).toContainText('Un saludo, {agent} 🎮');

  await agent.getByTestId('agent-picker').selectOption('Maya');
  await agent.getByRole('button', { name: 'Canned replies' }).click();
  await expect(view.getByTestId('flexcord-canned-personal')).not.toContainText('Mi firma');
  await view.getByRole('button', { name: 'New shared reply' }).click();
  await form.getByLabel('Title (English)').fill('Server maintenance');
  await form
    .getByLabel('Text (English)')
    .fill('Servers are back at 18:00 UTC, {member}. Thanks for waiting!');
  await form.getByLabel('Title (Spanish)').fill('Mantenimiento');
  await form
    .getByLabel('Text (Spanish)')
    .fill('Los servidores vuelven a las 18:00 UTC, {member}. ¡Gracias por esperar!');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    // The form scrolls with the view: its buttons can be reached at every size.
    await form.getByRole('button', { name: 'Save' }).scrollIntoViewIfNeeded();
    await expectOnScreen(page, form.getByRole('button', { name: 'Save' }), 'the Save button');
    await desks.snap(`canned-form-${size.width}x${size.height}`);
  }
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(shared).toContainText('Mantenimiento');
  await expect(shared).toContainText('Changed by Maya');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await view.getByRole('heading', { name: 'Canned replies' }).scrollIntoViewIfNeeded();
    await expectOnScreen(page, view.getByRole('heading', { name: 'Canned replies' }), 'the view title');
    await desks.snap(`canned-view-${size.width}x${size.height}`);
  }
});
