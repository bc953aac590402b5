import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../src/index.ts';
import { startReceiver } from './helpers.ts';

/**
 * What Flex owns on a Conversations task: Send to Flex (Studio) and the Interactions API write
 * `channelType`, `conversations.*`, `conversationSid`, `flexInteractionChannelSid`, `initiatedBy`
 * and `direction` themselves, whatever the given attributes said; attributes of the caller's own
 * (here `customChannelType`) reach the task as they are.
 */

type Twilio = ReturnType<typeof twilio>;

let emulator: TwilioEmulator;
let client: Twilio;

beforeAll(async () => {
  emulator = await startTwilioEmulator({ webhookRetryDelayMs: 10, webhookTimeoutMs: 300, webhookRetries: 1 });
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
});

afterAll(async () => {
  await emulator?.stop();
});

/** What a Studio flow or an integrator would like the task to say about itself. */
const WISHED = {
  channelType: 'discord',
  customChannelType: 'discord',
  conversationSid: `CH${'0'.repeat(32)}`,
  flexInteractionChannelSid: `UO${'0'.repeat(32)}`,
  initiatedBy: 'bot',
  direction: 'outbound',
  customerName: 'Ada Lovelace 🧮',
  caseNumber: 7,
  conversations: { conversation_attribute_1: 'Discord', communication_channel: 'Discord' },
};

async function memberConversation(name: string) {
  const conversation = await client.conversations.v1.conversations.create({ friendlyName: name });
  await client.conversations.v1
    .conversations(conversation.sid)
    .participants.create({ identity: `discord:${name}` });
  return conversation;
}

async function taskAttributes(taskSid: string): Promise<Record<string, unknown>> {
  const task = await client.taskrouter.v1.workspaces(emulator.workspaceSid).tasks(taskSid).fetch();
  return JSON.parse(task.attributes) as Record<string, unknown>;
}

/** Flex's own keys on an inbound task of a conversation's interaction channel. */
function flexOwned(conversationSid: string, channelSid: string, channelType: string, communication: string) {
  return {
    channelType,
    conversationSid,
    flexInteractionChannelSid: channelSid,
    initiatedBy: 'customer',
    direction: 'inbound',
    conversations: expect.objectContaining({
      communication_channel: communication,
      media: [{ conversation_sid: conversationSid }],
      initiated_by: 'Customer',
      direction: 'Inbound',
    }),
  };
}

describe('a task handed to Flex by Studio’s Send to Flex', () => {
  it('carries the channel type Flex gives it, not the one the flow set; the flow’s own attributes stay', async () => {
    const flow = await client.studio.v2.flows.create({
      friendlyName: 'Straight to Flex',
      status: 'published',
      definition: {
        description: 'Every message goes to Flex',
        states: [
          {
            name: 'Trigger',
            type: 'trigger',
            transitions: [{ event: 'incomingConversationMessage', next: 'to_flex' }],
            properties: {},
          },
          {
            name: 'to_flex',
            type: 'send-to-flex',
            transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
            properties: {
              workflow: emulator.workflowSid,
              channel: emulator.chatTaskChannelSid,
              attributes: JSON.stringify(WISHED),
            },
          },
        ],
        initial_state: 'Trigger',
        flags: { allow_concurrent_calls: true },
      },
    });
    const conversation = await memberConversation('ada');
    await client.conversations.v1.conversations(conversation.sid).webhooks.create({
      target: 'studio',
      'configuration.flowSid': flow.sid,
    });
    await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ author: 'discord:ada', body: 'talk to an agent', xTwilioWebhookEnabled: 'true' });
    await emulator.control.settle();

    const [task] = emulator.control.tasks().filter((t) => t.attributes.conversationSid === conversation.sid);
    expect(task).toBeDefined();
    const attributes = await taskAttributes(task!.sid);
    const [channel] = await client.flexApi.v1
      .interaction(String(attributes.flexInteractionSid))
      .channels.list();
    expect(attributes).toMatchObject({
      ...flexOwned(conversation.sid, channel!.sid, 'web', 'Web'),
      customChannelType: 'discord',
      customerName: 'Ada Lovelace 🧮',
      caseNumber: 7,
    });
    // Keys of the flow's own inside `conversations` (Insights custom attributes) are kept.
    expect(attributes.conversations).toMatchObject({ conversation_attribute_1: 'Discord' });
  });
});

