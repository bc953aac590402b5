import type { FlexHostServer, HostTaskInput } from '@flexcord/flex-host';
import { eventually } from '@flexcord/testkit';
import { expect, type Page, test } from '@playwright/test';
import { startPluginHost } from './host.ts';
import { type FlexcordStack, startFlexcordStack } from './story/flexcord-stack.ts';

/**
 * The agent's side of the story against the REAL bridge: a member asks for help in Discord (the
 * Discord emulator), the Studio flow hands the chat to Flex (the Twilio emulator), Dana accepts the
 * task — and in the built plugin, loaded in the Flex host page with Dana's Flex token, she works the
 * case and answers from the knowledge base. Every call from the browser goes to the bridge.
 */

test.describe.configure({ mode: 'serial' });

const MEMBER = 'mika_plays';

let host: FlexHostServer;
let stack: FlexcordStack;
let task: HostTaskInput & { attributes: Record<string, unknown> };
let conversationSid: string;
let caseNumber: number;
let token: string;
let danaIdentity: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  host = await startPluginHost();
  stack = await startFlexcordStack({ corsOrigin: new URL(host.url).origin });
  // Without a token the plugin API answers 401; a 404 means this bridge does not serve it at all.
  const probe = await fetch(`${stack.bridge.url}/api/kb/search?q=crash`);
  test.skip(
    probe.status === 404,
    'this bridge does not serve the plugin API (/api) yet: pluginApiRoutes is not mounted',
  );
  const { discord, twilio } = stack;

  // Mika asks for a human: /helpme in #help, then "agent please" in the DM.
  const userId = discord.control.user(MEMBER).id;
  await discord.control.runCommand({ user: MEMBER, name: 'helpme', channel: 'help' });
  await discord.control.waitForMessage({ dmWith: MEMBER, contains: 'support assistant' });
  discord.control.sendMessage({ user: MEMBER, content: 'my game crashes on startup, agent please' });
  await discord.control.waitForMessage({ dmWith: MEMBER, contains: 'Connecting you to an agent' });
  const flexTask = await eventually(
    () => twilio.control.tasks().find((candidate) => candidate.attributes.discordUserId === userId),
    'the Flex task',
  );
  twilio.control.acceptTask(flexTask.sid, 'Dana');
  await discord.control.waitForMessage({ dmWith: MEMBER, contains: 'joined the chat' });

  task = { sid: flexTask.sid, attributes: flexTask.attributes };
  conversationSid = String(flexTask.attributes.conversationSid);
  caseNumber = Number(flexTask.attributes.caseNumber);
  ({ token, identity: danaIdentity } = twilio.control.issueFlexToken('Dana'));

  page = await browser.newPage();
  // The host's Send goes where Flex would send it: into the Conversation, as Dana.
  await page.exposeFunction('sendAsDana', (sid: string, body: string) => {
    twilio.control.sendAgentMessage('Dana', sid, { body });
  });
  await page.goto(host.url);
  await page.evaluate(() => window.flexHostReady);
  await page.evaluate(
    ({ token, apiUrl, task }) => {
      const flexHost = window.FlexHost;
      if (!flexHost) throw new Error('no FlexHost on the page');
      flexHost.setUser({ identity: 'Dana' });
      flexHost.setToken(token);
      flexHost.setServiceConfiguration({ ui_attributes: { flexcord_api_url: apiUrl } });
      flexHost.onSendMessage(({ conversationSid, body }) =>
        (window as unknown as { sendAsDana(sid: string, body: string): Promise<void> }).sendAsDana(
          conversationSid,
          body,
        ),
      );
      flexHost.setTasks([task]);
    },
    { token, apiUrl: stack.bridge.url, task },
  );
});

test.afterAll(async () => {
  await page?.close();
  await stack?.stop();
  await host?.close();
});

const panel = () => page.getByTestId('flexcord-case-panel');

test('the handed-over task carries the case; the task list names Mika with the Discord icon', async () => {
  expect(task.attributes).toMatchObject({ customChannelType: 'discord', discordUsername: MEMBER });
  expect(caseNumber).toBeGreaterThan(0);
  const item = page.locator(`[data-testid="task-list-item"][data-task-sid="${task.sid}"]`);
  await expect(item.locator('svg[data-flexcord-icon="discord"]')).toBeVisible();
  await expect(item.getByTestId('task-first-line')).not.toContainText('discord:');
  await expect(item.getByTestId('task-first-line')).toHaveText(/Mika|mika_plays/);
});

