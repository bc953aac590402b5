import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BotTurnRequestSchema, type BotTurnResponse, DiscordTaskAttributesSchema } from '@flexcord/contracts';
import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../src/index.ts';
import { type Receiver, startReceiver } from './helpers.ts';

type Twilio = ReturnType<typeof twilio>;

let emulator: TwilioEmulator;
let client: Twilio;
let receiver: Receiver;

beforeAll(async () => {
  emulator = await startTwilioEmulator({ webhookRetryDelayMs: 20, webhookTimeoutMs: 1000 });
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await emulator?.stop();
});

/** The RestException twilio-node throws for `promise`. */
async function restError(
  promise: Promise<unknown>,
): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: number; message: string };
  }
  throw new Error('expected the request to fail');
}

function isValidSignature(
  request: { headers: Record<string, unknown>; params: Record<string, string> },
  url: string,
) {
  return twilio.validateRequest(
    emulator.authToken,
    String(request.headers['x-twilio-signature']),
    url,
    request.params,
  );
}

describe('authentication and errors', () => {
  it('answers bad credentials with RestException 20003 / 401', async () => {
    const wrong = twilio(emulator.accountSid, 'not-the-token', twilioClientOptions(emulator.url));
    const error = await restError(wrong.conversations.v1.conversations.list());
    expect(error.status).toBe(401);
    expect(error.code).toBe(20003);
  });

  it('answers an unknown conversation with 20404', async () => {
    const error = await restError(
      client.conversations.v1.conversations('CH00000000000000000000000000000000').fetch(),
    );
    expect(error.status).toBe(404);
    expect(error.code).toBe(20404);
  });
});

describe('paging', () => {
  it('lets list({pageSize: 2}) walk five conversations over three pages', async () => {
    const prefix = `paging-${Date.now()}`;
    for (let i = 0; i < 5; i += 1) {
      await client.conversations.v1.conversations.create({ friendlyName: `${prefix}-${i}` });
    }
    const all = await client.conversations.v1.conversations.list({ pageSize: 2 });
    const mine = all.filter((c) => c.friendlyName?.startsWith(prefix));
    expect(mine.map((c) => c.friendlyName)).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    const first = await client.conversations.v1.conversations.page({ pageSize: 2 });
    expect(first.instances).toHaveLength(2);
    expect(first.nextPageUrl).toContain('PageToken=');
  });
});

