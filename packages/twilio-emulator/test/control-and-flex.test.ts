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
  emulator = await startTwilioEmulator({
    webhookRetryDelayMs: 10,
    webhookTimeoutMs: 300,
    webhookRetries: 1,
    faults: { seed: 42 },
  });
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await emulator?.stop();
});

async function restError(promise: Promise<unknown>): Promise<{ status: number; code: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: number };
  }
  throw new Error('expected the request to fail');
}

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** A conversation with a member, handed to Flex through the Interactions API. */
async function handedOver(name: string) {
  const conversation = await client.conversations.v1.conversations.create({ friendlyName: name });
  await client.conversations.v1
    .conversations(conversation.sid)
    .participants.create({ identity: `discord:${name}` });
  const interaction = await client.flexApi.v1.interaction.create({
    channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conversation.sid } },
    routing: {
      properties: {
        workspace_sid: emulator.workspaceSid,
        workflow_sid: emulator.workflowSid,
        task_channel_unique_name: 'chat',
        attributes: { customChannelType: 'discord', customerName: name, from: `discord:${name}` },
      },
    },
  });
  const routing = interaction.routing as { properties: { sid: string; attributes: string } };
  return { conversation, interaction, taskSid: routing.properties.sid };
}

describe('the Interactions API and TaskRouter', () => {
  it('creates a task with Flex attributes and reserves it for an available agent', async () => {
    const { conversation, interaction, taskSid } = await handedOver('ada');
    expect(interaction.sid).toMatch(/^KD[0-9a-f]{32}$/);
    const task = await client.taskrouter.v1.workspaces(emulator.workspaceSid).tasks(taskSid).fetch();
    expect(task.assignmentStatus).toBe('reserved');
    expect(JSON.parse(task.attributes)).toMatchObject({
      // Flex writes the channel's own type; the caller's attribute stays.
      channelType: 'web',
      customChannelType: 'discord',
      customerName: 'ada',
      conversationSid: conversation.sid,
      flexInteractionSid: interaction.sid,
      direction: 'inbound',
    });
    const reservations = await client.taskrouter.v1
      .workspaces(emulator.workspaceSid)
      .tasks(taskSid)
      .reservations.list();
    expect(reservations).toHaveLength(1);
    expect(reservations[0]!.reservationStatus).toBe('pending');

    const channels = await client.flexApi.v1.interaction(interaction.sid).channels.list();
    expect(channels).toHaveLength(1);
    const participants = await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channels[0]!.sid)
      .participants.list();
    expect(participants.map((p) => p.type)).toEqual(['customer']);

    const configuration = await client.flexApi.v1.configuration().fetch();
    expect(configuration.taskrouterWorkspaceSid).toBe(emulator.workspaceSid);
  });

  it('offers tasks only to agents whose activity is Available', async () => {
    emulator.control.setAgentActivity('Dana', 'Unavailable');
    emulator.control.setAgentActivity('Leo', 'Offline');
    try {
      const { taskSid } = await handedOver('una');
      expect(emulator.control.task(taskSid).reservations).toEqual([]);
      expect(emulator.control.agents().map((a) => a.activity)).toEqual(['Unavailable', 'Offline']);
      emulator.control.setAgentActivity('Leo', 'Available');
      const offered = emulator.control.task(taskSid).reservations;
      expect(offered.map((r) => [r.agent, r.status])).toEqual([['Leo', 'pending']]);
      emulator.control.rejectTask(taskSid, 'Leo');
    } finally {
      emulator.control.setAgentActivity('Dana', 'Available');
      emulator.control.setAgentActivity('Leo', 'Available');
    }
  });

  it('transfers over an invite: a task only for the named agent; closing the first agent completes their task', async () => {
    const { conversation, interaction, taskSid } = await handedOver('ivy');
    emulator.control.acceptTask(taskSid, 'Dana');
    const channelSid = emulator.control.task(taskSid).interactionChannelSid!;
    const leo = emulator.control.agents().find((a) => a.name === 'Leo')!;
    const invite = await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .invites.create({
        routing: {
          properties: {
            workspace_sid: emulator.workspaceSid,
            task_channel_unique_name: 'chat',
            worker_sid: leo.workerSid,
            attributes: { transferFrom: 'Dana' },
          },
        },
      });
    expect(invite.sid).toMatch(/^KG[0-9a-f]{32}$/);
    const invited = emulator.control
      .tasks()
      .find((t) => t.sid !== taskSid && t.conversationSid === conversation.sid)!;
    expect(invited.attributes).toMatchObject({ transferFrom: 'Dana', conversationSid: conversation.sid });
    expect(invited.reservations.map((r) => r.agent)).toEqual(['Leo']);
    const dana = (
      await client.flexApi.v1.interaction(interaction.sid).channels(channelSid).participants.list()
    ).find((p) => p.type === 'agent')!;
    await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .participants(dana.sid)
      .update({ status: 'closed' });
    expect(emulator.control.task(taskSid).assignmentStatus).toBe('completed');
    const identities = (
      await client.conversations.v1.conversations(conversation.sid).participants.list()
    ).map((p) => p.identity);
    expect(identities).not.toContain(emulator.control.agents().find((a) => a.name === 'Dana')!.identity);
    emulator.control.acceptTask(invited.sid, 'Leo');
    expect(
      (await client.conversations.v1.conversations(conversation.sid).participants.list()).map(
        (p) => p.identity,
      ),
    ).toContain(leo.identity);
    await expect(
      client.flexApi.v1
        .interaction(interaction.sid)
        .channels(channelSid)
        .invites.create({ routing: { properties: {} } }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('passes a rejected task on to the next agent', async () => {
    const { taskSid } = await handedOver('bob');
    const first = emulator.control.task(taskSid).reservations[0]!;
    const rejected = emulator.control.rejectTask(taskSid, first.agent!);
    const next = rejected.reservations.find((r) => r.status === 'pending');
    expect(next).toBeDefined();
    expect(next!.agent).not.toBe(first.agent);
    expect(rejected.assignmentStatus).toBe('reserved');
  });

  it('closes the interaction channel over REST: the conversation closes, the task wraps up, or completes with Routing closed', async () => {
    const { conversation, interaction, taskSid } = await handedOver('cyd');
    emulator.control.acceptTask(taskSid, 'Leo');
    const channelSid = emulator.control.task(taskSid).interactionChannelSid!;
    const participants = await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .participants.list();
    expect(participants.map((p) => p.type).sort()).toEqual(['agent', 'customer']);
    const channel = await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .update({ status: 'closed' });
    expect(channel.status).toBe('closed');
    expect(emulator.control.task(taskSid).assignmentStatus).toBe('wrapping');
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).state).toBe('closed');
    await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .update({ status: 'closed', routing: { status: 'closed' } });
    expect(emulator.control.task(taskSid).assignmentStatus).toBe('completed');
    await expect(
      client.flexApi.v1.interaction(interaction.sid).channels(channelSid).update({ status: 'inactive' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('wraps up over the interaction participant and completes with the conversation left open', async () => {
    const { conversation, interaction, taskSid } = await handedOver('dee');
    emulator.control.acceptTask(taskSid, 'Dana');
    const channelSid = emulator.control.task(taskSid).interactionChannelSid!;
    const agent = (
      await client.flexApi.v1.interaction(interaction.sid).channels(channelSid).participants.list()
    ).find((p) => p.type === 'agent')!;
    await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .participants(agent.sid)
      .update({ status: 'wrapup' });
    expect(emulator.control.task(taskSid).assignmentStatus).toBe('wrapping');
    await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channelSid)
      .participants(agent.sid)
      .update({ status: 'closed' });
    expect(emulator.control.task(taskSid).assignmentStatus).toBe('completed');
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).state).toBe('active');
  });

  it('can wrap up leaving the conversation open, the agent leaving it', async () => {
    const { conversation, taskSid } = await handedOver('eve');
    emulator.control.acceptTask(taskSid, 'Dana');
    const dana = emulator.control.agents().find((a) => a.name === 'Dana')!;
    const before = await client.conversations.v1.conversations(conversation.sid).participants.list();
    expect(before.map((p) => p.identity)).toContain(dana.identity);
    emulator.control.completeTask(taskSid, { closeConversation: false });
    const after = await client.conversations.v1.conversations(conversation.sid).participants.list();
    expect(after.map((p) => p.identity)).not.toContain(dana.identity);
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).state).toBe('active');
    expect(emulator.control.task(taskSid).assignmentStatus).toBe('completed');
  });

  it('lists workspaces, workflows, task channels, activities and workers', async () => {
    const workspace = client.taskrouter.v1.workspaces(emulator.workspaceSid);
    expect((await client.taskrouter.v1.workspaces.list()).map((w) => w.sid)).toEqual([emulator.workspaceSid]);
    expect((await workspace.workflows.list()).map((w) => w.friendlyName)).toEqual(['Assign to Anyone']);
    const channels = await workspace.taskChannels.list();
    expect(channels.find((c) => c.uniqueName === 'chat')?.sid).toBe(emulator.chatTaskChannelSid);
    expect((await workspace.activities.list()).map((a) => a.friendlyName)).toContain('Available');
    const workers = await workspace.workers.list();
    expect(workers.map((w) => JSON.parse(w.attributes).full_name)).toEqual(['Dana', 'Leo']);
    expect(JSON.parse(workers[0]!.attributes)).toMatchObject({ contact_uri: 'client:dana_40example_2Ecom' });
  });
});

describe('Conversations limits and options', () => {
  it('refuses a sixth webhook (50361), a taken unique name (50353) and a body over 32 KB (50504)', async () => {
    const unique = `limits-${Date.now()}`;
    const conversation = await client.conversations.v1.conversations.create({ uniqueName: unique });
    expect((await restError(client.conversations.v1.conversations.create({ uniqueName: unique }))).code).toBe(
      50353,
    );
    for (let i = 0; i < 5; i += 1) {
      await client.conversations.v1
        .conversations(conversation.sid)
        .webhooks.create({ target: 'webhook', 'configuration.url': `${receiver.url}/w${i}` });
    }
    const sixth = await restError(
      client.conversations.v1
        .conversations(conversation.sid)
        .webhooks.create({ target: 'webhook', 'configuration.url': `${receiver.url}/w6` }),
    );
    expect(sixth.code).toBe(50361);
    const long = await restError(
      client.conversations.v1
        .conversations(conversation.sid)
        .messages.create({ body: 'x'.repeat(33 * 1024) }),
    );
    expect(long.code).toBe(50504);
    const participant = await client.conversations.v1
      .conversations(conversation.sid)
      .participants.create({ identity: 'someone' });
    const duplicate = await restError(
      client.conversations.v1.conversations(conversation.sid).participants.create({ identity: 'someone' }),
    );
    expect(duplicate.code).toBe(50433);
    await client.conversations.v1.conversations(conversation.sid).participants(participant.sid).remove();
    expect(await client.conversations.v1.conversations(conversation.sid).participants.list()).toHaveLength(0);
  });

  it('serves the service-scoped aliases and the service webhook sink (GET method signed over the URL)', async () => {
    const service = client.conversations.v1.services(emulator.conversationsServiceSid);
    const conversation = await service.conversations.create({ friendlyName: 'Aliased' });
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).friendlyName).toBe(
      'Aliased',
    );
    const sinkUrl = `${receiver.url}/sink?tenant=1`;
    const config = await client.conversations.v1.configuration.webhooks().update({
      postWebhookUrl: sinkUrl,
      method: 'GET',
      filters: ['onMessageAdded', 'onConversationAdded'],
    });
    expect(config.postWebhookUrl).toBe(sinkUrl);
    const message = await service.conversations(conversation.sid).messages.create({
      body: 'via service',
      xTwilioWebhookEnabled: 'true',
    });
    const received = await receiver.waitFor((r) => r.url.includes(message.sid));
    expect(received.method).toBe('GET');
    const url = `${receiver.url}${received.url}`;
    expect(
      twilio.validateRequest(emulator.authToken, String(received.headers['x-twilio-signature']), url, {}),
    ).toBe(true);
    await client.conversations.v1.configuration.webhooks().update({ postWebhookUrl: '' });
    const unknown = await restError(
      client.conversations.v1.services('IS00000000000000000000000000000000').conversations.list(),
    );
    expect(unknown.status).toBe(404);
  });

  it('gives up after the configured retries on a receiver that times out', async () => {
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Slow' });
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': `${receiver.url}/slow`,
      'configuration.filters': ['onMessageAdded'],
    });
    receiver.respond((r) => (r.path === '/slow' ? { delayMs: 600 } : undefined));
    await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ body: 'anyone?', xTwilioWebhookEnabled: 'true' });
    const delivery = await emulator.control.waitForDelivery({ conversationSid: conversation.sid });
    receiver.respond(() => undefined);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => a.error)).toEqual(['timeout', 'timeout']);
  });
});

