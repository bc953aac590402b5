import { CaseDetailResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

interface Button {
  custom_id?: string;
  label?: string;
}

/**
 * "Is it one of these?": before a /bug is filed, the member is shown the open reports that look
 * like theirs (the KB's search over the cases) and adds themselves to one, or files theirs as
 * typed (kept as a draft meanwhile).
 */
describe.each(storages)('similar open reports before /bug files (%s)', (storage) => {
  let stack: Stack;
  let token = '';
  let original = 0;

  const submitBug = async (user: string, locale: string, title: string, whatHappened: string) => {
    await stack.discord.control.runCommand({ user, name: 'bug', channel: 'help', locale });
    const submitted = await stack.discord.control.submitModal({
      user,
      values: { title, whatHappened, steps: 'Open the inventory', expectedVsActual: '', severity: 'high' },
    });
    const answer = await eventually(() => {
      const message = stack.discord.control.interaction(submitted.interactionId).original;
      return message?.content ? message : undefined;
    }, `${user}'s /bug answer`);
    const buttons = (answer.components ?? []).flatMap((row) =>
      'components' in row ? (row.components as Button[]) : [],
    );
    return { answer, buttons };
  };
  const click = async (user: string, messageId: string, button: Button) => {
    const clicked = await stack.discord.control.clickButton({ user, messageId, customId: button.custom_id! });
    return eventually(() => {
      const report = stack.discord.control.interaction(clicked.interactionId);
      const content = report.original?.content ?? report.followups[0]?.content;
      return content && !report.original?.components?.length ? content : undefined;
    }, `${user}'s click answer`);
  };

  beforeAll(async () => {
    stack = await startStack({ storage });
    token = stack.twilio.control.issueFlexToken('Dana').token;
    const first = await submitBug(
      'pixelpat',
      'en-US',
      'Game crashes when opening the inventory',
      'Every time I open the inventory during a match the game crashes to the desktop.',
    );
    expect(first.buttons.map((button) => button.custom_id)).toEqual([]);
    original = Number(/#(\d+)/.exec(first.answer.content)![1]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('offers the similar open report, in the member\'s language, and "Add me" counts them on it', async () => {
    const { answer, buttons } = await submitBug(
      'lucia',
      'es-ES',
      'The game crashes when I open my inventory',
      'Opening the inventory in a match crashes the game.',
    );
    expect(answer.content).toContain('¿Es alguno de estos?');
    expect(answer.content).toContain(`#${original}`);
    expect(answer.flags).toBe(64);
    expect(buttons.map((button) => button.label)).toEqual([`Sumarme a #${original}`, 'No, enviar el mío']);
    const content = await click('lucia', answer.id, buttons[0]!);
    expect(content).toContain(`#${original}`);
    expect(content).toContain('2 reportes');

    const res = await fetch(`${stack.bridge.url}/api/cases/${original}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const detail = CaseDetailResponseSchema.parse(await res.json());
    expect(detail.case.reports).toBe(2);
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'reporter_added', data: { reports: 2 } });
    // Nothing was filed for Lucía.
    expect((await stack.bridge.cases.listByMember(stack.discord.control.user('lucia').id)).length).toBe(0);
  });

  it('offers nothing for an unrelated report: it is filed at once', async () => {
    const { answer, buttons } = await submitBug(
      'maude',
      'en-US',
      'Voice chat echoes',
      'My teammates hear their own voice twice in voice chat.',
    );
    expect(buttons).toEqual([]);
    expect(answer.content).toMatch(/filed as case #\d+/);
  });

  it('"No, file mine" files the kept draft as typed', async () => {
    const { answer, buttons } = await submitBug(
      'quietbob',
      'en-US',
      'Inventory crash on opening',
      'The game crashes when I open the inventory, since yesterday.',
    );
    expect(answer.content).toContain('Is it one of these?');
    const fileMine = buttons.find((button) => button.label === 'No, file mine')!;
    const content = await click('quietbob', answer.id, fileMine);
    expect(content).toMatch(/filed as case #\d+/);
    const filed = Number(/#(\d+)/.exec(content)![1]);
    expect(filed).not.toBe(original);
    const found = await stack.bridge.cases.find(filed);
    expect(found).toMatchObject({ subject: 'Inventory crash on opening', type: 'bug' });
    expect(found?.details).toMatchObject({
      whatHappened: 'The game crashes when I open the inventory, since yesterday.',
    });
    // The answer lost its buttons: nothing more can be filed from it.
    expect(stack.discord.control.message(answer.id)?.components ?? []).toEqual([]);
    expect((await stack.bridge.cases.listByMember(stack.discord.control.user('quietbob').id)).length).toBe(1);
  });

  it("the member who added themselves hears of the report's next stage", async () => {
    const res = await fetch(`${stack.bridge.url}/api/cases/${original}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'investigating' }),
    });
    expect(res.status).toBe(200);
    const dm = await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: 'en investigación' });
    expect(dm.content).toContain(`#${original}`);
  });
});
