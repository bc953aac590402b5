import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Both desks fit a real screen: after a story with more messages than fit, the reply box, Send
 * and the newest message are on screen in both panes, side by side, at the three sizes agents use.
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

const LONG_URL =
  'https://support.starfall.example.com/articles/graphics/drivers/reinstall-the-latest-driver-then-clear-the-shader-cache?platform=windows&build=2026.11.3';
const SIZES = [
  { width: 1280, height: 720, member: 'pixelpat' },
  { width: 1366, height: 768, member: 'maude' },
  { width: 1920, height: 1080, member: 'nova' },
];

for (const size of SIZES) {
  test(`${size.width}×${size.height}: reply box, Send and the newest message stay on screen in both panes`, async ({
    browser,
  }) => {
    const page: Page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    const desks = await Desks.open(page, running.url, size.member);

    await desks.chatWithAgent('my game crashes on startup');
    // The side navigation says where each link goes, and the task list names the member.
    for (const label of ['Agent desktop', 'Cases']) {
      const link = desks
        .agent()
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: label });
      await expect(link.locator('.fh-side-label'), `the "${label}" link's label`).toBeVisible();
      await expect(link.locator('.fh-side-label')).toHaveText(label);
    }
    const name = { pixelpat: 'Pat', maude: 'Maude', nova: 'Nova' }[size.member];
    const taskName = desks
      .agent()
      .getByTestId('task-first-line')
      .filter({ hasText: new RegExp(`^${name}$`) });
    await expectOnScreen(page, taskName, "the member's name in the task list");
    await desks.agentSays(`Hi! Please follow this guide first: ${LONG_URL}`);
    for (let n = 1; n <= 8; n++) await desks.say(`Still crashing, attempt ${n}`);
    const newest = 'Still crashing, attempt 8';
    await expect(desks.agentMessages().filter({ hasText: newest })).toBeVisible();

    // The member's side.
    await expectOnScreen(page, desks.input(), 'the member’s message box');
    await expectOnScreen(page, desks.member().getByRole('button', { name: 'Send' }), 'the member’s Send');
    await expectOnScreen(page, desks.lastMessage(newest), 'the newest message for the member');
    // The agent's side: the bar (Accept/End chat), the reply box, Send and the newest message.
    await expectOnScreen(page, desks.agent().getByTestId('end-chat'), 'End chat');
    await expectOnScreen(page, desks.agent().getByTestId('reply-box'), 'the reply box');
    await expectOnScreen(page, desks.agent().getByTestId('send-button'), 'Send');
    await expectOnScreen(
      page,
      desks.agentMessages().filter({ hasText: newest }),
      'the newest message for the agent',
    );
    // The agent's chat column is usable side by side, and a long URL wraps inside its bubble.
    const chat = await desks.agent().getByTestId('message-list').boundingBox();
    expect(chat?.width ?? 0).toBeGreaterThanOrEqual(300);
    const bubble = desks
      .agentMessages()
      .filter({ hasText: 'reinstall-the-latest-driver' })
      .locator('.fh-body');
    const [bubbleBox, listBox] = [await bubble.boundingBox(), chat];
    expect((bubbleBox?.x ?? 0) + (bubbleBox?.width ?? 0)).toBeLessThanOrEqual(
      (listBox?.x ?? 0) + (listBox?.width ?? 0),
    );
    const link = desks.lastMessage('reinstall-the-latest-driver').locator('.content');
    expect(await link.evaluate((node) => node.scrollWidth <= node.clientWidth)).toBe(true);
    // The case panel scrolls on its own: the agent bar stays where it was.
    await desks.agent().getByTestId('flexcord-case-panel').hover();
    await page.mouse.wheel(0, 2000);
    await expectOnScreen(
      page,
      desks.agent().getByTestId('end-chat'),
      'End chat after scrolling the case panel',
    );
    await desks.snap(`desks-${size.width}x${size.height}`);

    // Scrolled up, a new message does not pull the member down: a marker does, on a click.
    const overflows = () => desks.messages().evaluate((list) => list.scrollHeight > list.clientHeight + 200);
    for (let n = 9; !(await overflows()) && n < 30; n++) await desks.say(`Still crashing, attempt ${n}`);
    await desks.messages().evaluate((list) => list.scrollTo({ top: 0 }));
    await desks.agentSays('One more thing: which graphics card do you have?');
    const marker = desks.member().getByTestId('new-messages');
    await expect(marker).toBeVisible();
    await desks.snap(`desks-${size.width}x${size.height}-new-messages-marker`);
    await marker.click();
    await expectOnScreen(page, desks.lastMessage('which graphics card'), 'the message the marker jumped to');
    await expect(marker).toBeHidden();

    await desks.endChat();
    await page.close();
  });
}

test('the member picked stays picked after a reload', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(running.url);
  const picker = page.getByTestId('member-picker');
  await picker.selectOption({ label: 'Lucía (@lucia) — member' });
  const lucia = await picker.inputValue();
  await page.reload();
  await expect(picker).toHaveValue(lucia);
  await page.goto(running.url); // without ?member=: remembered by the browser
  await expect(picker).toHaveValue(lucia);
  await expect(page.getByTestId('member-client')).toContainText('Juegas como Lucía');
  await page.close();
});
