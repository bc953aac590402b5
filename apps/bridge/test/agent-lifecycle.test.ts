import {
  CaseDetailResponseSchema,
  CaseVersionResponseSchema,
  WrapUpOptionsResponseSchema,
} from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm, memberWithAgent } from './helpers/story-steps.ts';

/**
 * What follows "Dana joined the chat", through the real path: Dana's accept makes the case hers,
 * End chat (Flex's wrap-up) ends the chat and wraps the task, her disposition in the case panel
 * completes the task, and what the member is told follows the case's real state.
 */
describe('the agent lifecycle: accept, wrap-up, disposition, complete', () => {
  let stack: Stack;
  let token = '';

  beforeAll(async () => {
    stack = await startStack();
    token = stack.twilio.control.issueFlexToken('Dana').token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${stack.bridge.url}/api${path}`, { ...init, headers });
  };
  const caseOf = async (conversationSid: string) =>
    (await stack.bridge.cases.listByConversation(conversationSid))[0]!.number;
  const endedNotices = (user: string) =>
    botDm(stack, user).filter((text) => /chat (has ended|was closed)/.test(text));

  it('when Dana accepts, the case is assigned to her and the timeline says "took the chat"', async () => {
    const chat = await memberWithAgent(stack, 'pixelpat');
    // The task as real Flex makes it: Flex wrote channelType over the flow's value.
    expect(stack.twilio.control.task(chat.taskSid).attributes).toMatchObject({
      channelType: 'web',
      customChannelType: 'discord',
    });
    const number = await caseOf(chat.conversationSid);
    const detail = await eventually(async () => {
      const found = await stack.bridge.cases.detail(number);
      return found.case.assignee ? found : undefined;
    }, 'the assignment');
    expect(detail.case.assignee).toBe('dana@example.com');
    const joined = detail.timeline.filter((event) => event.type === 'agent_joined');
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ actor: { kind: 'agent', name: 'Dana' }, data: { took: true } });
  });

  it("the panel can poll cheaply: the case's version changes only when the case or its timeline does", async () => {
    const [kase] = await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id);
    const version = async () =>
      CaseVersionResponseSchema.parse(await (await api(`/cases/${kase!.number}/version`)).json()).version;
    const first = await version();
    expect(await version()).toBe(first);
    await api(`/cases/${kase!.number}/notes`, {
      method: 'POST',
      body: JSON.stringify({ body: 'checking logs' }),
    });
    const afterNote = await version();
    expect(afterNote).not.toBe(first);
    await api(`/cases/${kase!.number}`, { method: 'PATCH', body: JSON.stringify({ priority: 'high' }) });
    expect(await version()).not.toBe(afterNote);
    expect((await api('/cases/999999/version')).status).toBe(404);
  });

  it('lists the configured dispositions', async () => {
    const options = WrapUpOptionsResponseSchema.parse(await (await api('/wrap-up')).json());
    expect(options.dispositions.map((d) => [d.code, d.status])).toEqual([
      ['resolved', 'resolved'],
      ['follow_up', 'pending'],
      ['duplicate', 'closed'],
      ['spam', 'closed'],
    ]);
  });

  it('End chat right after "resolved" tells Pat the case is resolved, not that it stays open', async () => {
    const [kase] = await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id);
    const task = stack.twilio.control.tasks().find((t) => t.attributes.caseNumber === kase!.number)!;
    await api(`/cases/${kase!.number}`, { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }) });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'marked **resolved**' });
    stack.twilio.control.wrapUpTask(task.sid);
    expect(stack.twilio.control.task(task.sid).assignmentStatus).toBe('wrapping');
    const ended = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'This chat has ended',
    });
    expect(ended.content).toBe(
      `This chat has ended. Case #${kase!.number} is **resolved**; run /helpme if you need anything else.`,
    );
  });

  it('a disposition before the chat ended is refused (409) with a reason', async () => {
    const chat = await memberWithAgent(stack, 'maude');
    const number = await caseOf(chat.conversationSid);
    const early = await api(`/cases/${number}/wrap-up`, {
      method: 'POST',
      body: JSON.stringify({ taskSid: chat.taskSid, disposition: 'follow_up' }),
    });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: 'chat_still_live' } });
    const unknown = await api(`/cases/${number}/wrap-up`, {
      method: 'POST',
      body: JSON.stringify({ taskSid: chat.taskSid, disposition: 'happy' }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_disposition' } });
  });

  it('End chat then "follow-up needed": Pat hears the case stays open; the task completes with the outcome', async () => {
    const userId = stack.discord.control.user('maude').id;
    const task = stack.twilio.control.tasks().find((t) => t.attributes.discordUserId === userId)!;
    const number = Number(task.attributes.caseNumber);
    stack.twilio.control.wrapUpTask(task.sid);
    const ended = await stack.discord.control.waitForMessage({
      dmWith: 'maude',
      contains: 'This chat has ended',
    });
    expect(ended.content).toContain(`Case #${number} stays open until it is resolved`);

    const response = await api(`/cases/${number}/wrap-up`, {
      method: 'POST',
      body: JSON.stringify({
        taskSid: task.sid,
        disposition: 'follow_up',
        note: 'waiting for the crash dump',
      }),
    });
    expect(response.status).toBe(200);
    const detail = CaseDetailResponseSchema.parse(await response.json());
    expect(detail.case.status).toBe('pending');
    expect(detail.timeline.find((event) => event.type === 'wrapped_up')).toMatchObject({
      actor: { kind: 'agent' },
      data: { disposition: 'follow_up', note: 'waiting for the crash dump', taskSid: task.sid },
    });
    const completed = await eventually(() => {
      const current = stack.twilio.control.task(task.sid);
      return current.assignmentStatus === 'completed' ? current : undefined;
    }, 'the completed task');
    expect(completed.reason).toBe('Wrapped up: Follow-up needed');
    // Flex Insights gets the outcome beside what Flex wrote in `conversations` (kept, not replaced).
    expect(completed.attributes.conversations).toMatchObject({
      outcome: 'Follow-up needed',
      case: `#${number}`,
      communication_channel: 'Web',
      direction: 'Inbound',
    });
    expect(endedNotices('maude')).toHaveLength(1);
    // What the wrap-up promises ("the case becomes Pending; the member is told") happens, once.
    const pending = `Your case #${number} is now **pending**.`;
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: pending });
    await stack.twilio.control.settle();
    expect(
      stack.discord.control.dmMessages('maude').filter((message) => message.content === pending),
    ).toHaveLength(1);
  });

  it('setting a case Closed tells the member', async () => {
    const userId = stack.discord.control.user('maude').id;
    const [kase] = await stack.bridge.cases.listByMember(userId);
    await api(`/cases/${kase!.number}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) });
    const told = await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: 'was **closed**' });
    expect(told.content).toContain(`case #${kase!.number}`);
  });
});

