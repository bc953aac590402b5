import { CaseDetailResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../src/infrastructure/db/members-repository.ts';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

/**
 * An agent marks a report a duplicate of another from the case panel: the duplicate is closed
 * with a link to the original and its forum post archived and locked, both reporters are told in
 * their language, the original counts the duplicate's reporter (and votes); bad requests are
 * refused with a reason.
 */
describe.each(storages)('duplicates (%s)', (storage) => {
  let stack: Stack;
  let dana = '';
  let leo = '';
  const cases: Record<string, { number: number; threadId: string; url: string }> = {};

  /** Files a /bug as `user` (filing theirs when the bridge first offers similar reports). */
  const fileBug = async (key: string, user: string, locale: string, title: string, whatHappened: string) => {
    await stack.discord.control.runCommand({ user, name: 'bug', channel: 'help', locale });
    const submitted = await stack.discord.control.submitModal({
      user,
      values: { title, whatHappened, steps: '', expectedVsActual: '', severity: 'high' },
    });
    let outcome = submitted;
    const first = await eventually(() => {
      const message = stack.discord.control.interaction(submitted.interactionId).original;
      return message?.content ? message : undefined;
    }, 'the /bug answer');
    const fileMine = (first.components ?? [])
      .flatMap((row) => ('components' in row ? (row.components as { custom_id?: string }[]) : []))
      .find((component) => component.custom_id?.startsWith('flexcord:bug-file:'));
    if (fileMine) {
      outcome = await stack.discord.control.clickButton({
        user,
        messageId: first.id,
        customId: fileMine.custom_id!,
      });
    }
    const reply = await eventually(() => {
      const content = stack.discord.control.interaction(outcome.interactionId).original?.content;
      return content && /(filed as case|registrado como caso) #\d+/.test(content) ? content : undefined;
    }, 'the filed answer');
    const number = Number(/(?:filed as case|registrado como caso) #(\d+)/.exec(reply)![1]);
    const found = await eventually(async () => {
      const item = await stack.bridge.cases.find(number);
      return item?.publicPost ? item : undefined;
    }, 'the public post');
    cases[key] = { number, threadId: found.publicPost!.threadId!, url: found.publicPost!.url };
  };

  const call = (token: string, path: string, body: unknown) =>
    fetch(`${stack.bridge.url}/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    stack = await startStack({ storage });
    dana = stack.twilio.control.issueFlexToken('Dana').token;
    leo = stack.twilio.control.issueFlexToken('Leo').token;
    await fileBug(
      'original',
      'pixelpat',
      'en-US',
      'Game freezes on the loading screen',
      'Since the patch the game freezes forever on the loading screen of ranked matches.',
    );
    await fileBug(
      'duplicate',
      'lucia',
      'es-ES',
      'Pantalla de carga congelada',
      'El juego se queda congelado en la pantalla de carga desde la actualización.',
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a self-duplicate, an unknown case and another type, with reasons', async () => {
    const { original, duplicate } = { original: cases.original!, duplicate: cases.duplicate! };
    const self = await call(dana, `/cases/${duplicate.number}/duplicate`, { of: duplicate.number });
    expect(self.status).toBe(400);
    expect(await self.json()).toMatchObject({ error: { code: 'self_duplicate' } });
    const unknown = await call(dana, `/cases/${duplicate.number}/duplicate`, { of: 999_999 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'case_not_found' } });
    const missingBody = await call(dana, `/cases/${duplicate.number}/duplicate`, {});
    expect(missingBody.status).toBe(400);
    const maude = stack.discord.control.user('maude');
    const feature = await stack.db.transaction(async (tx) => {
      await upsertMember(
        tx,
        { id: maude.id, username: maude.username, displayName: 'Maude', avatarUrl: null },
        null,
      );
      return stack.bridge.cases.open(tx, {
        type: 'feature',
        memberId: maude.id,
        subject: 'Faster loading screens',
        details: { kind: 'feature', description: 'Load faster', whyItMatters: '' },
        priority: 'normal',
        actor: { kind: 'system', id: 'test', name: 'test' },
        createdData: { via: 'test' },
      });
    });
    const otherType = await call(dana, `/cases/${feature}/duplicate`, { of: original.number });
    expect(otherType.status).toBe(400);
    expect(await otherType.json()).toMatchObject({ error: { code: 'different_type' } });
  });

  it('an agent may not merge a case assigned to someone else', async () => {
    const { duplicate } = cases;
    const assigned = await fetch(`${stack.bridge.url}/api/cases/${duplicate!.number}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${dana}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assignee: 'me' }),
    });
    expect(assigned.status).toBe(200);
    const refused = await call(leo, `/cases/${duplicate!.number}/duplicate`, { of: cases.original!.number });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'not_your_case' } });
  });

  it('marks the duplicate: closed with a link, post archived and locked, counts merged, both timelines', async () => {
    const { original, duplicate } = { original: cases.original!, duplicate: cases.duplicate! };
    const res = await call(dana, `/cases/${duplicate.number}/duplicate`, { of: original.number });
    expect(res.status).toBe(200);
    const detail = CaseDetailResponseSchema.parse(await res.json());
    expect(detail.case).toMatchObject({ number: original.number, reports: 2, status: 'open' });
    expect(detail.timeline.at(-1)).toMatchObject({
      type: 'duplicate_merged',
      data: { duplicate: duplicate.number, reports: 2 },
    });
    const closed = CaseDetailResponseSchema.parse(
      await (
        await fetch(`${stack.bridge.url}/api/cases/${duplicate.number}`, {
          headers: { authorization: `Bearer ${dana}` },
        })
      ).json(),
    );
    expect(closed.case).toMatchObject({ status: 'closed', duplicateOf: original.number });
    expect(closed.timeline.map((event) => event.type)).toEqual(
      expect.arrayContaining(['status_changed', 'marked_duplicate']),
    );

    const note = await stack.discord.control.waitForMessage({
      channel: duplicate.threadId,
      contains: 'duplicate of',
    });
    expect(note.content).toContain(original.url);
    expect(note.mention_everyone).toBe(false);
    const thread = await eventually(() => {
      const channel = stack.discord.control.channel(duplicate.threadId);
      return 'thread_metadata' in channel && channel.thread_metadata?.locked ? channel : undefined;
    }, 'the locked thread');
    expect('thread_metadata' in thread && thread.thread_metadata).toMatchObject({
      archived: true,
      locked: true,
    });
    // A member (no Manage Threads) can no longer post in the closed post.
    expect(() =>
      stack.discord.control.sendMessage({ user: 'quietbob', channel: duplicate.threadId, content: 'me too' }),
    ).toThrow();

    expect(stack.discord.control.message(duplicate.threadId)?.embeds?.[0]?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Status', value: `closed as a duplicate of #${original.number}` }),
      ]),
    );
    await stack.discord.control.waitForMessage({ channel: original.threadId, contains: '2 reports now' });
    const starter = stack.discord.control.message(original.threadId);
    expect(starter?.embeds?.[0]?.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Reports', value: '2' })]),
    );
  });

  it('the closed duplicate shows one status everywhere: its post carries the closed tag, /case agrees', async () => {
    const duplicate = cases.duplicate!;
    const original = cases.original!;
    const forum = stack.discord.control.channel('bug-report');
    const tagNames = () => {
      const post = stack.discord.control.channel(duplicate.threadId);
      return ('applied_tags' in post ? (post.applied_tags ?? []) : [])
        .map(
          (id) =>
            ('available_tags' in forum ? (forum.available_tags ?? []) : []).find((tag) => tag.id === id)
              ?.name,
        )
        .sort();
    };
    await eventually(() => tagNames().includes('closed'), 'the closed tag on the locked post');
    expect(tagNames()).toEqual(['closed', 'high']);
    // Lucía reads the same status in /case, in Spanish: the list and the case.
    const list = await stack.discord.control.runCommand({
      user: 'lucia',
      name: 'case',
      channel: 'help',
      locale: 'es-ES',
    });
    const listed = stack.discord.control.interaction(list.interactionId).original!;
    expect(listed.embeds[0]?.description).toContain(
      `**#${duplicate.number}** · bug · cerrado como duplicado de #${original.number} ·`,
    );
    const one = await stack.discord.control.runCommand({
      user: 'lucia',
      name: 'case',
      channel: 'help',
      locale: 'es-ES',
      options: { number: duplicate.number },
    });
    const shown = stack.discord.control.interaction(one.interactionId).original!;
    expect(shown.embeds[0]?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: `cerrado como duplicado de #${original.number}` }),
      ]),
    );
  });

  it('tells both reporters, each in their language', async () => {
    const { original, duplicate } = { original: cases.original!, duplicate: cases.duplicate! };
    const toLucia = await stack.discord.control.waitForMessage({
      dmWith: 'lucia',
      contains: 'mismo problema',
    });
    expect(toLucia.content).toContain(`#${duplicate.number}`);
    expect(toLucia.content).toContain(`#${original.number}`);
    expect(toLucia.content).toContain(original.url);
    const toPat = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'Another member reported the same problem',
    });
    expect(toPat.content).toContain('2 reports');
  });

  it('refuses a second merge and a cycle, and the extra reporter hears of the next stage', async () => {
    const { original, duplicate } = { original: cases.original!, duplicate: cases.duplicate! };
    const again = await call(dana, `/cases/${duplicate.number}/duplicate`, { of: original.number });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'already_duplicate' } });
    const cycle = await call(dana, `/cases/${original.number}/duplicate`, { of: duplicate.number });
    expect(cycle.status).toBe(409);
    expect(await cycle.json()).toMatchObject({ error: { code: 'duplicate_cycle' } });

    const staged = await fetch(`${stack.bridge.url}/api/cases/${original.number}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${dana}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'investigating' }),
    });
    expect(staged.status).toBe(200);
    const dm = await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: 'en investigación' });
    expect(dm.content).toContain(`#${original.number}`);
  });
});