describe('Studio REST', () => {
  const definition = (next?: string) => ({
    description: 'x',
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: [{ event: 'incomingRequest', ...(next ? { next } : {}) }],
        properties: {},
      },
      {
        name: 'set',
        type: 'set-variables',
        transitions: [{ event: 'next' }],
        properties: { variables: [{ key: 'a', value: '1' }] },
      },
    ],
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
  });

  it('validates, keeps revisions, refuses to publish an invalid flow and runs REST executions', async () => {
    const invalid = await restError(
      client.studio.v2.flowValidate.update({
        friendlyName: 'bad',
        status: 'published',
        definition: definition('nowhere'),
      }),
    );
    expect(invalid.status).toBe(400);
    const draft = await client.studio.v2.flows.create({
      friendlyName: 'Draft',
      status: 'draft',
      definition: definition('nowhere'),
    });
    expect(draft.valid).toBe(false);
    expect(draft.errors?.length).toBeGreaterThan(0);
    const refused = await restError(
      client.studio.v2.flows(draft.sid).update({ status: 'published', definition: definition('nowhere') }),
    );
    expect(refused.status).toBe(400);
    const published = await client.studio.v2
      .flows(draft.sid)
      .update({ status: 'published', definition: definition('set'), commitMessage: 'fix' });
    expect(published.revision).toBe(2);
    expect(published.valid).toBe(true);
    expect(published.commitMessage).toBe('fix');
    expect(published.webhookUrl).toContain(draft.sid);
    // (twilio-node 6.2's revisions.list() cannot build instances; fetch one instead)
    const first = await client.studio.v2.flows(draft.sid).revisions('1').fetch();
    expect(first).toMatchObject({ revision: 1, valid: false, status: 'draft' });
    const execution = await client.studio.v2
      .flows(draft.sid)
      .executions.create({ to: 'bridge', from: 'test', parameters: { x: 1 } });
    expect(execution.sid).toMatch(/^FN[0-9a-f]{32}$/);
    expect(execution.status).toBe('ended');
    const steps = await client.studio.v2.flows(draft.sid).executions(execution.sid).steps.list();
    expect(steps[0]!.sid).toMatch(/^FT[0-9a-f]{32}$/);
    expect((await client.studio.v2.flows.list()).map((f) => f.sid)).toContain(draft.sid);
    await client.studio.v2.flows(draft.sid).remove();
    expect((await restError(client.studio.v2.flows(draft.sid).fetch())).code).toBe(20404);
  });
});