describe("Twilio's timers end an idle chat", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { TWILIO_CONVERSATION_INACTIVE_TIMER: 'PT5M', TWILIO_CONVERSATION_CLOSED_TIMER: 'PT10M' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the task is completed (no dead task in Flex), the timeline says so and the member is told once', async () => {
    const chat = await memberWithAgent(stack, 'pixelpat');
    const number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    // The bridge knows the chat's task before the timer runs out.
    await eventually(async () => {
      const { rows } = await stack.db.query<{ task_sid: string | null }>(
        'SELECT task_sid FROM conversations WHERE sid = $1',
        [chat.conversationSid],
      );
      return rows[0]?.task_sid === chat.taskSid;
    }, 'the task noted on the chat');
    stack.twilio.control.advanceClock('PT11M');
    const told = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'nobody wrote' });
    expect(told.content).toBe(
      `This chat was closed because nobody wrote for a while.\nThis chat has ended. Case #${number} stays open until it is resolved; run /helpme to talk to us again.`,
    );
    await eventually(
      () => stack.twilio.control.task(chat.taskSid).assignmentStatus === 'completed',
      'the task completed',
    );
    expect(
      stack.twilio.control.tasks().filter((t) => !['completed', 'canceled'].includes(t.assignmentStatus)),
    ).toEqual([]);
    const detail = await stack.bridge.cases.detail(number);
    expect(detail.timeline.find((event) => event.type === 'conversation_ended')?.data).toMatchObject({
      reason: 'TIMER',
      by: 'timer',
    });
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(botDm(stack, 'pixelpat').filter((text) => text.includes('chat has ended'))).toHaveLength(1);
  });
});