describe('a member conversation with webhooks', () => {
  it('signs webhook-enabled messages and fires nothing for plain REST writes', async () => {
    const conversation = await client.conversations.v1.conversations.create({
      friendlyName: 'Member chat',
      uniqueName: `member-${Date.now()}`,
      attributes: JSON.stringify({ channelType: 'discord' }),
    });
    expect(conversation.sid).toMatch(/^CH[0-9a-f]{32}$/);
    expect(conversation.chatServiceSid).toBe(emulator.conversationsServiceSid);
    const byName = await client.conversations.v1.conversations(conversation.uniqueName!).fetch();
    expect(byName.sid).toBe(conversation.sid);

    const participant = await client.conversations.v1
      .conversations(conversation.sid)
      .participants.create({ identity: 'discord:123456789012345678' });
    expect(participant.sid).toMatch(/^MB[0-9a-f]{32}$/);
    expect(participant.messagingBinding).toBeNull();

    const hookUrl = `${receiver.url}/webhooks/conversations`;
    const webhook = await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': hookUrl,
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded', 'onParticipantAdded', 'onConversationStateUpdated'],
    });
    expect(webhook.sid).toMatch(/^WH[0-9a-f]{32}$/);
    expect(webhook.configuration).toMatchObject({
      url: hookUrl,
      filters: ['onMessageAdded', 'onParticipantAdded', 'onConversationStateUpdated'],
    });
    const flow = await client.studio.v2.flows.create({
      friendlyName: 'No-op',
      status: 'published',
      definition: {
        description: 'ends at once',
        states: [{ name: 'Trigger', type: 'trigger', transitions: [], properties: {} }],
        initial_state: 'Trigger',
        flags: { allow_concurrent_calls: true },
      },
    });
    const studioHook = await client.conversations.v1
      .conversations(conversation.sid)
      .webhooks.create({ target: 'studio', 'configuration.flowSid': flow.sid });
    expect(studioHook.configuration).toMatchObject({ flow_sid: flow.sid });
    expect(await client.conversations.v1.conversations(conversation.sid).webhooks.list()).toHaveLength(2);

    await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ author: 'discord:123456789012345678', body: 'silent' });
    const message = await client.conversations.v1.conversations(conversation.sid).messages.create({
      author: 'discord:123456789012345678',
      body: 'hello there',
      attributes: JSON.stringify({ discordMessageId: '42' }),
      xTwilioWebhookEnabled: 'true',
    });
    expect(message.sid).toMatch(/^IM[0-9a-f]{32}$/);
    expect(message.index).toBe(1);
    expect(message.participantSid).toBe(participant.sid);

    const received = await receiver.waitFor((r) => r.params.MessageSid === message.sid);
    expect(isValidSignature(received, hookUrl)).toBe(true);
    expect(received.headers['user-agent']).toBe('TwilioProxy/1.1');
    expect(received.headers['i-twilio-idempotency-token']).toBeTruthy();
    expect(received.params).toMatchObject({
      EventType: 'onMessageAdded',
      AccountSid: emulator.accountSid,
      ChatServiceSid: emulator.conversationsServiceSid,
      ConversationSid: conversation.sid,
      Source: 'API',
      Author: 'discord:123456789012345678',
      ParticipantSid: participant.sid,
      Body: 'hello there',
      Index: '1',
      RetryCount: '0',
      WebhookSid: webhook.sid,
    });
    expect(JSON.parse(received.params.Attributes!)).toEqual({ discordMessageId: '42' });
    expect(received.params.ClientIdentity).toBeUndefined();
    expect(received.params.Media).toBeUndefined();
    await emulator.control.settle();
    expect(receiver.requests.filter((r) => r.params.Body === 'silent')).toHaveLength(0);
    expect(emulator.control.executions({ conversationSid: conversation.sid })).toHaveLength(1);

    const state = await client.conversations.v1.conversations(conversation.sid).update({ state: 'closed' });
    expect(state.state).toBe('closed');
    const closedError = await restError(
      client.conversations.v1.conversations(conversation.sid).messages.create({ body: 'too late' }),
    );
    expect(closedError.status).toBe(400);
    expect(closedError.code).toBe(50377);
    const participantConversations = await client.conversations.v1.participantConversations.list({
      identity: 'discord:123456789012345678',
    });
    expect(
      participantConversations.find((p) => p.conversationSid === conversation.sid)?.conversationState,
    ).toBe('closed');
  });

  it('retries a webhook answered 500 with RetryCount incremented and the same idempotency token', async () => {
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Retry' });
    const hookUrl = `${receiver.url}/webhooks/flaky`;
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': hookUrl,
      'configuration.filters': ['onMessageAdded'],
    });
    let failures = 2;
    receiver.respond((r) => (r.path === '/webhooks/flaky' && failures-- > 0 ? { status: 500 } : undefined));
    const message = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ body: 'retry me', xTwilioWebhookEnabled: 'true' });
    const delivery = await emulator.control.waitForDelivery({
      conversationSid: conversation.sid,
      eventType: 'onMessageAdded',
    });
    receiver.respond(() => undefined);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const attempts = receiver.requests.filter((r) => r.params.MessageSid === message.sid);
    expect(attempts.map((r) => r.params.RetryCount)).toEqual(['0', '1', '2']);
    expect(new Set(attempts.map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
    for (const attempt of attempts) expect(isValidSignature(attempt, hookUrl)).toBe(true);
  });
});

