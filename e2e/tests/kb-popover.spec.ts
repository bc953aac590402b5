import { expect, type Locator, type Page, test } from '@playwright/test';
import { Desks, SCREEN_SIZES } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * The answers popover at Dana's desk: it opens already searching the member's last message in the
 * chat, lists only what the bridge is sure of (the right article, nothing unrelated under it), and
 * never covers the chat's controls (End chat, the reply box, Send) at any of the screen sizes.
 */
test.describe.configure({ mode: 'serial' });

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

async function box(locator: Locator, what: string) {
  const found = await locator.boundingBox();
  expect(found, `${what} is laid out`).not.toBeNull();
  return found!;
}

/** Whether two boxes share any area (touching edges do not count). */
function intersects(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test("the popover opens on the member's last message, the right article first and alone, clear of the chat controls", async () => {
  await desks.chatWithAgent('my game keeps crashing when I launch it');
  // The member's last message is the one to answer, not the first one, nor "talk to an agent".
  await desks.say('also I forgot my password and cant log in 😩');
  const agent = desks.agent();
  await expect(agent.getByTestId('message-list')).toContainText('I forgot my password');

  await agent.getByTestId('flexcord-kb-button').click();
  const popover = agent.getByTestId('flexcord-kb-popover');
  await expect(popover.getByLabel('Search canned replies and the knowledge base')).toHaveValue(
    'also I forgot my password and cant log in 😩',
  );
  await expect(popover).toContainText('Knowledge base, for the member’s last message');
  const results = popover.getByTestId('flexcord-kb-result');
  await expect(results.first()).toContainText('Reset your password');
  await expect(results).toHaveCount(1);

  // The popover's frame (the dialog Paste draws), not only its content.
  const dialog = agent.getByRole('dialog', { name: 'Canned replies and knowledge base' });
  for (const [width, height] of SCREEN_SIZES) {
    await page.setViewportSize({ width, height });
    // Placed again for the new size, as a person resizing the window sees it.
    await expect(dialog).toBeVisible();
    await page.waitForTimeout(300);
    await desks.snap(`kb-popover-${width}x${height}`);
    const shown = await box(dialog, 'the popover');
    for (const [name, control] of [
      ['End chat', agent.getByTestId('end-chat')],
      ['the reply box', agent.getByTestId('reply-box')],
      ['Send', agent.getByTestId('send-button')],
    ] as const) {
      const controlBox = await box(control, name);
      expect(intersects(shown, controlBox), `at ${width}x${height} the popover covers ${name}`).toBe(false);
    }
    await expect(results.first()).toBeInViewport();
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  await results.first().click();
  await expect(agent.getByTestId('reply-box')).toHaveValue(/Reset your password/);
});
