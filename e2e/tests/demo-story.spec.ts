import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * The seed demo's story in the browser, against the sandbox: everything the page shows comes from
 * the Discord and Twilio emulators and the real bridge; the test only clicks and types, and waits
 * on what the page shows.
 */
test.describe.configure({ mode: 'serial' });

let running: TestSandbox;
let page: Page;
let desks: Desks;
let caseNumber = '';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  running = await startTestSandbox();
  page = await browser.newPage();
  desks = await Desks.open(page, running.url);
});

test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

const casePanel = () => desks.agent().getByTestId('flexcord-case-panel');

test('/helpme in #help: the bot answers in a DM, and a KB answer comes with "Talk to an agent"', async () => {
  await desks.openChannel('help');
  await desks.input().fill('/he');
  await expect(desks.member().getByTestId('command-suggestions')).toContainText('/helpme');
  await desks.snap('01-slash-autocomplete');
  await desks.runCommand('helpme');
  await expect(desks.lastMessage("I've sent you a DM")).toContainText('Only you can see this');

  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('support assistant')).toBeVisible();
  await desks.input().fill('my game crashes on startup');
  await desks.input().press('Enter');
  const answer = desks.lastMessage('Here is what I found');
  await expect(answer.getByTestId('embed').first()).toBeVisible();
  await expect(answer).toContainText('crashes on startup');
  await expect(answer.getByRole('button', { name: 'Talk to an agent' })).toBeVisible();
  await desks.snap('02-kb-answer');
});

