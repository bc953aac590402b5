import { expect, type Page, test } from '@playwright/test';
import { Desks } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * The case desk's story in the browser: a member files /bug; a triage agent finds it in the Cases
 * view by a word of its description and sets "investigating" (the post's tag changes, the member
 * gets a DM); a second member files a similar /bug and is asked "Is it one of these?", files
 * theirs anyway; the agent marks it a duplicate of the first: both members are told, the second
 * post is closed with a link to the first.
 */
test.describe.configure({ mode: 'serial' });

let running: TestSandbox;
let page: Page;
let desks: Desks;
let original = '';
let duplicate = '';

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

const desk = () => desks.agent().getByTestId('flexcord-desk-panel');
const panel = () => desk().getByTestId('flexcord-case-panel');

/** /bug in #help with the modal's labels in the member's language. */
async function fileBug(labels: { modal: string; title: string; what: string }, title: string, what: string) {
  await desks.openChannel('help');
  await desks.runCommand('bug');
  const modal = desks.member().getByRole('dialog', { name: labels.modal });
  await modal.getByLabel(labels.title).fill(title);
  await modal.getByLabel(labels.what).fill(what);
  await modal.getByLabel(/Severity|Gravedad/).fill('medium');
  await modal.getByRole('button', { name: /Submit|Enviar/ }).click();
  await expect(modal).toBeHidden();
}

/** The agent's Cases view, searched for `words`; the row of `subject` opened in its panel. */
async function openInDesk(words: string, subject: string): Promise<string> {
  await desks.agent().getByRole('button', { name: 'Cases' }).click();
  await desks.agent().getByTestId('flexcord-desk-search').fill(words);
  const row = desks.agent().getByTestId('flexcord-desk-row').filter({ hasText: subject });
  await expect(row).toHaveCount(1);
  await row.click();
  await expect(panel().getByTestId('flexcord-case-subject')).toHaveText(subject);
  return (await row.getAttribute('data-case-number')) ?? '';
}

test('Pat files /bug: a case and a tagged post in #bug-report', async () => {
  await desks.playAs(/^Pat/);
  await fileBug(
    { modal: 'Report a bug', title: 'Title', what: 'What happened?' },
    'Ranked queue never starts',
    'The matchmaking spinner keeps turning forever when I queue for ranked.',
  );
  const filed = desks.lastMessage('Bug report filed as case');
  await expect(filed).toContainText('Only you can see this');
  original = /case #(\d+)/.exec((await filed.textContent()) ?? '')?.[1] ?? '';
  expect(original).not.toBe('');
  await desks.openChannel('bug-report');
  const post = desks.member().getByTestId('forum-post').filter({ hasText: 'Ranked queue never starts' });
  await expect(post.getByTestId('forum-tag').filter({ hasText: 'open' })).toBeVisible();
});

test('a triage agent finds it in the Cases view by a word of its description and sets "investigating"', async () => {
  expect(await openInDesk('spinner', 'Ranked queue never starts')).toBe(original);
  await panel().getByTestId('flexcord-case-stage').selectOption('investigating');
  await expect(panel().getByTestId('flexcord-timeline')).toContainText(
    'changed the stage from Open to Investigating',
  );

  const post = desks.member().getByTestId('forum-post').filter({ hasText: 'Ranked queue never starts' });
  await expect(post.getByTestId('forum-tag').filter({ hasText: 'investigating' })).toBeVisible();
  await expect(post.getByTestId('forum-tag').filter({ hasText: /^open$/ })).toHaveCount(0);
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage(`Update on your report #${original}`)).toContainText('investigating');
  await desks.snapSizes('01-investigating');
});

test('Lucía files a similar /bug: "Is it one of these?" offers Pat\'s report; she files hers anyway', async () => {
  await desks.playAs(/^Lucía/);
  await fileBug(
    { modal: 'Reportar un error', title: 'Título', what: '¿Qué pasó?' },
    'La cola clasificatoria no empieza',
    'En ranked el spinner de matchmaking gira para siempre y la partida nunca empieza.',
  );
  const offer = desks.lastMessage('¿Es alguno de estos?');
  await expect(offer).toContainText(`#${original}`);
  await expect(offer.getByRole('button', { name: `Sumarme a #${original}` })).toBeVisible();
  await desks.snapSizes('02-is-it-one-of-these');
  await offer.getByRole('button', { name: 'No, enviar el mío' }).click();
  const filed = desks.lastMessage('Reporte registrado como caso');
  await expect(filed).toBeVisible();
  duplicate = /caso #(\d+)/.exec((await filed.textContent()) ?? '')?.[1] ?? '';
  expect(duplicate).not.toBe('');
  expect(duplicate).not.toBe(original);
});

test("the agent marks Lucía's report a duplicate of Pat's: closed, counted on the original", async () => {
  await desks.agent().getByTestId('flexcord-desk-search').fill('');
  expect(await openInDesk('matchmaking', 'La cola clasificatoria no empieza')).toBe(duplicate);
  await panel().getByLabel('Duplicate of case #').fill(original);
  await panel().getByRole('button', { name: 'Mark as duplicate' }).click();
  await expect(panel().getByTestId('flexcord-case-duplicate-of')).toContainText(`case #${original}`);
  await expect(panel().getByTestId('flexcord-case-status')).toHaveText('Closed');
  await expect(panel().getByTestId('flexcord-timeline')).toContainText(
    `closed it as a duplicate of #${original}`,
  );
  const originalRow = desks
    .agent()
    .getByTestId('flexcord-desk-row')
    .filter({ hasText: 'Ranked queue never starts' });
  await expect(originalRow.getByTestId('flexcord-desk-reports')).toHaveText('2 reports');
  await desks.snapSizes('03-marked-duplicate');
});

test('both reporters are told, and the second post is closed with a link to the first', async () => {
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage(`Tu reporte #${duplicate}`)).toContainText(`#${original}`);
  await expect(desks.lastMessage(`Tu reporte #${duplicate}`)).toContainText('mismo problema');

  await desks.openChannel('bug-report');
  const post = desks
    .member()
    .getByTestId('forum-post')
    .filter({ hasText: 'La cola clasificatoria no empieza' });
  await expect(post.getByTestId('forum-post-closed')).toBeVisible();
  // One status everywhere: the post's tag is its final one…
  await expect(post.getByTestId('forum-tag').filter({ hasText: /^closed$/ })).toBeVisible();
  await expect(post.getByTestId('forum-tag').filter({ hasText: /^open$/ })).toHaveCount(0);
  await post.click();
  await expect(desks.lastMessage('Closed as a duplicate of')).toContainText(`#${original}`);
  // The original is a link labelled with its post's name, never a bare discord.com URL.
  await expect(desks.lastMessage('Closed as a duplicate of')).not.toContainText('discord.com/channels/');
  await expect(desks.lastMessage('Closed as a duplicate of').getByRole('link').first()).toHaveAttribute(
    'href',
    /discord\.com\/channels\//,
  );
  await expect(desks.input()).toBeDisabled();
  await desks.snapSizes('04-duplicate-post-closed');
  // …and /case says the same.
  await desks.openChannel('help');
  await desks.runCommand('case');
  const list = desks.lastMessage('Tus casos');
  await expect(list).toContainText(`#${duplicate}`);
  await expect(list).toContainText('cerrado');

  await desks.playAs(/^Pat/);
  await desks.member().getByTestId('dm-channel').click();
  await expect(desks.lastMessage('Another member reported the same problem')).toContainText('2 reports');
  await desks.snap('05-original-reporter-told');
});