describe('the control API over HTTP', () => {
  it('lists agents, issues tokens, accepts tasks, chats with media and streams events', async () => {
    const events: string[] = [];
    const abort = new AbortController();
    const stream = await fetch(`${emulator.url}/_emulator/events`, { signal: abort.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          for (const line of decoder.decode(value).split('\n'))
            if (line.startsWith('event: ')) events.push(line.slice(7));
        }
      } catch {
        // aborted
      }
    })();

    const info = await control('GET', '/');
    expect(info.json).toMatchObject({ accountSid: emulator.accountSid, workspaceSid: emulator.workspaceSid });
    const agents = await control('GET', '/agents');
    expect((agents.json.agents as Array<{ name: string }>).map((a) => a.name)).toEqual(['Dana', 'Leo']);
    const token = await control('POST', '/agents/dana/token', { ttlSeconds: 60 });
    expect(token.status).toBe(201);
    // A JWE in compact serialization, as Flex user tokens are.
    expect(String(token.json.token).split('.')).toHaveLength(5);

    const { conversation, taskSid } = await handedOver('fay');
    const tasks = await control('GET', '/tasks?status=reserved');
    expect((tasks.json.tasks as Array<{ sid: string }>).map((t) => t.sid)).toContain(taskSid);
    const accepted = await control('POST', `/tasks/${taskSid}/accept`, { agent: 'Leo' });
    expect(accepted.json).toMatchObject({
      assignmentStatus: 'assigned',
      agent: 'Leo',
      conversationSid: conversation.sid,
    });
    const sent = await control('POST', `/conversations/${conversation.sid}/messages`, {
      agent: 'Leo',
      body: 'here is the file',
      media: {
        contentType: 'text/plain',
        filename: 'notes.txt',
        base64: Buffer.from('hello').toString('base64'),
      },
    });
    expect(sent.status).toBe(201);
    const [media] = sent.json.media as Array<{ sid: string }>;
    expect(media).toMatchObject({ content_type: 'text/plain', filename: 'notes.txt', size: 5 });
    const bytes = await fetch(`${emulator.url}/_emulator/media/${media!.sid}`);
    expect(await bytes.text()).toBe('hello');
    const view = await control('GET', `/conversations/${conversation.sid}`);
    expect((view.json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['here is the file']);
    expect(view.json.participants).toHaveLength(2);

    const closed = await control('POST', `/tasks/${taskSid}/complete`, {});
    expect(closed.json).toMatchObject({ assignmentStatus: 'completed' });
    expect((await control('GET', `/conversations/${conversation.sid}`)).json).toMatchObject({
      state: 'closed',
    });
    expect((await control('POST', '/clock/advance', { by: 'PT1M' })).status).toBe(200);
    expect((await control('POST', `/tasks/${taskSid}/accept`, {})).status).toBe(400);
    expect((await control('GET', `/executions?conversationSid=${conversation.sid}`)).json.executions).toEqual(
      [],
    );
    expect(Array.isArray((await control('GET', '/deliveries')).json.deliveries)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    await reading;
    expect(events).toEqual(
      expect.arrayContaining(['task.updated', 'reservation.created', 'message.added', 'conversation.state']),
    );
  });

  it('injects faults over HTTP: a 503 for the next request, seeded probabilities, delays', async () => {
    const added = await control('POST', '/faults', {
      match: 'GET /taskrouter/v1/Workspaces/**',
      status: 503,
      times: 1,
    });
    expect(added.status).toBe(201);
    const error = await restError(client.taskrouter.v1.workspaces(emulator.workspaceSid).fetch());
    expect(error.status).toBe(503);
    expect((await client.taskrouter.v1.workspaces(emulator.workspaceSid).fetch()).sid).toBe(
      emulator.workspaceSid,
    );

    await control('POST', '/faults', {
      match: 'GET /taskrouter/v1/Workspaces',
      status: 429,
      probability: 0.5,
    });
    const outcomes: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      outcomes.push(
        await client.taskrouter.v1.workspaces.list().then(
          () => 200,
          (e: { status: number }) => e.status,
        ),
      );
    }
    expect(outcomes.filter((s) => s === 429).length).toBeGreaterThan(2);
    expect(outcomes.filter((s) => s === 200).length).toBeGreaterThan(2);
    await control('DELETE', '/faults');
    emulator.control.injectFault({ match: '/taskrouter/v1/Workspaces', delayMs: 150, times: 1 });
    const started = Date.now();
    await client.taskrouter.v1.workspaces.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await control('GET', '/faults')).json).toEqual({ faults: [] });
  });
});
