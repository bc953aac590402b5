import { expect, type FrameLocator, type Locator, type Page, test } from '@playwright/test';

/** The screen sizes the screens are judged at. */
export const SCREEN_SIZES = [
  [1280, 720],
  [1366, 768],
  [1920, 1080],
] as const;

/** The sandbox page's two panes, as a person uses them. */
export class Desks {
  constructor(readonly page: Page) {}

  /** Opens the sandbox at `url` (as `member`, if given) and waits for both panes to be ready. */
  static async open(page: Page, url: string, member?: string): Promise<Desks> {
    const desks = new Desks(page);
    await page.goto(member ? `${url}/?member=${member}` : url);
    await expect(desks.member().locator('button.channel[data-channel="help"]')).toBeVisible();
    await expect(desks.agent().getByTestId('host-plugins')).toContainText('FlexcordPlugin');
    return desks;
  }

  member = () => this.page.getByTestId('member-client');
  agent = (): FrameLocator => this.page.frameLocator('[data-testid="agent-frame"]');
  messages = () => this.member().getByTestId('messages');
  input = () => this.member().getByTestId('message-input');
  lastMessage = (text: string | RegExp): Locator =>
    this.messages().getByTestId('message').filter({ hasText: text }).last();
  agentMessages = () => this.agent().getByTestId('message-list').getByTestId('message');

  async openChannel(name: string): Promise<void> {
    await this.member().locator(`button.channel[data-channel="${name}"]`).click();
    await expect(this.member().getByTestId('chat')).toHaveAttribute('data-place', name);
  }

  /** Switches the member pane to the member whose picker entry matches `label`. */
  async playAs(label: RegExp): Promise<void> {
    const picker = this.page.getByTestId('member-picker');
    const option = picker.locator('option').filter({ hasText: label });
    await picker.selectOption({ label: (await option.textContent()) ?? '' });
  }

  /** Types `/name`, picks it from the autocomplete, fills its options and runs it (in EN or ES). */
  async runCommand(name: string, options: Record<string, string> = {}): Promise<void> {
    await this.input().fill(`/${name.slice(0, 2)}`);
    const suggestions = this.member().getByTestId('command-suggestions');
    await suggestions.getByRole('option', { name: new RegExp(`^/${name}\\b`) }).click();
    const form = this.member().getByTestId('command-form');
    await expect(form).toContainText(`/${name}`);
    for (const [option, value] of Object.entries(options)) await form.getByLabel(option).fill(value);
    await this.member()
      .getByRole('button', { name: /^(Run|Ejecutar)$/ })
      .click();
  }

  async say(text: string): Promise<void> {
    await this.input().fill(text);
    await this.input().press('Enter');
    await expect(this.lastMessage(text)).toBeVisible();
  }

  /** /helpme in #help, a question, "Talk to an agent", and Dana accepts: the chat is with an agent. */
  async chatWithAgent(question: string): Promise<void> {
    await this.openChannel('help');
    await this.input().fill('/he');
    await this.member()
      .getByTestId('command-suggestions')
      .getByRole('option', { name: /^\/helpme\b/ })
      .click();
    await this.member().getByRole('button', { name: 'Run' }).click();
    await this.member().getByTestId('dm-channel').click();
    await expect(this.lastMessage('support assistant')).toBeVisible();
    await this.say(question);
    const answer = this.lastMessage(
      /Here is what I found|couldn't find an article|not sure I have an article/,
    );
    await answer.getByRole('button', { name: 'Talk to an agent' }).click();
    await expect(this.agent().getByTestId('incoming-tasks')).toContainText('Incoming:');
    await this.agent().getByTestId('accept').click();
    await expect(this.lastMessage('joined the chat')).toContainText('Dana');
  }

  /** Dana sends the reply box. */
  async agentSays(text: string): Promise<void> {
    await this.agent().getByTestId('reply-box').fill(text);
    await this.agent().getByTestId('send-button').click();
    await expect(this.lastMessage(text.slice(0, 40))).toBeVisible();
  }

  async endChat(): Promise<void> {
    await this.agent().getByTestId('end-chat').click();
    await expect(this.lastMessage('This chat has ended')).toBeVisible();
  }

  /** A screenshot of the whole page, kept with the test's results. */
  async snap(name: string): Promise<void> {
    const testInfo = test.info();
    const path = testInfo.outputPath(`${name}.png`);
    await this.page.screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  }

  /** The page at each of {@link SCREEN_SIZES}, then back to the size it had. */
  async snapSizes(name: string): Promise<void> {
    const before = this.page.viewportSize();
    for (const [width, height] of SCREEN_SIZES) {
      await this.page.setViewportSize({ width, height });
      await this.snap(`${name}-${width}x${height}`);
    }
    if (before) await this.page.setViewportSize(before);
  }
}

/**
 * Asserts the element is wholly on screen: inside the page's viewport (an element in the agent
 * frame is measured in page coordinates), not cut off or scrolled away.
 */
export async function expectOnScreen(page: Page, locator: Locator, what: string): Promise<void> {
  await expect(locator, what).toBeVisible();
  await expect(locator, what).toBeInViewport({ ratio: 1 });
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  expect(box, `${what} has a box`).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box.y + box.height, `${what}: bottom edge`).toBeLessThanOrEqual(viewport.height + 0.5);
}