/** A reporter whose DMs are closed hears of the merge where their chats reach them: their private thread. */
describe('duplicates: a reporter with closed DMs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { CHAT_THREADS: 'fallback' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const fileBug = async (user: string, title: string) => {
    await stack.discord.control.runCommand({ user, name: 'bug', channel: 'help' });
    const submitted = await stack.discord.control.submitModal({
      user,
      values: {
        title,
        whatHappened: `${title} in every match.`,
        steps: '',
        expectedVsActual: '',
        severity: 'low',
      },
    });
    const reply = await eventually(() => {
      const content = stack.discord.control.interaction(submitted.interactionId).original?.content;
      return content && /filed as case #\d+/.test(content) ? content : undefined;
    }, `${user}'s /bug answer`);
    return Number(/#(\d+)/.exec(reply)![1]);
  };

  it('is told in the private thread their chat moved to', async () => {
    const outcome = await stack.discord.control.runCommand({
      user: 'quietbob',
      name: 'helpme',
      channel: 'help',
    });
    const reply = await eventually(
      () => stack.discord.control.interaction(outcome.interactionId).original?.content || undefined,
      'the /helpme answer',
    );
    const threadId = /<#(\d+)>/.exec(reply)![1]!;
    const original = await fileBug('pixelpat', 'Scoreboard shows wrong kills');
    const duplicate = await fileBug('quietbob', 'Voice lines play twice');
    await eventually(
      async () => ((await stack.bridge.cases.find(duplicate))?.publicPost ? true : undefined),
      'post',
    );
    const token = stack.twilio.control.issueFlexToken('Dana').token;
    const res = await fetch(`${stack.bridge.url}/api/cases/${duplicate}/duplicate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ of: original }),
    });
    expect(res.status).toBe(200);
    const told = await stack.discord.control.waitForMessage({ channel: threadId, contains: 'same problem' });
    expect(told.content).toContain(`#${original}`);
    expect(stack.discord.control.dmMessages('quietbob')).toEqual([]);
  });
});