describe('an interaction created over the Interactions API', () => {
  it('answers 200 and gives the task the channel’s type and Flex’s conversation attributes', async () => {
    const conversation = await memberConversation('bea');
    const created = await client.flexApi.v1.interaction.createWithHttpInfo({
      channel: {
        type: 'whatsapp',
        initiated_by: 'customer',
        properties: { media_channel_sid: conversation.sid },
      },
      routing: {
        properties: {
          workspace_sid: emulator.workspaceSid,
          workflow_sid: emulator.workflowSid,
          task_channel_unique_name: 'chat',
          attributes: WISHED,
        },
      },
    });
    expect(created.statusCode).toBe(200);
    const interaction = created.body;
    const taskSid = (interaction.routing as { properties: { sid: string } }).properties.sid;
    const [channel] = await client.flexApi.v1.interaction(interaction.sid).channels.list();
    expect(await taskAttributes(taskSid)).toMatchObject({
      ...flexOwned(conversation.sid, channel!.sid, 'whatsapp', 'Whatsapp'),
      flexInteractionSid: interaction.sid,
      customChannelType: 'discord',
      customerName: 'Ada Lovelace 🧮',
    });
  });

  it('a chat channel’s task says web, as Flex’s chat tasks do', async () => {
    const conversation = await memberConversation('cyd');
    const interaction = await client.flexApi.v1.interaction.create({
      channel: { type: 'chat', initiated_by: 'api', properties: { media_channel_sid: conversation.sid } },
      routing: {
        properties: { workspace_sid: emulator.workspaceSid, attributes: { channelType: 'discord' } },
      },
    });
    const taskSid = (interaction.routing as { properties: { sid: string } }).properties.sid;
    expect(await taskAttributes(taskSid)).toMatchObject({
      channelType: 'web',
      initiatedBy: 'api',
      direction: 'inbound',
      conversations: expect.objectContaining({ communication_channel: 'Web', initiated_by: 'Api' }),
    });
  });

  it('an invite answers 200 and its task carries the invite and Flex’s attributes again', async () => {
    const conversation = await memberConversation('dee');
    const interaction = await client.flexApi.v1.interaction.create({
      channel: {
        type: 'chat',
        initiated_by: 'customer',
        properties: { media_channel_sid: conversation.sid },
      },
      routing: {
        properties: { workspace_sid: emulator.workspaceSid, attributes: { customChannelType: 'discord' } },
      },
    });
    const [channel] = await client.flexApi.v1.interaction(interaction.sid).channels.list();
    const invited = await client.flexApi.v1
      .interaction(interaction.sid)
      .channels(channel!.sid)
      .invites.createWithHttpInfo({
        routing: {
          properties: {
            workspace_sid: emulator.workspaceSid,
            workflow_sid: emulator.workflowSid,
            task_channel_unique_name: 'chat',
            attributes: { ...WISHED, transferredFromTaskSid: 'WT1' },
          },
        },
      });
    expect(invited.statusCode).toBe(200);
    const invite = invited.body;
    const inviteTask = emulator.control.tasks().find((t) => t.attributes.flexChannelInviteSid === invite.sid);
    expect(inviteTask).toBeDefined();
    expect(await taskAttributes(inviteTask!.sid)).toMatchObject({
      ...flexOwned(conversation.sid, channel!.sid, 'web', 'Web'),
      flexChannelInviteSid: invite.sid,
      customChannelType: 'discord',
      transferredFromTaskSid: 'WT1',
    });
  });

  it('updates the interaction’s webhook TTID (POST /Interactions/{KD})', async () => {
    const conversation = await memberConversation('eve');
    const interaction = await client.flexApi.v1.interaction.create({
      channel: {
        type: 'chat',
        initiated_by: 'customer',
        properties: { media_channel_sid: conversation.sid },
      },
      routing: { properties: { workspace_sid: emulator.workspaceSid, attributes: {} } },
    });
    const updated = await client.flexApi.v1
      .interaction(interaction.sid)
      .updateWithHttpInfo({ webhookTtid: 'flex_interactionwebhook_01jke8z8vte4ette30t5w9h081' });
    expect(updated.statusCode).toBe(200);
    expect(updated.body.webhookTtid).toBe('flex_interactionwebhook_01jke8z8vte4ette30t5w9h081');
    expect((await client.flexApi.v1.interaction(interaction.sid).fetch()).webhookTtid).toBe(
      'flex_interactionwebhook_01jke8z8vte4ette30t5w9h081',
    );
    const missing = await client.flexApi.v1
      .interaction(`KD${'0'.repeat(32)}`)
      .update({ webhookTtid: 'x' })
      .catch((error: { status: number; code: number }) => error);
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });
});