describe('roles: agents change their own and unassigned cases, supervisors anyone’s', () => {
  let stack: Stack;
  let number = 0;
  beforeAll(async () => {
    stack = await startStack({
      twilioOptions: {
        agents: [
          { name: 'Dana', email: 'dana@example.com' },
          { name: 'Leo', email: 'leo@example.com', available: false },
          { name: 'Sam', email: 'sam@example.com', roles: ['supervisor'], available: false },
        ],
      },
    });
    const chat = await memberWithAgent(stack, 'pixelpat');
    number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    await eventually(
      async () => (await stack.bridge.cases.find(number))?.assignee === 'dana@example.com',
      'the assignment',
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const as = (agent: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${stack.twilio.control.issueFlexToken(agent).token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${stack.bridge.url}/api${path}`, { ...init, headers });
  };

  it("refuses Leo changing Dana's case (403, with the reason), but takes his note", async () => {
    for (const body of [{ status: 'resolved' }, { assignee: 'me' }]) {
      const refused = await as('Leo', `/cases/${number}`, { method: 'PATCH', body: JSON.stringify(body) });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        error: { code: 'not_your_case', message: expect.stringContaining('assigned to dana@example.com') },
      });
    }
    const wrap = await as('Leo', `/cases/${number}/wrap-up`, {
      method: 'POST',
      body: JSON.stringify({ disposition: 'spam' }),
    });
    expect(wrap.status).toBe(403);
    const note = await as('Leo', `/cases/${number}/notes`, {
      method: 'POST',
      body: JSON.stringify({ body: 'I saw this crash too' }),
    });
    expect(note.status).toBe(201);
    expect((await stack.bridge.cases.find(number))?.status).toBe('open');
  });

  it('lets Sam, a supervisor, reassign it, and then Leo change it', async () => {
    const moved = await as('Sam', `/cases/${number}`, {
      method: 'PATCH',
      body: JSON.stringify({ assignee: null }),
    });
    expect(moved.status).toBe(200);
    const taken = await as('Leo', `/cases/${number}`, {
      method: 'PATCH',
      body: JSON.stringify({ assignee: 'me' }),
    });
    expect(CaseDetailResponseSchema.parse(await taken.json()).case.assignee).toBe('leo@example.com');
    const resolved = await as('Leo', `/cases/${number}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(resolved.status).toBe(200);
  });
});

describe('transfer to another agent, the way Flex does it (an Interactions invite)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('Dana transfers Pat to Leo: Pat is told who is next and who joined, the case follows, Dana’s task completes', async () => {
    const chat = await memberWithAgent(stack, 'pixelpat');
    const number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    await eventually(
      async () => (await stack.bridge.cases.find(number))?.assignee === 'dana@example.com',
      'Dana',
    );
    await eventually(async () => {
      const { rows } = await stack.db.query<{ task_sid: string | null }>(
        'SELECT task_sid FROM conversations WHERE sid = $1',
        [chat.conversationSid],
      );
      return rows[0]?.task_sid === chat.taskSid;
    }, 'the task noted on the chat');
    const leo = stack.twilio.control.agents().find((agent) => agent.name === 'Leo')!;
    const response = await fetch(`${stack.bridge.url}/api/cases/${number}/transfer`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.twilio.control.issueFlexToken('Dana').token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ taskSid: chat.taskSid, to: { workerSid: leo.workerSid, name: 'Leo' } }),
    });
    expect(response.status).toBe(202);
    await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'is passing your chat to **Leo**',
    });
    const invited = await eventually(
      () =>
        stack.twilio.control
          .tasks()
          .find((task) => task.sid !== chat.taskSid && task.conversationSid === chat.conversationSid),
      'the invite task',
    );
    expect(invited.reservations.map((r) => [r.agent, r.status])).toEqual([['Leo', 'pending']]);
    expect(invited.attributes).toMatchObject({
      channelType: 'web',
      customChannelType: 'discord',
      caseNumber: number,
    });
    await eventually(
      () => stack.twilio.control.task(chat.taskSid).assignmentStatus === 'completed',
      'Dana’s task completed',
    );

    stack.twilio.control.acceptTask(invited.sid, 'Leo');
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: '**Leo** joined the chat' });
    const detail = await eventually(async () => {
      const found = await stack.bridge.cases.detail(number);
      return found.case.assignee === 'leo@example.com' ? found : undefined;
    }, 'the case following Leo');
    expect(detail.timeline.map((event) => event.type)).toEqual(
      expect.arrayContaining(['transferred', 'agent_joined']),
    );
    expect(detail.timeline.findLast((event) => event.type === 'agent_joined')).toMatchObject({
      actor: { name: 'Leo' },
      data: { took: true, from: 'dana@example.com' },
    });
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(botDm(stack, 'pixelpat').some((text) => text.includes('left the chat'))).toBe(false);

    // Leo ends the chat and wraps up: the case is his to resolve.
    stack.twilio.control.wrapUpTask(invited.sid);
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'This chat has ended' });
    const wrapped = await fetch(`${stack.bridge.url}/api/cases/${number}/wrap-up`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.twilio.control.issueFlexToken('Leo').token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ taskSid: invited.sid, disposition: 'resolved' }),
    });
    expect(wrapped.status).toBe(200);
    await eventually(
      () => stack.twilio.control.task(invited.sid).assignmentStatus === 'completed',
      'Leo’s task completed',
    );
  });

  it('a transfer retried after a failure half-way makes one invite, not a second task for the member', async () => {
    const chat = await memberWithAgent(stack, 'maude');
    const number = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    await eventually(async () => {
      const { rows } = await stack.db.query<{ task_sid: string | null }>(
        'SELECT task_sid FROM conversations WHERE sid = $1',
        [chat.conversationSid],
      );
      return rows[0]?.task_sid === chat.taskSid;
    }, 'the task noted on the chat');
    // The invite goes through, then Twilio fails the next call: the outbox tries the transfer again.
    stack.twilio.control.injectFault({
      match: 'GET /flex-api/v1/Interactions/*/Channels/*/Participants',
      status: 503,
      times: 1,
    });
    const leo = stack.twilio.control.agents().find((agent) => agent.name === 'Leo')!;
    const response = await fetch(`${stack.bridge.url}/api/cases/${number}/transfer`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.twilio.control.issueFlexToken('Dana').token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ taskSid: chat.taskSid, to: { workerSid: leo.workerSid, name: 'Leo' } }),
    });
    expect(response.status).toBe(202);
    await eventually(
      () => stack.twilio.control.task(chat.taskSid).assignmentStatus === 'completed',
      'Dana’s task completed on the retry',
    );
    await stack.twilio.control.settle();
    const invited = stack.twilio.control
      .tasks()
      .filter((task) => task.sid !== chat.taskSid && task.conversationSid === chat.conversationSid);
    expect(invited).toHaveLength(1);
  });
});
