import {
  CaseDetailResponseSchema,
  FiguresResponseSchema,
  TranscriptResponseSchema,
} from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { DEFAULT_AGENTS } from '@flexcord/twilio-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

interface Button {
  custom_id?: string;
  label?: string;
}

/**
 * After a chat with an agent: the member rates it (1–5, one answer, a comment in a modal), the
 * answer is on the case and in the Flex task's attributes for Insights; the chat's transcript is
 * kept with the case (HTML, Markdown, files as signed links), in the panel's data, and the member
 * gets theirs from /case. Old transcripts are purged after the retention.
 */
describe.each(storages)('satisfaction survey and transcripts (%s)', (storage) => {
  let stack: Stack;
  let token = '';
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;
  let caseNumber = 0;
  let surveyId = '';

  const api = (path: string) =>
    fetch(`${stack.bridge.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  const surveyMessage = (user: string) =>
    stack.discord.control.waitForMessage({ dmWith: user, contains: 'Rate this chat' });
  const pixelpatSurvey = () => {
    const found = stack.discord.control.dmMessages('pixelpat').find((m) => m.id === surveyId);
    if (!found) throw new Error('no survey message');
    return found;
  };
  const buttonsOf = (message: { components?: unknown[] }) =>
    (message.components ?? []).flatMap((row) =>
      row && typeof row === 'object' && 'components' in row
        ? ((row as { components: Button[] }).components ?? [])
        : [],
    );
  const ephemeralAnswer = async (interactionId: string) =>
    eventually(
      () => stack.discord.control.interaction(interactionId).original?.content || undefined,
      'the answer',
    );

  beforeAll(async () => {
    stack = await startStack({
      storage,
      env: { SURVEY_EXPIRY_MINUTES: '60' },
      twilioOptions: {
        agents: [
          ...DEFAULT_AGENTS,
          { name: 'Maya', email: 'maya@example.com', roles: ['agent', 'supervisor'], available: false },
        ],
      },
    });
    token = stack.twilio.control.issueFlexToken('Dana').token;
    chat = await memberWithAgent(stack, 'pixelpat');
    caseNumber = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'My **game** crashes <on> start' });
    await eventually(
      () =>
        (stack.twilio.control.conversation(chat.conversationSid).messages as { body: string | null }[]).some(
          (message) => message.body === 'My **game** crashes <on> start',
        ),
      'the member message in the Conversation',
    );
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Try this config',
      media: { contentType: 'text/plain', filename: 'starfall.cfg', data: Buffer.from('vsync=off\n') },
    });
    await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (message) => message.attachments.length > 0,
    });
    stack.twilio.control.wrapUpTask(chat.taskSid);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('when the chat with Dana ends, the member is asked to rate it, once, with five buttons', async () => {
    const survey = await surveyMessage('pixelpat');
    surveyId = survey.id;
    expect(survey.content).toBe(
      'How did **Dana** do? Rate this chat from 1 (poor) to 5 (great) — it takes one click.',
    );
    expect(buttonsOf(survey).map((button) => button.label)).toEqual(['1 ★', '2 ★', '3 ★', '4 ★', '5 ★']);
    await stack.twilio.control.settle();
    const surveys = stack.discord.control
      .dmMessages('pixelpat')
      .filter((m) => m.content.includes('Rate this chat'));
    expect(surveys).toHaveLength(1);
  });

  it('a 5 is recorded on the case and in the task attributes Flex Insights reads; the buttons give way to "Add a comment"', async () => {
    const survey = await surveyMessage('pixelpat');
    const five = buttonsOf(survey).find((button) => button.label === '5 ★')!;
    const clicked = await stack.discord.control.clickButton({
      user: 'pixelpat',
      messageId: survey.id,
      customId: five.custom_id!,
    });
    expect(clicked.response?.type).toBe(7);
    const updated = await eventually(() => {
      const now = stack.discord.control.dmMessages('pixelpat').find((m) => m.id === survey.id);
      return now?.content.startsWith('Thank you') ? now : undefined;
    }, 'the survey message updated');
    expect(updated.content).toBe(
      'Thank you! You rated this chat **5/5**. You can add a comment if you like.',
    );
    expect(buttonsOf(updated).map((button) => button.label)).toEqual(['Add a comment']);

    const detail = await stack.bridge.cases.detail(caseNumber);
    expect(detail.timeline.find((event) => event.type === 'survey_answered')).toMatchObject({
      actor: { kind: 'member' },
      data: { rating: 5, conversationSid: chat.conversationSid, agent: 'Dana' },
    });
    const task = await eventually(() => {
      const current = stack.twilio.control.task(chat.taskSid);
      const conversations = current.attributes.conversations as Record<string, unknown> | undefined;
      return conversations?.conversation_measure_1 === 5 ? current : undefined;
    }, 'the rating in the task attributes');
    expect(task.attributes.caseNumber).toBe(caseNumber);
  });

  it('two clicks at once (a double click, two devices): one answer counts, the other is told it is already recorded', async () => {
    const other = await memberWithAgent(stack, 'maude');
    const number = Number(stack.twilio.control.task(other.taskSid).attributes.caseNumber);
    stack.twilio.control.wrapUpTask(other.taskSid);
    const survey = await surveyMessage('maude');
    const [first, second] = await Promise.all(
      [2, 4].map((rating) =>
        stack.discord.control.clickButton({
          user: 'maude',
          messageId: survey.id,
          customId: `survey:rate:${other.conversationSid}:${rating}`,
        }),
      ),
    );
    const types = [first!.response?.type, second!.response?.type].sort();
    expect(types).toEqual([4, 7]);
    const refused = first!.response?.type === 4 ? first! : second!;
    expect(await ephemeralAnswer(refused.interactionId)).toBe(
      'Your answer to this survey is already recorded. Thank you!',
    );
    const detail = await stack.bridge.cases.detail(number);
    expect(detail.timeline.filter((event) => event.type === 'survey_answered')).toHaveLength(1);
    // A supervisor's figures count both chats' answers.
    const maya = stack.twilio.control.issueFlexToken('Maya').token;
    const figures = await fetch(`${stack.bridge.url}/api/figures`, {
      headers: { authorization: `Bearer ${maya}` },
    });
    const { satisfaction } = FiguresResponseSchema.parse(await figures.json()).figures;
    const given = detail.timeline.find((event) => event.type === 'survey_answered')!.data.rating as number;
    expect(satisfaction.responses).toBe(2);
    expect(satisfaction.byScore[4]).toBe(given === 5 ? 2 : 1);
    expect(satisfaction.average).toBe((5 + given) / 2);
  });

  it('the comment modal records a comment once: on the case and as a conversation attribute', async () => {
    const survey = pixelpatSurvey();
    const clicked = await stack.discord.control.clickButton({
      user: 'pixelpat',
      messageId: survey.id,
      customId: `survey:comment:${chat.conversationSid}`,
    });
    expect(clicked.response?.type).toBe(9);
    // Flex writes the same task meanwhile (its own Insights attributes), between the bridge's read
    // of the task and its write: the bridge's write must not wipe Flex's out.
    stack.twilio.control.writeTaskAttributesAfterNextRead(chat.taskSid, (attributes) => ({
      ...attributes,
      conversations: {
        ...(attributes.conversations as Record<string, unknown> | undefined),
        conversation_attribute_5: 'written by Flex',
      },
    }));
    const submitted = await stack.discord.control.submitModal({
      user: 'pixelpat',
      values: { comment: 'Dana was quick and kind' },
    });
    expect(submitted.response?.type).toBe(7);
    const updated = await eventually(() => {
      const now = stack.discord.control.dmMessages('pixelpat').find((m) => m.id === survey.id);
      return now?.content.includes('your comment') ? now : undefined;
    }, 'the survey message after the comment');
    expect(buttonsOf(updated)).toEqual([]);
    const detail = await stack.bridge.cases.detail(caseNumber);
    expect(detail.timeline.find((event) => event.type === 'survey_commented')?.data).toMatchObject({
      comment: 'Dana was quick and kind',
    });
    await eventually(() => {
      const conversations = stack.twilio.control.task(chat.taskSid).attributes.conversations as
        | Record<string, unknown>
        | undefined;
      return conversations?.conversation_attribute_1 === 'Dana was quick and kind';
    }, 'the comment in the task attributes');
    expect(stack.twilio.control.task(chat.taskSid).attributes.conversations).toMatchObject({
      conversation_measure_1: 5,
      conversation_attribute_1: 'Dana was quick and kind',
      conversation_attribute_5: 'written by Flex',
    });
  });

  it('the transcript is kept with the case: every line in order, in Markdown (escaped) and HTML, files as working links', async () => {
    const transcript = await eventually(async () => {
      const response = await api(`/cases/${caseNumber}/transcript?format=json`);
      const body = TranscriptResponseSchema.parse(await response.json());
      return body.chats.length ? body : undefined;
    }, 'the kept transcript');
    const [kept] = transcript.chats;
    expect(kept).toMatchObject({ conversationSid: chat.conversationSid, agents: ['Dana'], rating: 5 });
    const lines = kept!.lines.map((line) => `${line.author.kind}:${line.body}`);
    const order = [
      lines.findIndex((line) => line.startsWith('member:agent please')),
      lines.indexOf('system:Dana joined the chat'),
      lines.indexOf('member:My **game** crashes <on> start'),
      lines.findIndex((line) => line.startsWith('agent:')),
      lines.indexOf('system:The chat ended'),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const file = kept!.lines.flatMap((line) => line.files).find((f) => f.filename === 'starfall.cfg')!;
    expect(file.url).toMatch(/\/files\/ME[0-9a-f]{32}\?expires=\d+&signature=/);
    const served = await fetch(file.url!.replace(/^https?:\/\/[^/]+/, stack.bridge.url));
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('vsync=off\n');
    const forged = await fetch(
      file.url!.replace(/^https?:\/\/[^/]+/, stack.bridge.url).replace(/signature=[^&]+/, 'signature=forged'),
    );
    expect(forged.status).toBe(403);

    const markdown = await api(`/cases/${caseNumber}/transcript`);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(markdown.headers.get('content-disposition')).toBe(
      `attachment; filename="case-${caseNumber}-transcript.md"`,
    );
    const text = await markdown.text();
    expect(text).toContain('My \\*\\*game\\*\\* crashes \\<on\\> start');
    expect(text).toContain('rated 5/5');
    const page = await api(`/cases/${caseNumber}/transcript?format=html`);
    // Nothing in the page may run, load, submit a form or change where its links point.
    const policy = (page.headers.get('content-security-policy') ?? '').split(/;\s*/);
    expect(policy).toEqual(
      expect.arrayContaining(["default-src 'none'", "form-action 'none'", "base-uri 'none'"]),
    );
    const html = await page.text();
    expect(html).toContain('My **game** crashes &lt;on&gt; start');
    expect(html).not.toContain('<on>');
  });

  it("the case detail lists the member's kept chats with their rating, for the panel", async () => {
    await eventually(
      async () => (await stack.bridge.cases.detail(caseNumber)).member.chats?.length,
      'the chat',
    );
    const response = await api(`/cases/${caseNumber}`);
    const detail = CaseDetailResponseSchema.parse(await response.json());
    expect(detail.member.chats).toEqual([
      expect.objectContaining({
        conversationSid: chat.conversationSid,
        caseNumber,
        rating: 5,
        comment: 'Dana was quick and kind',
      }),
    ]);
  });

  it('/case with transcript sends the member their transcript as a file, without the notices meant for agents', async () => {
    const run = await stack.discord.control.runCommand({
      user: 'pixelpat',
      name: 'case',
      channel: 'help',
      options: { number: caseNumber, transcript: true },
    });
    const answer = await eventually(
      () => stack.discord.control.interaction(run.interactionId).original ?? undefined,
      'the /case answer',
    );
    expect(answer.content).toBe(`The transcript of your chats for case #${caseNumber} is attached.`);
    expect(answer.attachments[0]).toMatchObject({ filename: `case-${caseNumber}-transcript.md` });
    const file = await (await fetch(answer.attachments[0]!.url)).text();
    expect(file).toContain(`# Case #${caseNumber}`);
    expect(file).toContain('My \\*\\*game\\*\\* crashes');
  });

  it('a transcript request for an unknown case is a 404; a bad format a 400 with the reason', async () => {
    expect((await api('/cases/99999/transcript')).status).toBe(404);
    const bad = await api(`/cases/${caseNumber}/transcript?format=pdf`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('a late survey click, and the retention purge', () => {
  let stack: Stack;
  let clock = Date.now();
  beforeAll(async () => {
    stack = await startStack({
      env: {
        SURVEY_EXPIRY_MINUTES: '5',
        TRANSCRIPT_RETENTION_DAYS: '30',
        TRANSCRIPT_PURGE_INTERVAL_SECONDS: '1',
      },
      now: () => new Date(clock),
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('after the survey closed, a click gets a polite "closed" and nothing is recorded', async () => {
    const chat = await memberWithAgent(stack, 'maude');
    stack.twilio.control.wrapUpTask(chat.taskSid);
    const survey = await stack.discord.control.waitForMessage({
      dmWith: 'maude',
      contains: 'Rate this chat',
    });
    clock += 6 * 60_000;
    const clicked = await stack.discord.control.clickButton({
      user: 'maude',
      messageId: survey.id,
      customId: `survey:rate:${chat.conversationSid}:4`,
    });
    expect(
      await eventually(
        () => stack.discord.control.interaction(clicked.interactionId).original?.content || undefined,
        'the answer',
      ),
    ).toBe('This survey has closed. Thank you all the same!');
    const number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    const detail = await stack.bridge.cases.detail(number);
    expect(detail.timeline.some((event) => event.type === 'survey_answered')).toBe(false);
  });

  it('a chat whose Conversation is gone by the time it is kept keeps every relayed message and its notices, and no failure is reported', async () => {
    const chat = await memberWithAgent(stack, 'pixelpat');
    const number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'Checking your save file' });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'Checking your save file' });
    // What Twilio answers for a Conversation deleted meanwhile.
    stack.twilio.control.injectFault({
      match: `GET /conversations/v1/Services/*/Conversations/${chat.conversationSid}/Messages`,
      status: 404,
      code: 20404,
    });
    stack.twilio.control.wrapUpTask(chat.taskSid);
    const kept = await eventually(async () => {
      const { rows } = await stack.db.query<{ lines: { body: string }[] }>(
        'SELECT lines FROM chat_transcripts WHERE conversation_sid = $1',
        [chat.conversationSid],
      );
      return rows[0];
    }, 'the kept notices');
    expect(kept.lines.map((line) => line.body)).toEqual([
      'agent please',
      'Dana joined the chat',
      'Checking your save file',
      'The chat ended',
    ]);
    const detail = await stack.bridge.cases.detail(number);
    expect(detail.timeline.some((event) => event.type === 'delivery_failed')).toBe(false);
    stack.twilio.control.clearFaults();
  });

  it('a transcript older than TRANSCRIPT_RETENTION_DAYS is purged; a newer one stays', async () => {
    const count = async () =>
      Number(
        (await stack.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_transcripts')).rows[0]!.n,
      );
    await eventually(async () => (await count()) === 2, 'the kept transcripts');
    clock += 29 * 86_400_000;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await count()).toBe(2);
    clock += 2 * 86_400_000;
    await eventually(async () => (await count()) === 0, 'the purged transcript', 5000);
  });
});
