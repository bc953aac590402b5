import type { Fixture } from '@flexcord/discord-emulator';
import type { FlexHostServer } from '@flexcord/flex-host';
import { eventually } from '@flexcord/testkit';
import { expect, type Page, test } from '@playwright/test';
import { startPluginHost } from './host.ts';
import { type FlexcordStack, startFlexcordStack } from './story/flexcord-stack.ts';

/**
 * The case desk against the real bridge: members file /bug reports in Discord, and a triage agent
 * finds one in the plugin's Cases view by a word of its description, opens it in the case panel
 * and moves it on. Screenshots at the three judged sizes.
 */

test.describe.configure({ mode: 'serial' });

const TAGS = [
  'open',
  'investigating',
  'planned',
  'fixed',
  "won't fix",
  'in progress',
  'resolved',
  'closed',
  'low',
  'medium',
  'high',
  'critical',
];
const MEMBERS = ['mika_plays', 'lucia', 'pat'];
const fixture: Fixture = {
  users: [
    { username: 'mika_plays', global_name: 'Mika', locale: 'en-US' },
    { username: 'lucia', global_name: 'Lucía', locale: 'es-ES' },
    { username: 'pat', global_name: 'Pat', locale: 'en-US' },
  ],
  guilds: [
    {
      name: 'Starfall Arena',
      members: MEMBERS.map((user) => ({ user })),
      channels: [
        { name: 'help', topic: 'Run /helpme to talk to support' },
        { name: 'bug-report', type: 'forum', tags: TAGS.map((name) => ({ name })) },
      ],
    },
  ],
};

const REPORTS = [
  {
    user: 'mika_plays',
    title: 'Replay viewer freezes',
    whatHappened:
      'Opening a replay from the spectator tab freezes the client at the kaleidoscope loading art.',
  },
  {
    user: 'lucia',
    title: 'No puedo cambiar la contraseña',
    whatHappened: 'Al pulsar cambiar contraseña aparece un error de conexión y no pasa nada.',
  },
  {
    user: 'pat',
    title: 'Shop prices show in the wrong currency',
    whatHappened: 'The store shows dollars although my region is set to Europe since last season.',
  },
];

let host: FlexHostServer;
let stack: FlexcordStack;
let page: Page;
const cases: Record<string, number> = {};

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  host = await startPluginHost();
  stack = await startFlexcordStack({ corsOrigin: new URL(host.url).origin, fixture });
  const { discord } = stack;
  for (const report of REPORTS) {
    await discord.control.runCommand({ user: report.user, name: 'bug', channel: 'help' });
    const submitted = await discord.control.submitModal({
      user: report.user,
      values: {
        title: report.title,
        whatHappened: report.whatHappened,
        steps: '',
        expectedVsActual: '',
        severity: 'medium',
      },
    });
    const reply = await eventually(
      () => discord.control.interaction(submitted.interactionId).original?.content || undefined,
      `the /bug answer of ${report.user}`,
    );
    cases[report.title] = Number(/#(\d+)/.exec(reply)?.[1]);
  }
  const { token } = stack.twilio.control.issueFlexToken('Dana');
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(host.url);
  await page.evaluate(() => window.flexHostReady);
  await page.evaluate(
    ({ token, apiUrl }) => {
      const flexHost = window.FlexHost!;
      flexHost.setUser({ identity: 'Dana' });
      flexHost.setToken(token);
      flexHost.setServiceConfiguration({ ui_attributes: { flexcord_api_url: apiUrl } });
      flexHost.setTasks([]);
    },
    { token, apiUrl: stack.bridge.url },
  );
});
test.afterAll(async () => {
  await page?.close();
  await stack?.stop();
  await host?.close();
});

const rows = () => page.getByTestId('flexcord-desk-row');

test('the Cases link in the side nav opens the desk with every open report', async () => {
  await page.getByRole('button', { name: 'Cases' }).click();
  expect(await page.evaluate(() => window.FlexHost?.activeView())).toBe('flexcord-cases');
  await expect(rows()).toHaveCount(REPORTS.length);
  await expect(page.getByTestId('flexcord-desk-count')).toHaveText('3 cases');
});

test('a word of a description finds its report, accents or not, and opens it in the case panel', async () => {
  await page.getByTestId('flexcord-desk-search').fill('kaleidoscope');
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toContainText('Replay viewer freezes');
  await page.getByTestId('flexcord-desk-search').fill('contrasena');
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toContainText('No puedo cambiar la contraseña');
  await page.getByTestId('flexcord-desk-search').fill('kaleido');
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toContainText('Replay viewer freezes');
  await rows().first().click();
  const panel = page.getByTestId('flexcord-desk-panel');
  await expect(panel.getByTestId('flexcord-case-subject')).toHaveText('Replay viewer freezes');
  await expect(panel.getByText('kaleidoscope loading art')).toBeVisible();
});

test('"Investigating" from the panel retags the forum post and tells the reporter', async () => {
  const panel = page.getByTestId('flexcord-desk-panel');
  await panel.getByTestId('flexcord-case-stage').selectOption('investigating');
  await expect(panel.getByTestId('flexcord-case-stage')).toHaveValue('investigating');
  const number = cases['Replay viewer freezes']!;
  const found = (await stack.readCase(number)).case;
  const threadId = found!.publicPost!.threadId!;
  const tagNames = () => {
    const forum = stack.discord.control.channel('bug-report');
    const post = stack.discord.control.channel(threadId);
    const available = 'available_tags' in forum ? (forum.available_tags ?? []) : [];
    return ('applied_tags' in post ? (post.applied_tags ?? []) : []).map(
      (id) => available.find((tag) => tag.id === id)?.name,
    );
  };
  await eventually(() => (tagNames().includes('investigating') ? true : undefined), 'the investigating tag');
  expect(tagNames()).not.toContain('open');
  const dm = await stack.discord.control.waitForMessage({
    dmWith: 'mika_plays',
    contains: '**investigating**',
  });
  expect(dm.content).toContain(`#${number}`);
});

test('an official reply from the panel lands in the thread, mentions disabled', async () => {
  const panel = page.getByTestId('flexcord-desk-panel');
  await panel.getByLabel('Official reply').fill('We can reproduce it @everyone — a fix ships next patch.');
  await panel.getByRole('button', { name: 'Post reply' }).click();
  await expect(panel.getByText('Official reply by Dana')).toBeVisible();
  const found = (await stack.readCase(cases['Replay viewer freezes']!)).case;
  const posted = await stack.discord.control.waitForMessage({
    channel: found!.publicPost!.threadId!,
    contains: 'a fix ships next patch',
  });
  expect(posted.mention_everyone).toBe(false);
});

test('a status filter narrows the list', async () => {
  await page.getByTestId('flexcord-desk-search').fill('');
  await page.getByTestId('flexcord-desk-status').selectOption('closed');
  await expect(page.getByText('No case matches these filters.')).toBeVisible();
  await page.getByTestId('flexcord-desk-status').selectOption('active');
  await expect(rows()).toHaveCount(REPORTS.length);
});

test('screenshots of the desk at 1280×720, 1366×768 and 1920×1080', async () => {
  await page.getByTestId('flexcord-desk-search').fill('');
  await rows().first().click();
  for (const [width, height] of [
    [1280, 720],
    [1366, 768],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect(page.getByTestId('flexcord-desk-panel').getByTestId('flexcord-case-subject')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/case-desk-${width}x${height}.png` });
  }
});
