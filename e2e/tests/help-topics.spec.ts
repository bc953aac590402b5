import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Help topics in the browser (#25): /helpme offers the demo brand's topics in a menu; Pat picks
 * "Payments", fills its form, and the task reaches Dana with that topic, routed by the workflow
 * filter provisioning wrote; "Account & login" answers without a case; Lucía reads it all in Spanish.
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

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  running = await startTestSandbox({ topics: true });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  desks = await Desks.open(page, running.url, 'pixelpat');
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

/** /helpme in #help; the ephemeral reply with the topic menu. */
async function helpme(): Promise<void> {
  await desks.openChannel('help');
  await desks.input().fill('/he');
  await desks
    .member()
    .getByTestId('command-suggestions')
    .getByRole('option', { name: /^\/helpme\b/ })
    .click();
  await desks
    .member()
    .getByRole('button', { name: /^(Run|Ejecutar)$/ })
    .click();
}

/** Screenshots at the three sizes, each with `what` wholly on screen. */
async function snapSizes(name: string, what: () => ReturnType<Desks['member']>): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await expectOnScreen(page, what(), `${name} at ${size.width}×${size.height}`);
    await desks.snap(`${name}-${size.width}x${size.height}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test('/helpme offers the topics in a menu before the assistant', async () => {
  await helpme();
  const menu = desks.lastMessage('What do you need help with?');
  await expect(menu).toContainText('Only you can see this');
  const select = menu.getByRole('combobox', { name: 'Choose a topic' });
  await expect(select.locator('option')).toHaveText([
    'Choose a topic',
    '🔐 Account & login',
    '💳 Payments',
    '🐛 Something is broken',
    '💬 Something else',
  ]);
  await snapSizes('01-topic-menu', () => menu);
});

test('"Account & login" answers at once: no chat, no case', async () => {
  const menu = desks.lastMessage('What do you need help with?');
  await menu.getByRole('combobox', { name: 'Choose a topic' }).selectOption('account');
  const answer = desks.lastMessage('Resetting your password');
  await expect(answer).toContainText('Forgot password?');
  await expect(answer).toContainText('Run /helpme again and pick another topic');
  await expect(answer.getByRole('combobox')).toHaveCount(0);
  expect(running.sandbox.twilio.control.tasks()).toHaveLength(0);
  const cases = await fetch(`${running.sandbox.bridgeUrl}/api/cases`, {
    headers: { authorization: `Bearer ${running.sandbox.twilio.control.issueFlexToken('Dana').token}` },
  });
  expect(((await cases.json()) as { cases: unknown[] }).cases).toEqual([]);
});

test('Pat picks "Payments", fills the form, and the task reaches Dana with that topic, in the Payments queue', async () => {
  await helpme();
  const menu = desks.lastMessage('What do you need help with?');
  await menu.getByRole('combobox', { name: 'Choose a topic' }).selectOption('payments');
  const modal = desks.member().getByRole('dialog', { name: 'About your payment' });
  await expect(modal.getByLabel('Order number')).toBeVisible();
  await snapSizes('02-payments-form', () => modal);
  await modal.getByLabel('Order number').fill('SA-4471');
  await modal.getByLabel('What happened?').fill('Charged twice for 500 gems — ¿me ayudáis?');
  await modal.getByRole('button', { name: 'Submit' }).click();
  await expect(modal).toBeHidden();
  await expect(desks.lastMessage("I've sent you a DM")).toBeVisible();

  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('You asked about')).toContainText('Payments');
  await desks.say('I want to talk to an agent');
  await expect(desks.lastMessage(/Case #\d+ created/)).toBeVisible();
  await expect(desks.agent().getByTestId('incoming-tasks')).toContainText('Incoming: Pat');

  const [task] = running.sandbox.twilio.control.tasks();
  expect(task?.attributes).toMatchObject({ customChannelType: 'discord', topic: 'payments', priority: 5 });
  const { twilio } = running.sandbox;
  const fetched = await fetch(
    `${twilio.url}/taskrouter/v1/Workspaces/${twilio.workspaceSid}/Tasks/${task!.sid}`,
    {
      headers: {
        authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
      },
    },
  );
  expect(((await fetched.json()) as { task_queue_friendly_name: string }).task_queue_friendly_name).toBe(
    'Payments',
  );

  await desks.agent().getByTestId('accept').click();
  await expect(desks.agent().getByTestId('task-list-item').first()).toContainText('Payments');
  const details = desks.agent().getByTestId('flexcord-case-details');
  await expect(details).toContainText('💳 Payments');
  await expect(details).toContainText('Order number');
  await expect(details).toContainText('SA-4471');
  await expect(details).toContainText('Charged twice for 500 gems');
  await expect(details).not.toContainText('payments');
  await desks.snap('03-case-panel-topic');
  await desks.endChat();
});

test('the Cases view shows the case’s topic by name', async () => {
  await desks.agent().getByRole('button', { name: 'Cases' }).click();
  const row = desks.agent().getByTestId('flexcord-desk-row').first();
  await expect(row.getByTestId('flexcord-desk-topic')).toHaveText('💳 Payments');
  await desks.snap('04-cases-view-topic');
});

test('Lucía reads the topics and the form in Spanish', async () => {
  await page.goto(`${running.url}/?member=lucia`);
  await expect(desks.agent().getByTestId('host-plugins')).toContainText('FlexcordPlugin');
  await helpme();
  const menu = desks.lastMessage('¿Con qué necesitas ayuda?');
  const select = menu.getByRole('combobox', { name: 'Elige un tema' });
  await expect(select.locator('option')).toHaveText([
    'Elige un tema',
    '🔐 Cuenta e inicio de sesión',
    '💳 Pagos',
    '🐛 Algo no funciona',
    '💬 Otra cosa',
  ]);
  await select.selectOption('payments');
  const modal = desks.member().getByRole('dialog', { name: 'Sobre tu pago' });
  await expect(modal.getByLabel('Número de pedido')).toBeVisible();
  await expect(modal.getByLabel('¿Qué pasó?')).toBeVisible();
  await snapSizes('05-lucia-form', () => modal);
});