describe('an interaction channel’s participants and transfers', () => {
  async function acceptedChat(name: string) {
    const conversation = await memberConversation(name);
    const interaction = await client.flexApi.v1.interaction.create({
      channel: {
        type: 'chat',
        initiated_by: 'customer',
        properties: { media_channel_sid: conversation.sid },
      },
      routing: {
        properties: { workspace_sid: emulator.workspaceSid, attributes: { customChannelType: 'discord' } },
      },
    });
    const taskSid = (interaction.routing as { properties: { sid: string } }).properties.sid;
    emulator.control.acceptTask(taskSid, 'Dana');
    const channel = client.flexApi.v1
      .interaction(interaction.sid)
      .channels((await client.flexApi.v1.interaction(interaction.sid).channels.list())[0]!.sid);
    return { interaction, channel, taskSid };
  }

  it('adds a participant (POST …/Participants) with its media properties, answering 200', async () => {
    const { channel } = await acceptedChat('fay');
    const added = await channel.participants.createWithHttpInfo({
      type: 'supervisor',
      mediaProperties: { identity: 'leo_40example_2Ecom' },
    });
    expect(added.statusCode).toBe(200);
    expect(added.body.sid).toMatch(/^UT[0-9a-f]{32}$/);
    expect(added.body.type).toBe('supervisor');
    const listed = await channel.participants.list();
    expect(listed.map((p) => p.type)).toEqual(['customer', 'agent', 'supervisor']);

    const noType = await channel.participants
      .create({ type: 'boss' as 'agent', mediaProperties: {} })
      .catch((error: { status: number; code: number }) => error);
    expect(noType).toMatchObject({ status: 400, code: 20001 });
  });

  it('records a transfer (POST …/Transfers answers 201), readable and updatable at links.transfers', async () => {
    const { channel } = await acceptedChat('gus');
    const agent = (await channel.participants.list()).find((p) => p.type === 'agent')!;
    const created = await channel.transfers.createWithHttpInfo({
      type: 'cold',
      from: agent.sid,
      to: emulator.workflowSid,
    });
    expect(created.statusCode).toBe(201);
    const transfer = created.body;
    expect(transfer.sid).toMatch(/^UX[0-9a-f]{32}$/);
    expect(transfer).toMatchObject({
      type: 'cold',
      status: 'active',
      from: agent.sid,
      to: emulator.workflowSid,
    });
    const fetched = await channel.transfers(transfer.sid).fetch();
    expect(fetched.sid).toBe(transfer.sid);
    const updated = await channel.transfers(transfer.sid).update({ status: 'completed' });
    expect(updated.status).toBe('completed');
    const fetchedChannel = await channel.fetch();
    expect((fetchedChannel.links as Record<string, string>).transfers).toBe(
      `${fetchedChannel.url}/Transfers`,
    );

    const fromNobody = await channel.transfers
      .create({ type: 'cold', to: emulator.workflowSid })
      .catch((error: { status: number; code: number }) => error);
    expect(fromNobody).toMatchObject({ status: 400, code: 20001 });
  });
});

describe('Flex adding the accepting agent, with flexAgentJoinWebhooks: false', () => {
  it('joins the agent to the conversation without onParticipantAdded; TaskRouter still says reservation.accepted', async () => {
    const receiver = await startReceiver();
    const quiet = await startTwilioEmulator({ flexAgentJoinWebhooks: false, webhookRetries: 0 });
    try {
      const api = twilio(quiet.accountSid, quiet.authToken, twilioClientOptions(quiet.url));
      await api.taskrouter.v1
        .workspaces(quiet.workspaceSid)
        .update({ eventCallbackUrl: `${receiver.url}/taskrouter` });
      const conversation = await api.conversations.v1.conversations.create({ friendlyName: 'hal' });
      await api.conversations.v1
        .conversations(conversation.sid)
        .participants.create({ identity: 'discord:hal' });
      await api.conversations.v1.conversations(conversation.sid).webhooks.create({
        target: 'webhook',
        'configuration.url': `${receiver.url}/conversation`,
        'configuration.filters': ['onParticipantAdded'],
      });
      const interaction = await api.flexApi.v1.interaction.create({
        channel: {
          type: 'chat',
          initiated_by: 'customer',
          properties: { media_channel_sid: conversation.sid },
        },
        routing: {
          properties: { workspace_sid: quiet.workspaceSid, attributes: { customChannelType: 'discord' } },
        },
      });
      const taskSid = (interaction.routing as { properties: { sid: string } }).properties.sid;
      quiet.control.acceptTask(taskSid, 'Dana');
      await quiet.control.settle();

      const identities = (await api.conversations.v1.conversations(conversation.sid).participants.list()).map(
        (p) => p.identity,
      );
      expect(identities).toContain('dana_40example_2Ecom');
      expect(quiet.control.deliveries({ eventType: 'onParticipantAdded' })).toEqual([]);
      const accepted = quiet.control.deliveries({ eventType: 'reservation.accepted' });
      expect(accepted).toHaveLength(1);
      expect(JSON.parse(accepted[0]!.params.TaskAttributes ?? '{}')).toMatchObject({
        channelType: 'web',
        customChannelType: 'discord',
      });
    } finally {
      await quiet.stop();
      await receiver.close();
    }
  });
});
