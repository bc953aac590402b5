import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';

const BUG = {
  title: 'Shards vanish after a ranked match',
  whatHappened: 'After finishing a ranked match my Shards balance dropped from 1200 to 0.',
  steps: '1. Play a ranked match\n2. Win\n3. Open the store',
  expectedVsActual: 'Expected 1200 Shards, saw 0',
  severity: 'High',
};

/** The URLs a member would read as raw text: every one not the target of a `[label](url)` link. */
function bareUrls(content: string): string[] {
  return content.replace(/\[[^\]]+\]\(<?https?:\/\/[^)\s]+>?\)/g, '').match(/https?:\/\/\S+/g) ?? [];
}

/** /bug, /new_feature and /case, through the Discord emulator with the real discord.js. */
describe('community commands', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const interactionReply = async (interactionId: string) =>
    eventually(() => {
      const report = stack.discord.control.interaction(interactionId);
      return report.original?.content ? report.original : report.followups[0];
    }, 'the interaction reply');

  it('registers the commands, /new_feature listed for everyone (the bridge decides who may use it)', () => {
    const commands = stack.discord.control.commands();
    expect(commands.map((command) => command.name).sort()).toEqual([
      'bug',
      'case',
      'helpme',
      'new_feature',
      'privacy',
    ]);
    expect(
      commands.find((command) => command.name === 'new_feature')?.default_member_permissions ?? null,
    ).toBeNull();
  });

  it('a /bug round trip opens a case and a tagged forum post, and answers with its link', async () => {
    const opened = await stack.discord.control.runCommand({ user: 'pixelpat', name: 'bug', channel: 'help' });
    expect(opened.response?.type).toBe(9);
    const submitted = await stack.discord.control.submitModal({ user: 'pixelpat', values: BUG });
    const reply = await interactionReply(submitted.interactionId);
    expect(reply.flags! & 64).toBe(64);
    // The link is labelled with the post's name; no bare URL where the member reads.
    expect(reply.content).toMatch(
      /^Thanks! Bug report filed as case #(\d+): \[#\1 · Shards vanish after a ranked match\]\(https:\/\/discord\.com\/channels\/[^)]+\)$/,
    );
    expect(bareUrls(reply.content)).toEqual([]);
    const caseNumber = Number(/#(\d+)/.exec(reply.content)![1]);

    const detail = await stack.bridge.cases.detail(caseNumber);
    expect(detail.case).toMatchObject({ type: 'bug', status: 'open', priority: 'high', subject: BUG.title });
    expect(detail.case.details).toMatchObject({ kind: 'bug', severity: 'high', steps: BUG.steps });
    expect(detail.timeline.map((event) => event.type)).toEqual(['created', 'public_post']);

    const forum = stack.discord.control.channel('bug-report');
    const post = stack.discord.control.channel(detail.case.publicPost!.threadId!);
    expect(post.type).toBe(11);
    expect('parent_id' in post && post.parent_id).toBe(forum.id);
    const tagNames = (id: string) =>
      ('available_tags' in forum ? (forum.available_tags ?? []) : []).find((tag) => tag.id === id)?.name;
    expect(('applied_tags' in post ? (post.applied_tags ?? []) : []).map(tagNames).sort()).toEqual([
      'high',
      'open',
    ]);
    const [starter] = stack.discord.control.messages(post.id);
    expect(starter?.embeds[0]?.title).toBe(`Bug #${caseNumber}: ${BUG.title}`);
  });

  it('a status change from the agent side updates the post: tags and a note in its thread', async () => {
    const [bug] = (await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id)).filter(
      (item) => item.type === 'bug',
    );
    await stack.bridge.cases.update(
      bug!.number,
      { status: 'resolved' },
      { kind: 'agent', id: 'dana@example.com', name: 'Dana' },
    );
    const threadId = bug!.publicPost!.threadId!;
    await stack.discord.control.waitForMessage({
      channel: threadId,
      contains: 'Status changed to **fixed**',
    });
    const forum = stack.discord.control.channel('bug-report');
    const post = stack.discord.control.channel(threadId);
    const names = ('applied_tags' in post ? (post.applied_tags ?? []) : []).map(
      (id) =>
        ('available_tags' in forum ? (forum.available_tags ?? []) : []).find((tag) => tag.id === id)?.name,
    );
    // A resolved bug report is "fixed" for the community: its stage's tag.
    expect(names.sort()).toEqual(['fixed', 'high']);
    // The reporter hears of it too, with a link labelled with the post's name.
    const told = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'it is now **fixed**',
    });
    expect(told.content).toContain(`[#${bug!.number} · ${BUG.title}](https://discord.com/channels/`);
    expect(bareUrls(told.content)).toEqual([]);
  });

  it('a report that fails validation comes back with what was typed, ready to fix', async () => {
    await stack.discord.control.runCommand({ user: 'lucia', name: 'bug', channel: 'help', locale: 'es-ES' });
    const submitted = await stack.discord.control.submitModal({
      user: 'lucia',
      values: { ...BUG, severity: 'terrible' },
    });
    const reply = await interactionReply(submitted.interactionId);
    expect(reply.content).toContain('la gravedad debe ser baja, media, alta o crítica');
    const button = (reply.components ?? []).flatMap((row) =>
      'components' in row ? (row.components as { custom_id?: string }[]) : [],
    )[0];
    const reopened = await stack.discord.control.clickButton({
      user: 'lucia',
      messageId: reply.id,
      customId: button!.custom_id!,
    });
    expect(reopened.response?.type).toBe(9);
    const modal = JSON.stringify(reopened.response);
    expect(modal).toContain(BUG.whatHappened);
    expect(modal).toContain('terrible');
    expect((await stack.bridge.cases.listByMember(stack.discord.control.user('lucia').id)).length).toBe(0);
  });

  it('Lucía picks the severity from a list in Spanish, "Alta", and her case has severity high', async () => {
    const bug = stack.discord.control.commands().find((command) => command.name === 'bug');
    const severity = bug?.options?.find((option) => option.name === 'severity');
    const choices = severity && 'choices' in severity ? (severity.choices ?? []) : [];
    expect(choices.map((choice) => [choice.name_localizations?.['es-ES'], choice.value])).toEqual([
      ['Baja', 'low'],
      ['Media', 'medium'],
      ['Alta', 'high'],
      ['Crítica', 'critical'],
    ]);
    expect(choices.map((choice) => choice.name)).toEqual(['Low', 'Medium', 'High', 'Critical']);

    const opened = await stack.discord.control.runCommand({
      user: 'lucia',
      name: 'bug',
      channel: 'help',
      locale: 'es-ES',
      options: { severity: 'high' },
    });
    // The form does not ask again for what she chose.
    const modal = JSON.stringify(opened.response);
    expect(modal).not.toContain('Gravedad');
    const { severity: _typed, ...rest } = BUG;
    const submitted = await stack.discord.control.submitModal({
      user: 'lucia',
      values: { ...rest, title: 'El inventario se vacía al cambiar de región 🎒' },
    });
    const reply = await interactionReply(submitted.interactionId);
    expect(reply.content).toMatch(/caso #(\d+)/);
    const caseNumber = Number(/#(\d+)/.exec(reply.content)![1]);
    const detail = await stack.bridge.cases.detail(caseNumber);
    expect(detail.case).toMatchObject({ type: 'bug', priority: 'high' });
    expect(detail.case.details).toMatchObject({ kind: 'bug', severity: 'high' });
  });

  it('a second report within the cooldown is refused with a clear message', async () => {
    await stack.discord.control.runCommand({ user: 'pixelpat', name: 'bug', channel: 'help' });
    const submitted = await stack.discord.control.submitModal({
      user: 'pixelpat',
      values: { ...BUG, title: 'Another bug report' },
    });
    const reply = await interactionReply(submitted.interactionId);
    expect(reply.content).toMatch(
      /^You just filed a report\. Please wait \d+ s before filing another one\.$/,
    );
    const bugs = (await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id)).filter(
      (c) => c.type === 'bug',
    );
    expect(bugs).toHaveLength(1);
  });

  it('/new_feature by a member is answered in plain words: who may file one and what to do instead', async () => {
    const outcome = await stack.discord.control.runCommand({
      user: 'pixelpat',
      name: 'new_feature',
      channel: 'help',
    });
    expect(outcome.response?.type).toBe(4);
    const reply = stack.discord.control.interaction(outcome.interactionId).original;
    expect((reply?.flags ?? 0) & 64).toBe(64);
    expect(reply?.content).toBe(
      'Only moderators can file official feature requests. Share your idea in #feature-request — a moderator can make it official.',
    );
    expect(reply?.content).not.toMatch(/\d{4}|permission/i);
    expect(stack.discord.control.messages('feature-request')).toHaveLength(0);
  });

  it('/new_feature by a member whose Discord is in Spanish is refused in Spanish', async () => {
    const outcome = await stack.discord.control.runCommand({
      user: 'lucia',
      name: 'new_feature',
      channel: 'help',
      locale: 'es-ES',
    });
    const reply = stack.discord.control.interaction(outcome.interactionId).original;
    expect(reply?.content).toBe(
      'Solo los moderadores pueden registrar solicitudes oficiales. Comparte tu idea en #feature-request: un moderador puede hacerla oficial.',
    );
  });

  it('/new_feature is accepted for a moderator and posted in #feature-request', async () => {
    const opened = await stack.discord.control.runCommand({
      user: 'maude',
      name: 'new_feature',
      channel: 'help',
    });
    expect(opened.response?.type).toBe(9);
    const submitted = await stack.discord.control.submitModal({
      user: 'maude',
      values: {
        title: 'Replay viewer',
        description: 'Let players watch their last ranked matches again.',
        whyItMatters: 'Learning from mistakes',
      },
    });
    const reply = await interactionReply(submitted.interactionId);
    expect(reply.content).toMatch(/^Feature request filed as case #(\d+): \[#\1 · Replay viewer\]\(https:/);
    expect(bareUrls(reply.content)).toEqual([]);
    const caseNumber = Number(/#(\d+)/.exec(reply.content)![1]);
    const detail = await stack.bridge.cases.detail(caseNumber);
    expect(detail.case).toMatchObject({ type: 'feature', subject: 'Replay viewer' });
    const post = stack.discord.control.channel(detail.case.publicPost!.threadId!);
    expect('parent_id' in post && post.parent_id).toBe(stack.discord.control.channel('feature-request').id);
  });

  it('/case lists only the member’s own cases and never shows another member’s', async () => {
    const list = await stack.discord.control.runCommand({ user: 'pixelpat', name: 'case', channel: 'help' });
    const listed = stack.discord.control.interaction(list.interactionId).original!;
    expect(listed.flags! & 64).toBe(64);
    const description = listed.embeds[0]?.description ?? '';
    expect(description).toContain('bug');
    expect(description).not.toContain('Replay viewer');

    const maudeCases = await stack.bridge.cases.listByMember(stack.discord.control.user('maude').id);
    const foreign = await stack.discord.control.runCommand({
      user: 'pixelpat',
      name: 'case',
      channel: 'help',
      options: { number: maudeCases[0]!.number },
    });
    const refused = stack.discord.control.interaction(foreign.interactionId).original!;
    expect(refused.content).toBe(`Case #${maudeCases[0]!.number} wasn't found among your cases.`);
    expect(JSON.stringify(refused)).not.toContain('Replay viewer');

    const mine = await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id);
    const own = await stack.discord.control.runCommand({
      user: 'pixelpat',
      name: 'case',
      channel: 'help',
      options: { number: mine[0]!.number },
    });
    const shown = stack.discord.control.interaction(own.interactionId).original!;
    expect(shown.embeds[0]?.title).toContain(`Case #${mine[0]!.number}`);
    expect(JSON.stringify(shown.embeds[0])).toContain('Status changed');
  });
});