describe('Studio, Flex and an agent', () => {
  it('routes one message to the bot and the next to Flex; an agent accepts, replies and wraps up', async () => {
    const botUrl = `${receiver.url}/bot`;
    const eventsUrl = `${receiver.url}/taskrouter-events`;
    receiver.respond((r) => {
      if (r.path !== '/bot') return undefined;
      return r.params.Body?.includes('agent')
        ? { json: { route: 'agent', caseNumber: 7, task: { customerName: 'Ada' } } }
        : { json: { route: 'bot' } };
    });
    await client.taskrouter.v1.workspaces(emulator.workspaceSid).update({ eventCallbackUrl: eventsUrl });

    const template = await readFile(new URL('./fixtures/bot-or-flex-flow.json', import.meta.url), 'utf8');
    const definition: unknown = JSON.parse(
      template
        .replace('__BOT_URL__', botUrl)
        .replace('__WORKFLOW_SID__', emulator.workflowSid)
        .replace('__TASK_CHANNEL_SID__', emulator.chatTaskChannelSid),
    );
    const validation = await client.studio.v2.flowValidate.update({
      friendlyName: 'Bot or Flex',
      status: 'published',
      definition,
    });
    expect(validation.valid).toBe(true);
    const flow = await client.studio.v2.flows.create({
      friendlyName: 'Bot or Flex',
      status: 'published',
      definition,
    });
    expect(flow.sid).toMatch(/^FW[0-9a-f]{32}$/);
    expect(flow.revision).toBe(1);
    expect(flow.valid).toBe(true);

    const member = 'discord:223456789012345678';
    const conversation = await client.conversations.v1.conversations.create({
      friendlyName: 'Ada',
      attributes: JSON.stringify({ channelType: 'discord', discord: { userId: '223456789012345678' } }),
    });
    await client.conversations.v1.conversations(conversation.sid).participants.create({ identity: member });
    const hookUrl = `${receiver.url}/webhooks/agent-story`;
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': hookUrl,
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded', 'onParticipantAdded', 'onConversationStateUpdated'],
    });
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'studio',
      'configuration.flowSid': flow.sid,
      'configuration.replayAfter': 0,
    });

    const first = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ author: member, body: 'how do I reset?', xTwilioWebhookEnabled: 'true' });
    const second = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ author: member, body: 'talk to an agent please', xTwilioWebhookEnabled: 'true' });
    await emulator.control.settle();

    const botCall = receiver.requests.find((r) => r.path === '/bot' && r.params.MessageSid === first.sid);
    expect(botCall).toBeDefined();
    expect(isValidSignature(botCall!, botUrl)).toBe(true);
    expect(botCall!.params).toMatchObject({
      ConversationSid: conversation.sid,
      Author: member,
      Source: 'API',
    });

    const executions = await client.studio.v2.flows(flow.sid).executions.list();
    expect(executions).toHaveLength(2);
    const steps = await client.studio.v2.flows(flow.sid).executions(executions[0]!.sid).steps.list();
    expect(steps.map((s) => s.transitionedTo)).toContain('to_flex');
    const context = await client.studio.v2
      .flows(flow.sid)
      .executions(executions[0]!.sid)
      .executionContext()
      .fetch();
    expect(context.context).toMatchObject({ trigger: { conversation: { MessageSid: second.sid } } });

    const tasks = await client.taskrouter.v1.workspaces(emulator.workspaceSid).tasks.list();
    const task = tasks.find((t) => JSON.parse(t.attributes).conversationSid === conversation.sid);
    expect(task).toBeDefined();
    expect(task!.taskChannelUniqueName).toBe('chat');
    expect(task!.workflowSid).toBe(emulator.workflowSid);
    const attributes = JSON.parse(task!.attributes) as Record<string, unknown>;
    expect(attributes).toMatchObject({
      // The flow asked for channelType discord; Flex writes the channel's type over it.
      channelType: 'web',
      customChannelType: 'discord',
      name: 'Ada',
      customerName: 'Ada',
      caseNumber: 7,
      discordUserId: '223456789012345678',
      conversationSid: conversation.sid,
      direction: 'inbound',
      from: member,
    });
    expect(attributes.flexInteractionSid).toMatch(/^KD/);
    expect(attributes.flexInteractionChannelSid).toMatch(/^UO/);
    const interaction = await client.flexApi.v1.interaction(String(attributes.flexInteractionSid)).fetch();
    expect(interaction.channel).toMatchObject({ properties: { media_channel_sid: conversation.sid } });

    // The agent accepts: reservation accepted, the agent joins the conversation.
    const accepted = emulator.control.acceptTask(task!.sid, 'Dana');
    expect(accepted.assignmentStatus).toBe('assigned');
    expect(accepted.agent).toBe('Dana');
    const dana = emulator.control.agents().find((a) => a.name === 'Dana')!;
    const joined = await receiver.waitFor(
      (r) =>
        r.path === '/webhooks/agent-story' &&
        r.params.EventType === 'onParticipantAdded' &&
        r.params.Identity === dana.identity,
    );
    expect(joined.params.Source).toBe('API');
    expect(isValidSignature(joined, hookUrl)).toBe(true);
    const reservationAccepted = await receiver.waitFor(
      (r) => r.path === '/taskrouter-events' && r.params.EventType === 'reservation.accepted',
    );
    expect(isValidSignature(reservationAccepted, eventsUrl)).toBe(true);
    expect(reservationAccepted.params).toMatchObject({
      TaskSid: task!.sid,
      WorkerSid: dana.workerSid,
      // A Flex worker's friendly name is the user's username (their email), not their chat identity.
      WorkerName: dana.email,
      WorkspaceSid: emulator.workspaceSid,
    });
    expect(JSON.parse(reservationAccepted.params.TaskAttributes!)).toMatchObject({
      conversationSid: conversation.sid,
    });
    expect(
      receiver.requests.some((r) => r.params.EventType === 'task.created' && r.params.TaskSid === task!.sid),
    ).toBe(true);

    // The agent replies from the Flex UI.
    const reply = emulator.control.sendAgentMessage('Dana', conversation.sid, { body: 'Hi Ada, Dana here' });
    const replied = await receiver.waitFor(
      (r) => r.path === '/webhooks/agent-story' && r.params.MessageSid === reply.sid,
    );
    expect(replied.params).toMatchObject({
      EventType: 'onMessageAdded',
      Source: 'SDK',
      ClientIdentity: dana.identity,
      Author: dana.identity,
    });

    // Asking again while the interaction is open makes no second task.
    await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ author: member, body: 'agent again?', xTwilioWebhookEnabled: 'true' });
    await emulator.control.settle();
    expect(emulator.control.tasks().filter((t) => t.conversationSid === conversation.sid)).toHaveLength(1);

    // Wrap-up closes the conversation; completing the task follows.
    const wrapped = emulator.control.wrapUpTask(task!.sid);
    expect(wrapped.assignmentStatus).toBe('wrapping');
    const closed = await receiver.waitFor(
      (r) => r.path === '/webhooks/agent-story' && r.params.EventType === 'onConversationStateUpdated',
    );
    expect(closed.params).toMatchObject({ StateFrom: 'active', StateTo: 'closed', Reason: 'API' });
    await receiver.waitFor(
      (r) => r.path === '/taskrouter-events' && r.params.EventType === 'reservation.wrapup',
    );
    expect(emulator.control.completeTask(task!.sid).assignmentStatus).toBe('completed');
    await receiver.waitFor((r) => r.path === '/taskrouter-events' && r.params.EventType === 'task.completed');

    const error = await restError(
      client.conversations.v1
        .conversations(conversation.sid)
        .messages.create({ author: member, body: 'still there?' }),
    );
    expect(error.code).toBe(50377);
    receiver.respond(() => undefined);
  });
});

