import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Two stories of the chat going on as members use Discord: a member turns off DMs from the server
 * in the middle of a chat and keeps talking to the agent in a private thread (the agent is told),
 * and a member's edit shows to the agent as edited — at the three screen sizes agents use.
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

const SIZES = [
  { width: 1280, height: 720, member: 'pixelpat', name: 'Pat' },
  { width: 1366, height: 768, member: 'maude', name: 'Maude' },
  { width: 1920, height: 1080, member: 'nova', name: 'Nova' },
];

const openDesks = (page: Page, member: string) => Desks.open(page, running.url, member);

for (const size of SIZES) {
  test(`${size.width}×${size.height}: a member who closes their DMs mid-chat keeps talking to the agent in a private thread, and the agent is told`, async ({
    browser,
  }) => {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    const desks = await openDesks(page, size.member);
    await desks.chatWithAgent('my game crashes on startup');

    // Privacy settings → Direct Messages off, as in Discord's server menu.
    await desks.member().getByTestId('member-settings').click();
    const allowDms = desks.member().getByTestId('allow-dms');
    await expect(allowDms).toBeChecked();
    await allowDms.uncheck();
    await expect(allowDms).not.toBeChecked();
    await desks.member().getByTestId('member-settings').click();

    await desks.agent().getByTestId('reply-box').fill('Which controller model is it?');
    await desks.agent().getByTestId('send-button').click();

    // The agent reads why the chat moved.
    const told = desks.agentMessages().filter({ hasText: "The member's DMs are closed now" });
    await expect(told).toHaveCount(1);
    await expect(told).toContainText('private thread');

    // The member finds the thread under #help: the reason first, then the agent's message.
    // (Moderators and admins see every private thread; the member's own is named for them.)
    const thread = desks
      .member()
      .getByTestId('thread-channel')
      .filter({ hasText: `Support · ${size.name}` });
    await expect(thread).toHaveCount(1);
    await thread.click();
    await expect(desks.member().getByTestId('chat')).toHaveAttribute('data-place', /^Support · /);
    await expect(desks.lastMessage('privacy settings no longer allow DMs')).toBeVisible();
    await expect(desks.lastMessage('Which controller model is it?')).toBeVisible();
    // Nothing more went to the closed DM.
    await desks.member().getByTestId('dm-channel').click();
    await expect(desks.messages()).not.toContainText('Which controller model is it?');
    await thread.click();

    await desks.say('It is the Starfall Pro pad');
    await expect(desks.agentMessages().filter({ hasText: 'It is the Starfall Pro pad' })).toHaveCount(1);
    await desks.agentSays('Thanks, let me check that pad');
    const newest = desks.lastMessage('Thanks, let me check that pad');
    await expectOnScreen(page, newest, "the agent's reply in the member's thread");
    await expectOnScreen(page, told, 'the notice on the agent desktop');
    await desks.snap(`closed-dms-thread-${size.width}x${size.height}`);

    await desks.endChat();
    // Back to normal for the next story.
    await desks.member().getByTestId('member-settings').click();
    await allowDms.check();
    await expect(allowDms).toBeChecked();
    await page.close();
  });

  test(`${size.width}×${size.height}: a member's edit shows to the agent as edited`, async ({ browser }) => {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    const desks = await openDesks(page, size.member);
    await desks.chatWithAgent('my game keeps crashing');
    await desks.say('I paid with a gift crad');
    const atAgent = desks.agentMessages().filter({ hasText: 'I paid with a gift crad' });
    await expect(atAgent).toHaveCount(1);
    await expect(atAgent.getByTestId('edited')).toHaveCount(0);

    // Hover the own message → Edit, fix the typo, Enter saves.
    const id = await desks.lastMessage('I paid with a gift crad').getAttribute('data-message-id');
    const mine = desks.messages().locator(`[data-message-id="${id}"]`);
    await mine.hover();
    await mine.getByTestId('edit-message').click();
    const editor = mine.getByTestId('edit-input');
    await expect(editor).toBeFocused();
    await editor.fill('I paid with a gift card');
    await editor.press('Enter');
    await expect(mine.getByTestId('edited')).toBeVisible();
    await expect(mine).toContainText('I paid with a gift card');

    const edited = desks.agentMessages().filter({ hasText: 'I paid with a gift card' });
    await expect(edited).toHaveCount(1);
    await expect(edited.getByTestId('edited')).toHaveText('(edited)');
    // The same message changed in place: no second copy, the old text gone.
    await expect(desks.agentMessages().filter({ hasText: 'gift crad' })).toHaveCount(0);
    await expectOnScreen(page, edited, 'the edited message on the agent desktop');
    await desks.snap(`member-edit-${size.width}x${size.height}`);
    await desks.endChat();
    await page.close();
  });
}
