import type { FlexHostServer, HostTaskInput } from '@flexcord/flex-host';
import { expect, type Page, test } from '@playwright/test';
import { startPluginHost } from './host.ts';

/**
 * The built bundle in the Flex host page, loaded with a `<script>` tag like Flex loads it: what it
 * registers shows up where Flex would show it. No bridge here — the API URL points at a closed
 * loopback port — so these tests are about the bundle contract and the wiring.
 */

/**
 * A Discord task as real Flex hands it over: Flex wrote `channelType` (`web`, a chat) and its
 * `conversations` object over what the flow set; Flexcord's `customChannelType` survives.
 */
const discordTask: HostTaskInput = {
  sid: `WT${'a'.repeat(32)}`,
  attributes: {
    channelType: 'web',
    customChannelType: 'discord',
    conversations: {
      communication_channel: 'Web',
      media: [{ conversation_sid: `CH${'1'.repeat(32)}` }],
      initiated_by: 'Customer',
      direction: 'Inbound',
    },
    initiatedBy: 'customer',
    direction: 'inbound',
    flexInteractionChannelSid: `UO${'1'.repeat(32)}`,
    conversationSid: `CH${'1'.repeat(32)}`,
    caseNumber: 7,
    discordUserId: '123456789012345678',
    discordUsername: 'mika_plays',
    customerName: 'Mika',
    from: 'discord:123456789012345678',
  },
};

const webChatTask: HostTaskInput = {
  sid: `WT${'b'.repeat(32)}`,
  attributes: { channelType: 'web', conversationSid: `CH${'2'.repeat(32)}`, from: 'Jordan', name: 'Jordan' },
};

let host: FlexHostServer;
test.beforeAll(async () => {
  host = await startPluginHost();
});
test.afterAll(async () => {
  await host.close();
});

async function openHost(page: Page, tasks: HostTaskInput[]) {
  await page.goto(host.url);
  await page.evaluate(() => window.flexHostReady);
  await page.evaluate((tasks) => {
    window.FlexHost?.setServiceConfiguration({ ui_attributes: { flexcord_api_url: 'http://127.0.0.1:9' } });
    window.FlexHost?.setToken('test-token');
    window.FlexHost?.setTasks(tasks);
  }, tasks);
}

const listItem = (page: Page, task: HostTaskInput) =>
  page.locator(`[data-testid="task-list-item"][data-task-sid="${task.sid}"]`);

test('the bundle loads like a Flex plugin and initialises without errors', async ({ page }) => {
  await openHost(page, []);
  expect(await page.evaluate(() => window.FlexHost?.plugins())).toEqual(['FlexcordPlugin']);
  expect(await page.evaluate(() => window.FlexHost?.errors())).toEqual([]);
});

test('a Discord task shows the Discord icon, blurple and the member name; a web chat does not', async ({
  page,
}) => {
  await openHost(page, [discordTask, webChatTask]);

  const discord = listItem(page, discordTask);
  await expect(discord).toHaveAttribute('data-channel', 'discord');
  await expect(discord.locator('svg[data-flexcord-icon="discord"]')).toBeVisible();
  await expect(discord.getByTestId('task-icon')).toHaveCSS('background-color', 'rgb(88, 101, 242)');
  await expect(discord.getByTestId('task-first-line')).toHaveText('Mika');
  await expect(discord).not.toContainText('discord:');

  const web = listItem(page, webChatTask);
  await expect(web).toHaveAttribute('data-channel', 'default');
  await expect(web.locator('svg[data-flexcord-icon="discord"]')).toHaveCount(0);
  await expect(web.getByTestId('task-first-line')).toHaveText('Jordan');

  // The selected (first) task's canvas header uses the channel's template and active icon too.
  await expect(page.getByTestId('task-header-title')).toHaveText('Mika');
  await expect(
    page.getByTestId('task-header-icon').locator('svg[data-flexcord-icon="discord"]'),
  ).toBeVisible();
});

test('a task made before customChannelType (channelType "discord" kept) is still a Discord task', async ({
  page,
}) => {
  const { customChannelType: _, conversations: __, ...rest } = discordTask.attributes ?? {};
  const older: HostTaskInput = { ...discordTask, attributes: { ...rest, channelType: 'discord' } };
  await openHost(page, [older]);
  const item = listItem(page, older);
  await expect(item).toHaveAttribute('data-channel', 'discord');
  await expect(item.locator('svg[data-flexcord-icon="discord"]')).toBeVisible();
  await expect(
    page.locator('[data-flex-component="CRMContainer"]').getByTestId('flexcord-case-panel'),
  ).toBeVisible();
});

test('without a display name the header shows the Discord username, never the identity', async ({ page }) => {
  const { customerName: _, ...attributes } = discordTask.attributes ?? {};
  await openHost(page, [{ ...discordTask, attributes }]);
  await expect(page.getByTestId('task-header-title')).toHaveText('mika_plays');
  await expect(listItem(page, discordTask).getByTestId('task-first-line')).toHaveText('mika_plays');
});

test('the case panel and the KB button render for a Discord task; a web chat keeps the CRM container', async ({
  page,
}) => {
  await openHost(page, [discordTask, webChatTask]);

  const crm = page.locator('[data-flex-component="CRMContainer"]');
  const panel = crm.getByTestId('flexcord-case-panel');
  await expect(panel).toBeVisible();
  // The bridge is not running: the panel says so instead of failing silently.
  await expect(panel.getByRole('alert')).toContainText('Flexcord is not reachable');

  const actions = page.locator('[data-flex-component="MessageInputActions"]');
  const kbButton = actions.getByTestId('flexcord-kb-button');
  await expect(kbButton).toBeVisible();
  // It comes before Flex's own send button (sortOrder -1).
  await expect(actions.locator('button').first()).toHaveAttribute('data-testid', 'flexcord-kb-button');
  await kbButton.click();
  await expect(page.getByRole('dialog', { name: 'Knowledge base' })).toBeVisible();
  await expect(page.getByLabel('Search canned replies and the knowledge base')).toBeVisible();

  await page.evaluate((sid) => window.FlexHost?.selectTask(sid), webChatTask.sid);
  await expect(page.getByTestId('flexcord-case-panel')).toHaveCount(0);
  await expect(crm).toContainText('CRM container');
  await expect(page.getByTestId('flexcord-kb-button')).toBeVisible();
});