describe('faults', () => {
  it('answers 429 / 20429 with Retry-After, which an auto-retrying client rides out', async () => {
    const id = emulator.control.injectFault({
      match: 'GET /conversations/v1/Conversations',
      status: 429,
      times: 1,
    });
    const error = await restError(client.conversations.v1.conversations.list({ limit: 1 }));
    expect(error.status).toBe(429);
    expect(error.code).toBe(20429);
    expect(emulator.control.faults().find((f) => f.id === id)).toBeUndefined();

    emulator.control.injectFault({ match: 'GET /conversations/v1/Conversations', status: 429, times: 2 });
    const retrying = twilio(
      emulator.accountSid,
      emulator.authToken,
      twilioClientOptions(emulator.url, { autoRetry: true, maxRetries: 3, maxRetryDelay: 50 }),
    );
    const list = await retrying.conversations.v1.conversations.list({ limit: 1 });
    expect(list).toHaveLength(1);
  });
});

describe('network faults', () => {
  it('cuts the connection without an answer, which the client sees as a network error', async () => {
    emulator.control.injectFault({ match: 'GET /conversations/v1/Conversations', reset: true, times: 1 });
    const error = (await client.conversations.v1.conversations.list({ limit: 1 }).catch((e) => e)) as {
      code?: string;
      message: string;
      status?: number;
    };
    expect(error.status).toBeUndefined();
    expect(`${error.code} ${error.message}`).toMatch(/ECONNRESET|socket hang up/);
    // Once: the next request is answered.
    expect(Array.isArray(await client.conversations.v1.conversations.list({ limit: 1 }))).toBe(true);
  });
});