test('"Talk to an agent": the case notice, and the task rings on the agent desktop', async () => {
  await desks.lastMessage('Here is what I found').getByRole('button', { name: 'Talk to an agent' }).click();
  const notice = desks.lastMessage(/Case #\d+ created/);
  await expect(notice).toContainText('Connecting you to an agent');
  caseNumber = /Case #(\d+)/.exec((await notice.textContent()) ?? '')?.[1] ?? '';
  expect(caseNumber).not.toBe('');

  const incoming = desks.agent().getByTestId('incoming-tasks');
  await expect(incoming).toContainText('Incoming: Pat');
  await desks.snap('03-case-notice-and-incoming-task');
});

test('Dana accepts: the real plugin shows the Discord task and the case; Pat sees "Dana joined the chat"', async () => {
  await desks.agent().getByTestId('accept').click();
  const item = desks.agent().getByTestId('task-list-item').first();
  await expect(item.locator('svg[data-flexcord-icon="discord"]')).toBeVisible();
  await expect(item.getByTestId('task-first-line')).not.toContainText('discord:');
  await expect(casePanel().getByRole('heading', { name: `Case #${caseNumber}` })).toBeVisible();
  await expect(desks.lastMessage('joined the chat')).toContainText('Dana');
  // Pat pressed a button and typed nothing: Dana reads what Pat did, not words in Pat's name.
  const list = desks.agent().getByTestId('message-list');
  await expect(list.getByTestId('flexcord-handover-notice')).toHaveText('↪ Pat pressed “Talk to an agent”');
  await expect(list).not.toContainText('I would like to talk to an agent');
  await desks.snap('04-agent-joined');
});

test('messages both ways: Dana replies from the desktop, Pat answers in Discord', async () => {
  const replyBox = desks.agent().getByTestId('reply-box');
  await replyBox.fill('Hi Pat, sorry about the crashes! Which platform are you on?');
  await desks.agent().getByTestId('send-button').click();
  await expect(desks.lastMessage('Which platform are you on?')).toHaveAttribute('data-author', 'Flexcord');

  await desks.input().fill('PC, since the last patch');
  await desks.input().press('Enter');
  await expect(
    desks.agent().getByTestId('message').filter({ hasText: 'PC, since the last patch' }),
  ).toBeVisible();
  await desks.snap('05-messages-both-ways');
});

test("the case is Dana's from her accept, and the panel follows a change made elsewhere without a reload", async () => {
  await expect(casePanel().getByTestId('flexcord-case-assignee')).toHaveText('Assigned to Dana');
  await expect(casePanel().getByTestId('flexcord-timeline')).toContainText('Dana took the chat');
  // Leo, at another desk, may not change Dana's case (only supervisors may), but his note shows
  // up in Dana's panel by itself.
  const { token } = running.sandbox.twilio.control.issueFlexToken('Leo');
  const asLeo = (path: string, method: string, body: unknown) =>
    fetch(`${running.sandbox.bridgeUrl}/api/cases/${caseNumber}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await asLeo('', 'PATCH', { priority: 'high' })).status).toBe(403);
  expect((await asLeo('/notes', 'POST', { body: 'Same crash reported on the forum.' })).status).toBe(201);
  await expect(casePanel().getByTestId('flexcord-timeline')).toContainText(
    'Same crash reported on the forum.',
  );
  await desks.snap('06a-assigned-and-followed');
});

test("Dana transfers Pat to Leo: Pat is told, Dana's task is done, Leo accepts and the case is his", async () => {
  await desks.agent().getByTestId('transfer-picker').selectOption('Leo');
  await expect(desks.lastMessage('is passing your chat to')).toContainText('Leo');
  await expect(desks.agent().getByTestId('task-list-item')).toHaveCount(0);
  await desks.agent().getByTestId('agent-picker').selectOption('Leo');
  await expect(desks.agent().getByTestId('incoming-tasks')).toContainText('Incoming: Pat');
  await desks.agent().getByTestId('accept').click();
  await expect(desks.lastMessage('joined the chat')).toContainText('Leo');
  await expect(casePanel().getByTestId('flexcord-case-assignee')).toHaveText('Assigned to Leo');
  await expect(casePanel().getByTestId('flexcord-timeline')).toContainText('transferred the chat to Leo');
  await expect(casePanel().getByTestId('flexcord-timeline')).toContainText('Leo took the chat');
  await desks.snap('06b-transferred-to-leo');
});

test('Leo resolves and ends the chat: Pat hears the case is resolved; Send gives way to "ended"; wrap-up completes the task', async () => {
  await casePanel().getByLabel('Status').selectOption('resolved');
  await expect(casePanel().getByTestId('flexcord-case-status')).toHaveText('Resolved');
  await expect(desks.lastMessage('marked')).toContainText(`case #${caseNumber}`);

  await desks.agent().getByTestId('end-chat').click();
  await expect(desks.lastMessage('This chat has ended')).toContainText(`Case #${caseNumber} is resolved`);
  await expect(desks.agent().getByTestId('chat-ended')).toContainText('This chat has ended');
  await expect(desks.agent().getByTestId('reply-box')).toHaveCount(0);
  const wrapUp = casePanel().getByTestId('flexcord-wrap-up');
  await wrapUp.getByLabel(/Disposition/).selectOption('resolved');
  await wrapUp.getByLabel('Wrap-up note').fill('Crash fixed by the 1.4.2 hotfix.');
  await desks.snapSizes('06c-wrap-up');
  await wrapUp.getByRole('button', { name: 'Complete' }).click();
  await expect(desks.agent().getByTestId('task-list-item')).toHaveCount(0);
  const tasks = running.sandbox.twilio.control.tasks();
  expect(tasks.map((task) => task.assignmentStatus)).toEqual(['completed', 'completed']);
  expect(tasks[1]?.attributes.conversations).toMatchObject({ outcome: 'Resolved' });
  await desks.snap('06d-completed');
});

test('Pat rates the chat 5 and adds a comment; the case panel shows the rating, the chats and downloads the transcript', async () => {
  const survey = desks.lastMessage('Rate this chat');
  await expect(survey).toContainText('How did Leo do?');
  await desks.snap('06e-survey');
  await survey.getByRole('button', { name: '5 ★' }).click();
  const thanks = desks.lastMessage('You rated this chat');
  await expect(thanks).toContainText('5/5');
  await thanks.getByRole('button', { name: 'Add a comment' }).click();
  const modal = desks.member().getByRole('dialog', { name: 'Your comment' });
  await modal.getByLabel('What should the team know?').fill('Leo sorted it out fast');
  await modal.getByRole('button', { name: 'Submit' }).click();
  await expect(modal).toBeHidden();
  await expect(desks.lastMessage('your comment is with the team')).toBeVisible();

  await desks.agent().getByRole('button', { name: 'Cases' }).click();
  // Beside the member's pane the desk is narrow: its filters fold behind a button.
  const filters = desks.agent().getByTestId('flexcord-desk-filters-toggle');
  if (await filters.isVisible()) await filters.click();
  await desks.agent().getByTestId('flexcord-desk-status').selectOption('Resolved');
  await desks.agent().locator(`[data-testid="flexcord-desk-row"][data-case-number="${caseNumber}"]`).click();
  const panel = desks.agent().getByTestId('flexcord-desk-panel');
  await expect(panel.getByTestId('flexcord-case-rating')).toHaveText('Rated ★★★★★ 5/5');
  const chat = panel.getByTestId('flexcord-chat').first();
  await expect(chat).toContainText('with Dana, Leo');
  await expect(chat.getByTestId('flexcord-chat-comment')).toHaveText('“Leo sorted it out fast”');
  await expect(panel.getByTestId('flexcord-timeline')).toContainText('rated the chat 5/5');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('flexcord-download-transcript').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`case-${caseNumber}-transcript.md`);
  const transcript = readFileSync((await download.path()) ?? '', 'utf8');
  expect(transcript).toContain(`# Case #${caseNumber}`);
  expect(transcript).toContain('with Dana, Leo');
  expect(transcript).toContain('rated 5/5');
  expect(transcript).toContain('Leo joined the chat');
  await desks.snapSizes('06f-rating-and-transcript');
  await desks.agent().getByRole('button', { name: 'Agent desktop' }).click();
});

test('/case shows Pat the case as resolved', async () => {
  await desks.runCommand('case');
  const list = desks.lastMessage('Your cases');
  await expect(list).toContainText(`#${caseNumber}`);
  await expect(list).toContainText('resolved');
  await desks.snap('07-case-command');
});

test('/bug: the modal form files a case and a tagged post appears in #bug-report', async () => {
  await desks.openChannel('help');
  await desks.runCommand('bug');
  const modal = desks.member().getByRole('dialog', { name: 'Report a bug' });
  await modal.getByLabel('Title').fill('Crash when opening the shop');
  await modal.getByLabel('What happened?').fill('The game freezes then closes when I open the shop tab.');
  await modal.getByLabel('Steps to reproduce').fill('1. Launch the game\n2. Open the shop');
  await modal.getByLabel(/Severity/).fill('high');
  await desks.snap('08-bug-modal');
  await modal.getByRole('button', { name: 'Submit' }).click();
  await expect(modal).toBeHidden();
  await expect(desks.lastMessage('Bug report filed as case')).toContainText('Only you can see this');

  await desks.openChannel('bug-report');
  const post = desks.member().getByTestId('forum-post').filter({ hasText: 'Crash when opening the shop' });
  await expect(post.getByTestId('forum-tag').filter({ hasText: 'high' })).toBeVisible();
  await expect(post.getByTestId('forum-tag').filter({ hasText: 'open' })).toBeVisible();
  await desks.snap('09-bug-forum-post');
  await post.click();
  await expect(desks.lastMessage('The game freezes')).toBeVisible();
});

test('/new_feature is refused for a member in plain words: who may, and where to go instead', async () => {
  await desks.openChannel('general');
  await desks.runCommand('new_feature');
  const refusal = desks.lastMessage('Only moderators can file official feature requests');
  await expect(refusal).toContainText('Share your idea in #feature-request');
  await expect(refusal).toContainText('Only you can see this');
  await expect(refusal).not.toContainText(/\d{4}/);
  await expect(desks.member().getByRole('dialog')).toHaveCount(0);
  await desks.snap('10-new-feature-refused');
});

test('an announcement published to the feed appears in #announcements', async () => {
  await desks.openChannel('announcements');
  await page.getByTestId('publish-announcement').click();
  const title = (await page.getByTestId('published').textContent())?.match(/“(.+)”/)?.[1] ?? '';
  expect(title).not.toBe('');
  await expect(desks.lastMessage(title).getByTestId('embed')).toBeVisible();
  await desks.snap('11-announcement');
});

test("an idle chat closed by Twilio's timer: Pat is told once, Dana sees it ended, and no task stays in Flex", async () => {
  await desks.openChannel('help');
  await desks.runCommand('helpme');
  await desks.member().getByTestId('dm-channel').click();
  await desks.input().fill('agent please');
  await desks.input().press('Enter');
  await expect(desks.lastMessage(/Connecting you to an agent/)).toBeVisible();
  await desks.agent().getByTestId('agent-picker').selectOption('Dana');
  await desks.agent().getByTestId('accept').click();
  await expect(desks.lastMessage('joined the chat')).toContainText('Dana');
  const control = running.sandbox.twilio.control;
  const open = () =>
    control.tasks().filter((task) => !['completed', 'canceled'].includes(task.assignmentStatus));
  await expect.poll(() => open().length).toBe(1);

  control.advanceClock('PT25H');
  await expect(desks.lastMessage('nobody wrote')).toContainText('This chat has ended');
  await expect.poll(() => open().length).toBe(0);
  await expect(desks.agent().getByTestId('chat-ended')).toContainText('Twilio closed the conversation');
  await expect(desks.agent().getByTestId('reply-box')).toHaveCount(0);
  await expect(desks.messages().getByTestId('message').filter({ hasText: 'nobody wrote' })).toHaveCount(1);
  await desks.snapSizes('12-closed-by-timer');
  await desks.agent().getByTestId('dismiss-task').click();
  await expect(desks.agent().getByTestId('task-list-item')).toHaveCount(0);
});