test('the case panel shows the case from the bridge: member, and the timeline up to Dana joining', async () => {
  await expect(panel().getByRole('heading', { name: `Case #${caseNumber}` })).toBeVisible();
  await expect(panel().getByTestId('flexcord-case-status')).toHaveText('Open');
  const member = panel().getByTestId('flexcord-member');
  await expect(member).toContainText('@mika_plays');
  // Names where a person reads: the member's Discord id is not shown.
  await expect(member).not.toContainText(stack.discord.control.user(MEMBER).id);
  const timeline = panel().getByTestId('flexcord-timeline');
  await expect(timeline.locator('[data-event-type="created"]')).toHaveCount(1);
  await expect(timeline.locator('[data-event-type="handover_requested"]')).toHaveCount(1);
  await expect(timeline.locator('[data-event-type="agent_joined"]')).toHaveCount(1);
});

test('Dana sets the case to pending: the panel shows it at once and the bridge has it', async () => {
  await panel().getByLabel('Status').selectOption('pending');
  await expect(panel().getByTestId('flexcord-case-status')).toHaveText('Pending');
  await expect(panel().locator('[data-event-type="status_changed"]')).toContainText('from Open to Pending');
  const stored = await stack.readCase(caseNumber);
  expect(stored.case.status).toBe('pending');
});

test('Dana adds an internal note: it joins the timeline, and Mika never sees it', async () => {
  const note = 'Crash on launch after the patch; asked for the crash report';
  await panel().getByLabel('Internal note').fill(note);
  await panel().getByRole('button', { name: 'Add note' }).click();
  await expect(panel().locator('[data-event-type="note"]')).toContainText(note);
  await expect(panel().getByLabel('Internal note')).toHaveValue('');
  const stored = await stack.readCase(caseNumber);
  expect(stored.timeline.find((event) => event.type === 'note')).toMatchObject({
    visibility: 'internal',
    data: { body: note },
  });
  expect(
    stack.discord.control
      .dmMessages(MEMBER)
      .map((m) => m.content)
      .join('\n'),
  ).not.toContain(note);
});

test('Dana answers from the knowledge base: the article lands in the reply box, and Send takes it to Discord', async () => {
  const replyBox = page.getByTestId('reply-box');
  await replyBox.fill('Sorry about that, Mika!');
  await page.getByTestId('flexcord-kb-button').click();
  await page.getByLabel('Search canned replies and the knowledge base').fill('crash startup');
  const result = page.getByTestId('flexcord-kb-result').filter({ hasText: 'The game crashes on startup' });
  await result.click();

  const url = 'https://support.flexcord.example/articles/game-crashes-on-startup';
  await expect(replyBox).toHaveValue(
    `Sorry about that, Mika!\nThis article should help: The game crashes on startup – ${url}`,
  );
  const setInput = await page.evaluate(() => window.FlexHost?.actions('SetInputText') ?? []);
  expect(setInput.at(-1)?.payload).toMatchObject({ conversationSid });
  // Inserting never sends: nothing new reached Mika yet.
  expect(stack.discord.control.dmMessages(MEMBER).some((m) => m.content.includes(url))).toBe(false);

  await page.getByTestId('send-button').click();
  const delivered = await stack.discord.control.waitForMessage({ dmWith: MEMBER, contains: url });
  expect(delivered.content).toContain('The game crashes on startup');
});

test('when the bridge refuses the token, the panel says so and keeps the case as it was', async () => {
  await page.evaluate(() => window.FlexHost?.setToken('not-a-flex-token'));
  await panel().getByLabel('Priority').selectOption('urgent');
  await expect(panel().getByTestId('flexcord-case-error')).toContainText('did not accept your Flex session');
  await expect(panel().getByTestId('flexcord-case-priority')).toHaveText('Normal priority');
  expect((await stack.readCase(caseNumber)).case.priority).toBe('normal');
  await page.evaluate((token) => window.FlexHost?.setToken(token), token);
  // Dana took the chat, so the case is hers: it names her, and "Assign to me" is not offered to her.
  await expect(panel().getByTestId('flexcord-case-assignee')).toContainText('Assigned to Dana');
  await expect(panel().getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
  // The bridge records agents by their plain identity (Flex escapes `@` and `.` in tokens).
  expect((await stack.readCase(caseNumber)).case.assignee).toBe(
    danaIdentity.replace('_40', '@').replace('_2E', '.'),
  );
});