describe('conversation timers', () => {
  it('moves an idle conversation to inactive, then closed, as the clock advances', async () => {
    const conversation = await client.conversations.v1.conversations.create({
      friendlyName: 'Idle',
      'timers.inactive': 'PT5M',
      'timers.closed': 'PT30M',
    });
    expect(conversation.timers).toHaveProperty('date_closed');
    const hookUrl = `${receiver.url}/webhooks/timers`;
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': hookUrl,
      'configuration.filters': ['onConversationStateUpdated'],
    });
    emulator.control.advanceClock('PT6M');
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).state).toBe('inactive');
    emulator.control.advanceClock(25 * 60_000);
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).state).toBe('closed');
    await emulator.control.settle();
    const events = receiver.requests.filter((r) => r.path === '/webhooks/timers').map((r) => r.params);
    expect(events.map((p) => [p.StateFrom, p.StateTo, p.Reason])).toEqual([
      ['active', 'inactive', 'TIMER'],
      ['inactive', 'closed', 'TIMER'],
    ]);
  });

  it('rejects a closed timer under ten minutes (50376)', async () => {
    const error = await restError(client.conversations.v1.conversations.create({ 'timers.closed': 'PT1M' }));
    expect(error.code).toBe(50376);
  });
});

describe('Flex tokens', () => {
  it('validates an issued token and rejects anything else', async () => {
    const { token, workerSid, identity } = emulator.control.issueFlexToken('Leo');
    const validate = (value: string, auth = `${emulator.accountSid}:${emulator.authToken}`) =>
      fetch(`${emulator.url}/iam/v1/Accounts/${emulator.accountSid}/Tokens/validate`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ token: value }),
      });
    const valid = (await (await validate(token)).json()) as Record<string, unknown>;
    expect(valid).toMatchObject({ valid: true, code: 0, identity, worker_sid: workerSid, roles: ['agent'] });
    expect(typeof valid.expiration).toBe('string');
    const invalid = (await (await validate(`${token}x`)).json()) as Record<string, unknown>;
    expect(invalid).toMatchObject({ valid: false, code: 20101, identity: null });
    expect((await validate(token, `${emulator.accountSid}:wrong`)).status).toBe(401);
  });

  it('issues JWEs (five base64url parts, alg and enc in the header) whose claims only IAM can read', async () => {
    const { token, identity } = emulator.control.issueFlexToken('Leo');
    const parts = token.split('.');
    expect(parts).toHaveLength(5);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]*$/);
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(header).toMatchObject({ alg: expect.any(String), enc: expect.any(String) });
    // Encrypted: neither the identity nor the account can be read from the token.
    const readable = parts.map((part) => Buffer.from(part, 'base64url').toString('latin1')).join(' ');
    expect(readable).not.toContain(identity);
    expect(readable).not.toContain(emulator.accountSid);
    // A token whose ciphertext was changed is refused, though it keeps its shape.
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    const forged = [parts[0], parts[1], parts[2], flipped, parts[4]].join('.');
    const answer = await fetch(`${emulator.url}/iam/v1/Accounts/${emulator.accountSid}/Tokens/validate`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ token: forged }),
    });
    expect(await answer.json()).toMatchObject({ valid: false, code: 20101 });
  });
});

