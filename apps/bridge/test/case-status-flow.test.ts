import { CaseDetailResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityFixture } from './helpers/fixture.ts';
import { type Stack, startStack } from './helpers/stack.ts';

/** The tags of the stages asserted below: the defaults, and a brand's own names (`FORUM_TAGS`). */
const TAG_SETS = [
  { name: 'default tags', forumTags: '', investigating: 'investigating', wontFix: "won't fix" },
  {
    name: "the brand's FORUM_TAGS",
    forumTags: 'investigating=Looking into it, wont_fix=Not planned',
    investigating: 'Looking into it',
    wontFix: 'Not planned',
  },
];

/**
 * A report's stage flows back to the community: the agent moves it (open → investigating →
 * planned / fixed / won't fix) from the plugin API, and the forum post's tag follows, a note lands
 * in its thread, the reporter is told in their language; an official reply goes to the thread
 * with mentions disabled.
 */
describe.each(TAG_SETS)('report stages flow back to Discord ($name)', (tags) => {
  let stack: Stack;
  let token = '';
  let caseNumber = 0;
  let threadId = '';

  beforeAll(async () => {
    // The forums as provisioning leaves them: with the configured names among their tags.
    const fixture = structuredClone(communityFixture);
    for (const channel of fixture.guilds?.[0]?.channels ?? [])
      if (channel.type === 'forum' && tags.forumTags)
        channel.tags?.push({ name: tags.investigating }, { name: tags.wontFix });
    stack = await startStack({
      env: tags.forumTags ? { FORUM_TAGS: tags.forumTags } : {},
      discordOptions: { fixture },
    });
    token = stack.twilio.control.issueFlexToken('Dana').token;
    await stack.discord.control.runCommand({ user: 'lucia', name: 'bug', channel: 'help', locale: 'es-ES' });
    const submitted = await stack.discord.control.submitModal({
      user: 'lucia',
      values: {
        title: 'El chat de voz se corta',
        whatHappened: 'En partidas clasificatorias el chat de voz se corta cada pocos minutos.',
        steps: '',
        expectedVsActual: '',
        severity: 'medium',
      },
    });
    const reply = await eventually(
      () => stack.discord.control.interaction(submitted.interactionId).original?.content || undefined,
      'the /bug answer',
    );
    caseNumber = Number(/#(\d+)/.exec(reply)![1]);
    const found = await eventually(async () => {
      const item = await stack.bridge.cases.find(caseNumber);
      return item?.publicPost ? item : undefined;
    }, 'the public post');
    threadId = found.publicPost!.threadId!;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = (path: string, method: string, body: unknown) =>
    fetch(`${stack.bridge.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const postTags = () => {
    const forum = stack.discord.control.channel('bug-report');
    const post = stack.discord.control.channel(threadId);
    const available = 'available_tags' in forum ? (forum.available_tags ?? []) : [];
    return ('applied_tags' in post ? (post.applied_tags ?? []) : [])
      .map((id) => available.find((tag) => tag.id === id)?.name)
      .sort();
  };

  it('a new report is at stage open, tagged open', async () => {
    const found = await stack.bridge.cases.find(caseNumber);
    expect(found).toMatchObject({ stage: 'open', status: 'open' });
    expect(postTags()).toEqual(['medium', 'open']);
  });

  it('"investigating" retags the post, notes it in the thread and tells the reporter in Spanish', async () => {
    const res = await call(`/cases/${caseNumber}`, 'PATCH', { stage: 'investigating' });
    expect(res.status).toBe(200);
    const detail = CaseDetailResponseSchema.parse(await res.json());
    expect(detail.case).toMatchObject({ stage: 'investigating', status: 'open' });
    expect(detail.timeline.map((event) => event.type)).toContain('stage_changed');
    await stack.discord.control.waitForMessage({ channel: threadId, contains: '**investigating**' });
    await eventually(() => (postTags().includes(tags.investigating) ? true : undefined), 'the new tag');
    expect(postTags()).toEqual([tags.investigating, 'medium'].sort());
    const dm = await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: 'en investigación' });
    expect(dm.content).toContain(`#${caseNumber}`);
  });

  it('"won\'t fix" closes the case and tags the post won\'t fix', async () => {
    const res = await call(`/cases/${caseNumber}`, 'PATCH', { stage: 'wont_fix' });
    expect(CaseDetailResponseSchema.parse(await res.json()).case).toMatchObject({
      stage: 'wont_fix',
      status: 'closed',
    });
    await eventually(() => (postTags().includes(tags.wontFix) ? true : undefined), "the won't fix tag");
    await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: 'no se hará' });
    // Reopening by status puts the report back at open.
    const reopened = await call(`/cases/${caseNumber}`, 'PATCH', { status: 'open' });
    expect(CaseDetailResponseSchema.parse(await reopened.json()).case.stage).toBe('open');
  });

  it('an official reply lands in the thread with mentions disabled, and on the timeline', async () => {
    const res = await call(`/cases/${caseNumber}/replies`, 'POST', {
      body: 'Thanks @everyone, we can reproduce it and a fix is on the way.',
    });
    expect(res.status).toBe(201);
    const detail = CaseDetailResponseSchema.parse(await res.json());
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'official_reply', visibility: 'public' });
    const posted = await stack.discord.control.waitForMessage({
      channel: threadId,
      contains: 'a fix is on the way',
    });
    expect(posted.content).toContain('**Dana** (team)');
    expect(posted.mention_everyone).toBe(false);
    expect(posted.mentions).toEqual([]);
  });

  it('refuses a stage for a support case, an empty reply and a reply without a post (4xx with a reason)', async () => {
    const empty = await call(`/cases/${caseNumber}/replies`, 'POST', { body: '  ' });
    expect(empty.status).toBe(400);
    const support = await stack.db.transaction(async (tx) => {
      const lucia = stack.discord.control.user('lucia').id;
      return stack.bridge.cases.open(tx, {
        type: 'support',
        memberId: lucia,
        subject: 'Help with a refund',
        details: { kind: 'support' },
        priority: 'normal',
        actor: { kind: 'member', id: lucia, name: 'Lucía' },
        createdData: { via: 'test' },
      });
    });
    const staged = await call(`/cases/${support}`, 'PATCH', { stage: 'planned' });
    expect(staged.status).toBe(400);
    expect(await staged.json()).toMatchObject({ error: { code: 'stage_not_applicable' } });
    const noPost = await call(`/cases/${support}/replies`, 'POST', { body: 'Hello' });
    expect(noPost.status).toBe(409);
    expect(await noPost.json()).toMatchObject({ error: { code: 'no_public_post' } });
  });
});
