import { expect, type Page, test } from '@playwright/test';
import { Desks, expectOnScreen } from '../support/desks.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

/**
 * Files both ways through the real media path (Discord attachments ⇄ Conversations media via MCS),
 * who is talking, and refusals in words — played in the sandbox as a member and an agent would.
 */
test.describe.configure({ mode: 'serial' });

let running: TestSandbox;
let page: Page;
let desks: Desks;

/** A small but real PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const OVER_DISCORD_LIMIT = 10 * 1024 * 1024 + 1024;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  running = await startTestSandbox();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  desks = await Desks.open(page, running.url, 'pixelpat');
  await desks.chatWithAgent('my game crashes on startup');
});
test.afterAll(async () => {
  await page?.close();
  await running?.stop();
});

test('the agent is named as people call them: "Dana" on the desktop, "Dana · Starfall Support" in Discord', async () => {
  await expect(desks.agent().getByTestId('host-agent')).toHaveText('Agent: Dana');
  await desks.agentSays('Hi Pat, I can help with that.');
  const reply = desks.lastMessage('I can help with that');
  await expect(reply.getByTestId('subtext')).toHaveText('Dana · Starfall Support');
  await expect(desks.agent().locator('body')).not.toContainText('_40example');
  await desks.snap('names');
});

test("a member's image shows inline on the agent desktop", async () => {
  // A real 128×128 PNG: one of the Discord emulator's default avatars.
  const png = Buffer.from(
    await (await page.request.get(`${running.sandbox.discord.cdnUrl}/embed/avatars/2.png`)).body(),
  );
  await desks
    .member()
    .getByTestId('upload-file')
    .setInputFiles({ name: 'crash.png', mimeType: 'image/png', buffer: png });
  await expect(desks.member().getByTestId('pending-files')).toContainText('crash.png');
  await desks.input().fill('this is what I see');
  await desks.input().press('Enter');
  await expect(desks.lastMessage('this is what I see').getByTestId('attachment')).toHaveAttribute(
    'data-filename',
    'crash.png',
  );
  // Flex shows no message with both text and a file: the text, then the image on its own.
  await expect(desks.agentMessages().filter({ hasText: 'this is what I see' })).toHaveCount(1);
  const image = desks.agentMessages().getByTestId('message-media').locator('img[alt="crash.png"]');
  await expect(image).toHaveAttribute('alt', 'crash.png');
  await expect
    .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBe(128);
  await expectOnScreen(page, image, 'the image on the agent desktop');
  await desks.snap('member-image-at-agent');
});

test("the agent's PDF arrives in Discord as an attachment the member can open", async () => {
  await desks
    .agent()
    .getByTestId('attach-file')
    .setInputFiles({ name: 'repair-guide.pdf', mimeType: 'application/pdf', buffer: PDF });
  const arrived = desks.messages().getByTestId('attachment').filter({ hasText: 'repair-guide.pdf' });
  await expect(arrived).toBeVisible();
  const href = await arrived.locator('a').getAttribute('href');
  const served = await page.request.get(href ?? '');
  expect(served.headers()['content-type']).toBe('application/pdf');
  expect(Buffer.from(await served.body()).equals(PDF)).toBe(true);
  // The agent sees their file in the conversation too, as a download.
  await expect(
    desks.agentMessages().getByTestId('message-media').filter({ hasText: 'repair-guide.pdf' }),
  ).toBeVisible();
  await desks.snap('agent-pdf-in-discord');
});

test("an agent file over Discord's 10 MB limit: the member is told and the agent sees it was not delivered", async () => {
  await desks
    .agent()
    .getByTestId('attach-file')
    .setInputFiles({
      name: 'gameplay.mp4',
      mimeType: 'video/mp4',
      buffer: Buffer.alloc(OVER_DISCORD_LIMIT, 7),
    });
  const notice = desks.lastMessage('gameplay.mp4');
  await expect(notice).toContainText(
    'Dana tried to send you “gameplay.mp4” (10.1 MB), but Discord only takes files of up to 10 MB here.',
  );
  await expect(notice.getByTestId('attachment')).toHaveCount(0);
  await expect(
    desks.agentMessages().filter({
      hasText: '“gameplay.mp4” (10.1 MB) was not delivered: Discord accepts files of up to 10 MB',
    }),
  ).toBeVisible();
  await desks.snap('agent-file-over-limit');
});

test("a member's file over Discord's upload limit is refused by Discord with a clear notice", async () => {
  await desks
    .member()
    .getByTestId('upload-file')
    .setInputFiles({
      name: 'dump.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(OVER_DISCORD_LIMIT, 1),
    });
  await desks.member().getByRole('button', { name: 'Send' }).click();
  const notice = desks.messages().getByTestId('notice').last();
  await expect(notice).toHaveText(
    /Your file is too large: you can upload files of up to 10 MB\. Try a smaller file, or share a link to it\./,
  );
  await expect(desks.agentMessages().filter({ hasText: 'dump.bin' })).toHaveCount(0);
  await desks.snap('member-file-over-limit');
  await desks.endChat();
});

test('#announcements: read-only for a member, open to a moderator', async () => {
  await desks.openChannel('announcements');
  await expect(desks.input()).toBeDisabled();
  await expect(desks.input()).toHaveAttribute(
    'placeholder',
    'You do not have permission to send messages in this channel.',
  );
  await expectOnScreen(page, desks.input(), 'the read-only message box');
  await expect(desks.member().getByTestId('upload-file')).toHaveCount(0);
  await desks.snap('announcements-member-read-only');

  await page.getByTestId('member-picker').selectOption({ label: 'Maude (@maude) — moderator' });
  await desks.openChannel('announcements');
  await desks.say('Maintenance tonight at 22:00 UTC');
  await expect(desks.lastMessage('Maintenance tonight')).toHaveAttribute('data-author', 'maude');
  await desks.snap('announcements-moderator-posts');
});