describe('media', () => {
  it('uploads to MCS, fetches it back, and sends it in a message and its webhook', async () => {
    const auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const base = `${emulator.url}/mcs/v1/Services/${emulator.conversationsServiceSid}/Media`;
    const created = (await (
      await fetch(`${base}?Filename=pic.png`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'image/png' },
        body: bytes,
      })
    ).json()) as Record<string, unknown>;
    expect(created).toMatchObject({ content_type: 'image/png', filename: 'pic.png', size: 8 });
    expect(created.sid).toMatch(/^ME[0-9a-f]{32}$/);
    const fetched = (await (
      await fetch(`${base}/${created.sid}`, { headers: { Authorization: auth } })
    ).json()) as {
      links: { content_direct_temporary: string };
    };
    const content = Buffer.from(await (await fetch(fetched.links.content_direct_temporary)).arrayBuffer());
    expect(content.equals(bytes)).toBe(true);

    const form = new FormData();
    form.append('media', new Blob([bytes], { type: 'image/png' }), 'multi.png');
    const multipart = (await (
      await fetch(base, { method: 'POST', headers: { Authorization: auth }, body: form })
    ).json()) as Record<string, unknown>;
    expect(multipart).toMatchObject({ filename: 'multi.png', content_type: 'image/png', size: 8 });

    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Media' });
    const hookUrl = `${receiver.url}/webhooks/media`;
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': hookUrl,
      'configuration.filters': ['onMessageAdded'],
    });
    const message = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ mediaSid: String(created.sid), xTwilioWebhookEnabled: 'true' });
    expect(message.media).toEqual([
      { sid: created.sid, content_type: 'image/png', filename: 'pic.png', size: 8, category: 'media' },
    ]);
    const received = await receiver.waitFor((r) => r.params.MessageSid === message.sid);
    expect(JSON.parse(received.params.Media!)).toEqual([
      { Sid: created.sid, ContentType: 'image/png', Filename: 'pic.png', Size: 8 },
    ]);
  });
});

describe('media named in any script (#23)', () => {
  it('takes the name as the Filename query parameter or an RFC 8187 header, and serves the bytes under it', async () => {
    const auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
    const base = `${emulator.url}/mcs/v1/Services/${emulator.conversationsServiceSid}/Media`;
    const name = 'снимок экрана €.png';
    const byQuery = await fetch(`${base}?${new URLSearchParams({ Filename: name })}`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'image/png' },
      body: Buffer.from('png'),
    });
    expect(byQuery.status).toBe(201);
    const created = (await byQuery.json()) as { sid: string; filename: string };
    expect(created.filename).toBe(name);
    const byHeader = await fetch(base, {
      method: 'POST',
      headers: {
        Authorization: auth,
        'Content-Type': 'image/png',
        'Content-Disposition': `attachment; filename="? ?.png"; filename*=UTF-8''${encodeURIComponent('截图 🎮.png')}`,
      },
      body: Buffer.from('png'),
    });
    expect(await byHeader.json()).toMatchObject({ filename: '截图 🎮.png' });

    const meta = (await (
      await fetch(`${base}/${created.sid}`, { headers: { Authorization: auth } })
    ).json()) as {
      links: { content_direct_temporary: string };
    };
    const direct = await fetch(meta.links.content_direct_temporary);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    expect(await direct.text()).toBe('png');
  });
});

