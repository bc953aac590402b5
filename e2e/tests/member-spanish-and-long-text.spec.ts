import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Lucía (Discord locale es-ES) sees her Discord client in Spanish — its own words and the commands'
 * Spanish descriptions — and a message too long for Discord is never lost: it stays in the box and
 * can go as message.txt, which reaches the agent as a file (#22, items 7 and 9).
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
/** 4,000 characters: twice what a member without Nitro may send in one message. */
const LONG =
  `Mi partida se cierra al empezar. ${'Registro del fallo: pantalla negra y error 0xC0000005. '.repeat(80)}`.slice(
    0,
    4000,
  );

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  running = await startTestSandbox();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-ES' });
  desks = await Desks.open(page, running.url, 'lucia');
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

/** Every size: the member pane shows no raw id and no label cut off. */
async function snapSizes(name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await expectOnScreen(
      page,
      desks.member().getByTestId('composer'),
      `the message box at ${size.width}×${size.height}`,
    );
    await expect(desks.member()).not.toContainText(/\b\d{17,20}\b/);
    await desks.snap(`${name}-${size.width}x${size.height}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test("Lucía's client speaks Spanish: the message box, the commands, an ephemeral reply, a modal", async () => {
  await desks.openChannel('help');
  await expect(desks.input()).toHaveAttribute('placeholder', 'Enviar mensaje a #help');
  await expect(desks.member()).toContainText('Juegas como Lucía');
  await expect(page.getByTestId('publish-announcement')).toHaveText('Publicar un anuncio');
  await expect(desks.agent().getByTestId('incoming-tasks')).toHaveText('No hay tareas entrantes');

  await desks.input().fill('/ca');
  const suggestions = desks.member().getByTestId('command-suggestions');
  await expect(suggestions).toContainText('Comandos que coinciden con /ca');
  await expect(suggestions.getByRole('option', { name: /^\/case\b/ })).toContainText(
    'Consulta tus casos de soporte',
  );
  await suggestions.getByRole('option', { name: /^\/case\b/ }).click();
  const form = desks.member().getByTestId('command-form');
  // The option being filled, described in full above the box (the first one has the focus).
  const hint = desks.member().getByTestId('option-hint');
  await expect(hint).toHaveText('number Un número de caso, para ver su historial');
  await form.getByLabel('transcript').focus();
  await expect(hint).toHaveText(
    'transcript Envíame también la transcripción de los chats del caso, como archivo',
  );
  await expectOnScreen(page, hint, 'the option described');
  await snapSizes('es-01-command-picker');
  await form.getByRole('button', { name: /\/case/ }).click();

  await desks.input().fill('/bu');
  await suggestions.getByRole('option', { name: /^\/bug\b/ }).click();
  await desks.member().getByRole('button', { name: 'Ejecutar' }).click();
  const modal = desks.member().getByRole('dialog');
  await expect(modal.getByRole('button', { name: 'Cancelar' })).toBeVisible();
  await expect(modal.getByRole('button', { name: 'Enviar' })).toBeVisible();
  await desks.snap('es-02-modal');
  await modal.getByRole('button', { name: 'Cancelar' }).click();
  await expect(modal).toBeHidden();

  await desks.input().fill('/he');
  await suggestions.getByRole('option', { name: /^\/helpme\b/ }).click();
  await desks.member().getByRole('button', { name: 'Ejecutar' }).click();
  const sent = desks.lastMessage('Te envié un mensaje directo');
  await expect(sent).toContainText('Solo tú puedes ver esto');
  await snapSizes('es-03-ephemeral');

  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.input()).toHaveAttribute('placeholder', /^Enviar mensaje a @/);
  await expect(desks.lastMessage('asistente de soporte')).toBeVisible();
});

test('4,000 characters: kept in the box with a Spanish explanation, then sent as message.txt to the agent', async () => {
  await desks.say('mi juego se cierra al empezar');
  const answer = desks.lastMessage(/Esto es lo que encontré|No estoy seguro/);
  await answer.getByRole('button', { name: 'Hablar con un agente' }).click();
  await expect(desks.agent().getByTestId('incoming-tasks')).toBeVisible();
  await desks.agent().getByTestId('accept').click();
  await expect(desks.lastMessage('se unió al chat')).toContainText('Dana');
  await expect(desks.agent().getByTestId('end-chat')).toHaveText('Terminar chat');

  await desks.input().fill(LONG);
  await expect(desks.member().getByTestId('char-count')).toHaveText('-2000');
  await desks.input().press('Enter');
  const tooLong = desks.member().getByTestId('too-long');
  await expect(tooLong).toContainText('Tu mensaje es demasiado largo');
  await expect(tooLong).toContainText('Tiene 4000 caracteres; un mensaje puede tener hasta 2000.');
  await expect(desks.input()).toHaveValue(LONG);
  await expect(desks.member()).not.toContainText('Invalid Form Body');
  await expect(desks.member()).not.toContainText('50035');
  await expectOnScreen(page, tooLong.getByTestId('send-as-file'), 'the "send as message.txt" button');
  await snapSizes('es-04-too-long');

  // "Keep editing": back in the box, the text untouched; Enter asks again.
  await tooLong.getByRole('button', { name: 'Seguir editando' }).click();
  await expect(tooLong).toBeHidden();
  await expect(desks.input()).toBeFocused();
  await expect(desks.input()).toHaveValue(LONG);
  await desks.input().press('Enter');
  await expect(tooLong).toBeVisible();
  await tooLong.getByTestId('send-as-file').click();
  const file = desks.messages().getByTestId('attachment').filter({ hasText: 'message.txt' }).last();
  await expect(file).toBeVisible();
  await expect(desks.input()).toHaveValue('');
  await expect(tooLong).toBeHidden();
  const href = await file.locator('a').getAttribute('href');
  expect(await (await page.request.get(href ?? '')).text()).toBe(LONG);
  await expect(
    desks.agentMessages().getByTestId('message-media').filter({ hasText: 'message.txt' }),
  ).toBeVisible();
  await snapSizes('es-05-sent-as-file');
});

test('a message Discord refuses stays in the box, with the reason in her language', async () => {
  // The client sends nothing over the limit itself, so Discord's refusal (its documented 50035 body,
  // as the emulator answers it) is played at the network edge: what counts is the draft kept.
  await page.route('**/_emulator/messages', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 50035,
          discord_code: 50035,
          message: 'Invalid Form Body',
          errors: {
            content: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
            },
          },
        },
      }),
    }),
  );
  await desks.input().fill('un borrador que no se pierde');
  await desks.input().press('Enter');
  const notice = desks.messages().getByTestId('notice').last();
  await expect(notice).toContainText(
    'Tu mensaje es demasiado largo: un mensaje puede tener hasta 2000 caracteres.',
  );
  await expect(notice).toContainText('Solo tú puedes ver esto • Descartar mensaje');
  await expect(desks.input()).toHaveValue('un borrador que no se pierde');
  await expect(desks.member()).not.toContainText('Invalid Form Body');
  await page.unroute('**/_emulator/messages');
  await desks.input().press('Enter');
  await expect(desks.lastMessage('un borrador que no se pierde')).toBeVisible();
  await expect(desks.input()).toHaveValue('');
  await desks.agent().getByTestId('end-chat').click();
  await expect(desks.lastMessage('Este chat terminó')).toBeVisible();
});
