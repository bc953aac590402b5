import { describe, expect, it } from 'vitest';
import {
  BotTurnRequestSchema,
  ConversationsWebhookSchema,
  DiscordTaskAttributesSchema,
  discordIdentity,
  discordUserIdOf,
  handoverRequestOf,
  isFlexcordTask,
  ListCasesQuerySchema,
  TaskRouterEventSchema,
  UpdateCaseRequestSchema,
} from '../src/index.ts';

const sid = (prefix: string, n = 1) => `${prefix}${n.toString(16).padStart(32, '0')}`;
const common = {
  AccountSid: sid('AC'),
  ChatServiceSid: sid('IS'),
  ConversationSid: sid('CH'),
  Source: 'SDK',
  ClientIdentity: 'dana@example.com',
  RetryCount: '0',
};

describe('Conversations webhooks', () => {
  it('parses an onMessageAdded form with its JSON string fields', () => {
    const parsed = ConversationsWebhookSchema.parse({
      ...common,
      EventType: 'onMessageAdded',
      MessageSid: sid('IM'),
      Index: '3',
      Author: 'dana@example.com',
      ParticipantSid: sid('MB'),
      Body: 'Hi, I am Dana',
      Attributes: '{"flexcord":{"outboxId":7}}',
      Media:
        '[{"Sid":"ME00000000000000000000000000000001","ContentType":"image/png","Filename":"a.png","Size":12}]',
      DateCreated: '2026-11-24T10:00:00.000Z',
    });
    expect(parsed.EventType).toBe('onMessageAdded');
    if (parsed.EventType !== 'onMessageAdded') throw new Error('narrowing');
    expect(parsed.Index).toBe(3);
    expect(parsed.Attributes).toEqual({ flexcord: { outboxId: 7 } });
    expect(parsed.Media?.[0]?.ContentType).toBe('image/png');
    expect(parsed.RetryCount).toBe(0);
  });

  it('parses participant and state events', () => {
    const added = ConversationsWebhookSchema.parse({
      ...common,
      Source: 'API',
      EventType: 'onParticipantAdded',
      ParticipantSid: sid('MB'),
      Identity: 'dana@example.com',
      Attributes: '{}',
    });
    expect(added.EventType).toBe('onParticipantAdded');
    const state = ConversationsWebhookSchema.parse({
      ...common,
      EventType: 'onConversationStateUpdated',
      StateFrom: 'active',
      StateTo: 'closed',
      Reason: 'API',
    });
    expect(state).toMatchObject({ StateFrom: 'active', StateTo: 'closed' });
  });

  it('rejects malformed forms with a reason, but reads odd Attributes as none so the message still gets through', () => {
    const badIndex = ConversationsWebhookSchema.safeParse({
      ...common,
      EventType: 'onMessageAdded',
      MessageSid: sid('IM'),
      Index: 'first',
      Author: 'x',
      DateCreated: 'now',
    });
    expect(badIndex.success).toBe(false);
    expect(badIndex.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['Index']);
    for (const odd of ['{not json', '"hello"', 'null', '5', '[1,2]']) {
      const parsed = ConversationsWebhookSchema.safeParse({
        ...common,
        EventType: 'onMessageAdded',
        MessageSid: sid('IM'),
        Index: '1',
        Author: 'x',
        Attributes: odd,
        DateCreated: 'now',
      });
      expect(parsed.success, odd).toBe(true);
      expect(parsed.data && 'Attributes' in parsed.data ? parsed.data.Attributes : null, odd).toEqual({});
    }

    const badSid = ConversationsWebhookSchema.safeParse({
      ...common,
      ConversationSid: 'CHnope',
      EventType: 'onParticipantAdded',
      ParticipantSid: sid('MB'),
    });
    expect(badSid.success).toBe(false);
    const unknownEvent = ConversationsWebhookSchema.safeParse({ ...common, EventType: 'onSomethingElse' });
    expect(unknownEvent.success).toBe(false);
  });
});

