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
  emulator = await startTwilioEmulator({ webhookRetryDelayMs: 10, webhookTimeoutMs: 300, webhookRetries: 1 });
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await emulator?.stop();
});

describe('the Conversations service and account configuration', () => {
  it('fetches the service, the account configuration and the service configuration', async () => {
    const service = await client.conversations.v1.services(emulator.conversationsServiceSid).fetch();
    expect(service).toMatchObject({ sid: emulator.conversationsServiceSid, accountSid: emulator.accountSid });
    expect(service.links).toMatchObject({ conversations: expect.stringContaining('/Conversations') });
    const [listed] = await client.conversations.v1.services.list();
    expect(listed?.sid).toBe(emulator.conversationsServiceSid);

    const configuration = await client.conversations.v1.configuration().fetch();
    expect(configuration.defaultChatServiceSid).toBe(emulator.conversationsServiceSid);
    const serviceConfiguration = await client.conversations.v1
      .services(emulator.conversationsServiceSid)
      .configuration()
      .fetch();
    expect(serviceConfiguration.chatServiceSid).toBe(emulator.conversationsServiceSid);
    expect(serviceConfiguration.defaultConversationRoleSid).toMatch(/^RL/);
  });

  it('keeps the service webhooks apart from the account ones; the service ones, once set, override', async () => {
    const service = client.conversations.v1.services(emulator.conversationsServiceSid);
    const global = await client.conversations.v1.configuration.webhooks().update({
      postWebhookUrl: `${receiver.url}/global`,
      filters: ['onMessageAdded'],
      target: 'webhook',
    });
    expect(global).toMatchObject({ target: 'webhook', postWebhookUrl: `${receiver.url}/global` });
    const serviceHooks = await service.configuration.webhooks().fetch();
    expect(serviceHooks.postWebhookUrl).toBeNull();
    expect(serviceHooks.chatServiceSid).toBe(emulator.conversationsServiceSid);

    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Hooks' });
    const first = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ body: 'one', xTwilioWebhookEnabled: 'true' });
    expect((await receiver.waitFor((r) => r.params.MessageSid === first.sid)).path).toBe('/global');

    // The service's own webhooks: only they fire for its conversations from now on.
    await service.configuration
      .webhooks()
      .update({ postWebhookUrl: `${receiver.url}/service`, filters: ['onMessageAdded'] });
    expect((await client.conversations.v1.configuration.webhooks().fetch()).postWebhookUrl).toBe(
      `${receiver.url}/global`,
    );
    const second = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ body: 'two', xTwilioWebhookEnabled: 'true' });
    expect((await receiver.waitFor((r) => r.params.MessageSid === second.sid)).path).toBe('/service');
    await emulator.control.settle();
    expect(receiver.requests.filter((r) => r.params.MessageSid === second.sid)).toHaveLength(1);
  });

  it('records a message with the DateCreated it is given', async () => {
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Import' });
    const dateCreated = new Date('2024-02-29T12:34:56Z');
    const message = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ body: 'from the archive', dateCreated });
    expect(message.dateCreated.toISOString()).toBe(dateCreated.toISOString());
    const fetched = await client.conversations.v1
      .conversations(conversation.sid)
      .messages(message.sid)
      .fetch();
    expect(fetched.dateCreated.toISOString()).toBe(dateCreated.toISOString());
  });
});