describe('media as Flex sends it', () => {
  it("takes an upload with the agent's Flex token (X-Twilio-Token, CORS) and names the agent its author", async () => {
    const base = `${emulator.url}/mcs/v1/Services/${emulator.conversationsServiceSid}/Media`;
    const preflight = await fetch(base, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Twilio-Token');
    const { token, identity } = emulator.control.issueFlexToken('Dana');
    const upload = await fetch(`${base}?Filename=guide.pdf`, {
      method: 'POST',
      headers: { 'X-Twilio-Token': token, 'Content-Type': 'application/pdf' },
      body: Buffer.from('%PDF-1.4'),
    });
    expect(upload.status).toBe(201);
    expect(await upload.json()).toMatchObject({ author: identity, filename: 'guide.pdf', size: 8 });
    const refused = await fetch(base, {
      method: 'POST',
      headers: { 'X-Twilio-Token': 'not-a-token', 'Content-Type': 'application/pdf' },
      body: Buffer.from('x'),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 20003 });
  });

  it("refuses media over Flex's 16 MiB chat limit (50512) and a second media in one message", async () => {
    const auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
    const base = `${emulator.url}/mcs/v1/Services/${emulator.conversationsServiceSid}/Media`;
    const upload = async (size: number) =>
      (
        (await (
          await fetch(base, {
            method: 'POST',
            headers: { Authorization: auth, 'Content-Type': 'video/mp4' },
            body: Buffer.alloc(size, 1),
          })
        ).json()) as { sid: string }
      ).sid;
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Limits' });
    const messages = client.conversations.v1.conversations(conversation.sid).messages;
    const tooLarge = await upload(16 * 1024 * 1024 + 1);
    await expect(messages.create({ mediaSid: tooLarge })).rejects.toMatchObject({
      status: 400,
      code: 50512,
      message: 'Message media size is too large',
    });
    const [one, two] = [await upload(10), await upload(10)];
    const form = new URLSearchParams([
      ['MediaSid', one],
      ['MediaSid', two],
    ]);
    const both = await fetch(`${emulator.url}/conversations/v1/Conversations/${conversation.sid}/Messages`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ code: 20001 });
    expect((await messages.create({ mediaSid: one })).media).toHaveLength(1);
  });
});

describe('the project flows', () => {
  const inbound = new URL('../../../flows/discord-inbound.json', import.meta.url);
  it.skipIf(!existsSync(inbound))(
    'runs flows/discord-inbound.json: bot turn, then a Discord task in Flex',
    async () => {
      const botUrl = `${receiver.url}/project-bot`;
      const definition: unknown = JSON.parse(
        (await readFile(inbound, 'utf8'))
          .replaceAll('${FLEXCORD_BOT_URL}', botUrl)
          .replaceAll('${FLEX_WORKFLOW_SID}', emulator.workflowSid)
          .replaceAll('${FLEX_CHAT_TASK_CHANNEL_SID}', emulator.chatTaskChannelSid),
      );
      const validation = await client.studio.v2.flowValidate.update({
        friendlyName: 'Discord inbound',
        status: 'published',
        definition,
      });
      expect(validation.valid).toBe(true);
      const flow = await client.studio.v2.flows.create({
        friendlyName: 'Discord inbound',
        status: 'published',
        definition,
      });
      receiver.respond((r) => {
        if (r.path !== '/project-bot') return undefined;
        const route: BotTurnResponse =
          r.params.Body === 'agent'
            ? {
                route: 'agent',
                caseNumber: 12,
                task: {
                  discordUserId: '323456789012345678',
                  discordUsername: 'ada',
                  discordAvatarUrl: 'https://cdn.example/a.png',
                  customerName: 'Ada L.',
                  lastAgent: '',
                },
              }
            : { route: 'bot' };
        return { json: route };
      });
      const member = 'discord:323456789012345678';
      const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Ada' });
      await client.conversations.v1.conversations(conversation.sid).participants.create({ identity: member });
      await client.conversations.v1
        .conversations(conversation.sid)
        .webhooks.create({ target: 'studio', 'configuration.flowSid': flow.sid });
      const first = await client.conversations.v1
        .conversations(conversation.sid)
        .messages.create({ author: member, body: 'hello', xTwilioWebhookEnabled: 'true' });
      await client.conversations.v1
        .conversations(conversation.sid)
        .messages.create({ author: member, body: 'agent', xTwilioWebhookEnabled: 'true' });
      await emulator.control.settle();
      receiver.respond(() => undefined);

      const turn = receiver.requests.find(
        (r) => r.path === '/project-bot' && r.params.MessageSid === first.sid,
      );
      expect(BotTurnRequestSchema.parse(turn?.params)).toMatchObject({
        ConversationSid: conversation.sid,
        Body: 'hello',
      });
      const tasks = emulator.control.tasks().filter((t) => t.conversationSid === conversation.sid);
      expect(tasks).toHaveLength(1);
      expect(DiscordTaskAttributesSchema.parse(tasks[0]!.attributes)).toMatchObject({
        channelType: 'web',
        customChannelType: 'discord',
        conversationSid: conversation.sid,
        caseNumber: 12,
        discordUserId: '323456789012345678',
        direction: 'inbound',
      });
    },
  );
});