describe('Studio bot turn and Discord task attributes', () => {
  it('parses what the flow posts to the bot endpoint', () => {
    const turn = BotTurnRequestSchema.parse({
      ConversationSid: sid('CH'),
      MessageSid: sid('IM'),
      Author: 'discord:123456789012345678',
      Body: 'hola',
    });
    expect(turn.Body).toBe('hola');
    expect(BotTurnRequestSchema.safeParse({ ConversationSid: sid('CH'), Author: 'x' }).success).toBe(false);
  });

  it('recognises a Discord task by customChannelType whatever channelType Flex wrote, and keeps what Flex adds', () => {
    const attributes = DiscordTaskAttributesSchema.parse({
      customChannelType: 'discord',
      channelType: 'web',
      conversationSid: sid('CH'),
      caseNumber: '42',
      discordUserId: '123456789012345678',
      discordUsername: 'pixelpat',
      flexInteractionSid: sid('KD'),
      conversations: { communication_channel: 'Web' },
    });
    expect(attributes.caseNumber).toBe(42);
    expect(attributes.conversations).toEqual({ communication_channel: 'Web' });
    expect(isFlexcordTask({ customChannelType: 'discord', channelType: 'web' })).toBe(true);
    // A task made before customChannelType, while Flex kept Studio's value.
    expect(isFlexcordTask({ channelType: 'discord' })).toBe(true);
    expect(isFlexcordTask({ channelType: 'web' })).toBe(false);
    expect(isFlexcordTask({ channelType: 'sms', customChannelType: 'telegram' })).toBe(false);
    expect(isFlexcordTask(undefined)).toBe(false);
    expect(
      DiscordTaskAttributesSchema.safeParse({
        channelType: 'web',
        conversationSid: sid('CH'),
        discordUserId: '123456789012345678',
        discordUsername: 'pixelpat',
      }).success,
    ).toBe(false);
  });

  it('maps Discord ids to participant identities and back', () => {
    expect(discordIdentity('123456789012345678')).toBe('discord:123456789012345678');
    expect(discordUserIdOf('discord:123456789012345678')).toBe('123456789012345678');
    expect(discordUserIdOf('dana@example.com')).toBeNull();
  });

  it('parses a TaskRouter event callback', () => {
    const event = TaskRouterEventSchema.parse({
      AccountSid: sid('AC'),
      WorkspaceSid: sid('WS'),
      EventType: 'reservation.accepted',
      TaskSid: sid('WT'),
      TaskAttributes: '{"conversationSid":"CH00000000000000000000000000000001"}',
      WorkerSid: sid('WK'),
      WorkerName: 'Dana',
    });
    expect(event.TaskAttributes?.conversationSid).toBe(sid('CH'));
  });
});

describe('plugin API requests', () => {
  it('needs exactly one case filter', () => {
    expect(ListCasesQuerySchema.safeParse({ memberId: '123456789012345678' }).success).toBe(true);
    expect(ListCasesQuerySchema.safeParse({}).success).toBe(false);
    expect(
      ListCasesQuerySchema.safeParse({ memberId: '123456789012345678', conversationSid: sid('CH') }).success,
    ).toBe(false);
  });

  it('refuses empty or unknown case updates', () => {
    expect(UpdateCaseRequestSchema.safeParse({ status: 'resolved', assignee: 'me' }).success).toBe(true);
    expect(UpdateCaseRequestSchema.safeParse({}).success).toBe(false);
    expect(UpdateCaseRequestSchema.safeParse({ status: 'done' }).success).toBe(false);
    expect(UpdateCaseRequestSchema.safeParse({ number: 3 }).success).toBe(false);
  });
});

describe("a handover request posted in the member's name", () => {
  it('is read from the attributes as the SDKs give them: an object or its JSON', () => {
    expect(handoverRequestOf({ handover: { source: 'button' } })).toEqual({ source: 'button' });
    expect(handoverRequestOf('{"handover":{"source":"after_hours"},"discord":{"messageId":"1"}}')).toEqual({
      source: 'after_hours',
    });
  });

  it('is null for what the member typed, whatever its attributes hold', () => {
    expect(handoverRequestOf({})).toBeNull();
    expect(handoverRequestOf('{}')).toBeNull();
    expect(handoverRequestOf('not json ✨')).toBeNull();
    expect(handoverRequestOf(null)).toBeNull();
    expect(handoverRequestOf({ handover: { source: 'something else' } })).toBeNull();
    expect(handoverRequestOf({ handover: 'button' })).toBeNull();
  });
});
