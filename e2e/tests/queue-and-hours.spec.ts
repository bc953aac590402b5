import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Waiting for a person, in the browser: members in line are told their place while no agent is
 * Available, and outside the support hours "Talk to an agent" says when the team is back.
 */
test.describe.configure({ mode: 'serial' });

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** /helpme in #help, a question, and "Talk to an agent" — without an agent accepting. */
async function askForAgent(desks: Desks, question: string): Promise<void> {
  await desks.openChannel('help');
  await desks.input().fill('/he');
  await desks
    .member()
    .getByTestId('command-suggestions')
    .getByRole('option', { name: /^\/helpme\b/ })
    .click();
  await desks.member().getByRole('button', { name: 'Run' }).click();
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('support assistant')).toBeVisible();
  await desks.say(question);
  const answer = desks.lastMessage(/Here is what I found|couldn't find an article/);
  await answer.getByRole('button', { name: 'Talk to an agent' }).click();
}

function memberPage(running: TestSandbox, page: Page, member: string): Promise<Desks> {
  return Desks.open(page, running.url, member);
}

test.describe('two members waiting with no agent Available', () => {
  let running: TestSandbox;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    running = await startTestSandbox();
    const control = running.sandbox.twilio.control;
    control.setAgentActivity('Dana', 'Offline');
    control.setAgentActivity('Leo', 'Offline');
  });
  test.afterAll(async () => {
    await running?.stop();
  });

  test('each is told their place in line; when Dana is back and accepts, Pat is with her', async ({
    browser,
  }) => {
    const pat = await memberPage(running, await browser.newPage({ viewport: SIZES[0]! }), 'pixelpat');
    await askForAgent(pat, 'my game crashes on startup');
    await expect(pat.lastMessage('Connecting you to an agent')).toBeVisible();
    await expect(pat.lastMessage("You're 1st in line.")).toBeVisible();

    const maudePage = await browser.newPage({ viewport: SIZES[0]! });
    const maude = await memberPage(running, maudePage, 'maude');
    await askForAgent(maude, 'I was charged twice for the battle pass');
    await expect(maude.lastMessage("You're 2nd in line.")).toBeVisible();
    for (const size of SIZES) {
      await maudePage.setViewportSize(size);
      await expectOnScreen(maudePage, maude.lastMessage("You're 2nd in line."), 'the place in line');
      await maude.snap(`queue-position-${size.width}x${size.height}`);
    }

    // Dana sets herself Available in the desk: Pat's task (first in line) is offered to her.
    await pat.agent().getByTestId('activity-picker').selectOption('Available');
    await expect(pat.agent().getByTestId('incoming-tasks')).toContainText('Incoming: Pat');
    await pat.agent().locator('.incoming-task', { hasText: 'Pat' }).getByTestId('accept').click();
    await expect(pat.lastMessage('joined the chat')).toContainText('Dana');
  });
});

test.describe('outside the support hours', () => {
  let running: TestSandbox;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    running = await startTestSandbox({ hours: 'closed' });
  });
  test.afterAll(async () => {
    await running?.stop();
  });

  test('"Talk to an agent" says when the team is back and keeps the request, at each screen size', async ({
    browser,
  }) => {
    const page = await browser.newPage({ viewport: SIZES[0]! });
    const desks = await memberPage(running, page, 'pixelpat');
    await askForAgent(desks, 'my game crashes on startup');
    const reply = desks.lastMessage('Our team is away right now');
    await expect(reply).toContainText(/we're back \w+ 9:00 \(CET\)/);
    await expect(reply).toContainText('Your request is kept');
    // No task reached the agent desk.
    await expect(desks.agent().getByTestId('incoming-tasks')).not.toContainText('Incoming:');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectOnScreen(page, reply, 'the out-of-hours reply');
      await desks.snap(`out-of-hours-${size.width}x${size.height}`);
    }
  });
});
