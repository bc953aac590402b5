import { describe, expect, it } from 'vitest';
import { OUTBOX_KINDS } from '../src/adapters/outbox-kinds.ts';
import { Outbox } from '../src/infrastructure/outbox/outbox.ts';

/**
 * The kinds Discord and Twilio declare beside their transports, as the composition root registers
 * them: what one enqueue becomes (rows, keys, streams), without a database or an emulator.
 */
describe('the registered outbox kinds', () => {
  const outbox = new Outbox(OUTBOX_KINDS);

  it('a long Discord message becomes parts of at most 2,000 code points, its embed and first file on the last, each other file alone', () => {
    const content = `${'Ñandú 🐦 '.repeat(300)}fin`;
    const file = (name: string) => ({
      source: 'url' as const,
      url: `https://cdn.test/${name}`,
      filename: name,
      contentType: 'image/png',
    });
    const items = outbox.items({
      kind: 'discord.message',
      key: 'agent:SM1',
      payload: {
        channelId: 'C1',
        content,
        embeds: [{ title: 'Artículo' }],
        media: [file('uno.png'), file('dos.png')],
      },
    });

    expect(items.map((item) => item.key)).toEqual(['agent:SM1', 'agent:SM1:part:1', 'agent:SM1:media:1']);
    expect(new Set(items.map((item) => `${item.kind} ${item.stream}`))).toEqual(
      new Set(['discord.message discord:channel:C1']),
    );
    const [first, last, alone] = items.map((item) => item.payload as Record<string, unknown>);
    expect([...(first!.content as string)].length).toBeLessThanOrEqual(2000);
    expect(`${first!.content}${last!.content}`.replace(/\s/g, '')).toBe(content.replace(/\s/g, ''));
    expect(first).not.toHaveProperty('embeds');
    expect(last).toMatchObject({ embeds: [{ title: 'Artículo' }], media: [file('uno.png')] });
    expect(alone).toEqual({ channelId: 'C1', media: [file('dos.png')] });
  });

  it('a Discord message to a member with no chat goes to their DM stream', () => {
    const [item] = outbox.items({
      kind: 'discord.message',
      key: 'case:7:closed',
      payload: { userId: 'U9', content: 'hola' },
    });
    expect(item).toMatchObject({ stream: 'discord:user:U9', payload: { userId: 'U9', content: 'hola' } });
  });

  it('a Conversations message with text and files becomes the text, then each file on its own without text (Flex shows no message with both)', () => {
    const media = (sid: string) => ({
      source: 'twilio' as const,
      mediaSid: sid,
      filename: `${sid}.pdf`,
      contentType: 'application/pdf',
    });
    const items = outbox.items({
      kind: 'twilio.message',
      key: 'discord:message:1',
      payload: {
        conversationSid: 'CH1',
        author: 'discord:1',
        body: 'مرحبا, here are the logs',
        media: [media('ME1'), media('ME2')],
      },
    });
    expect(items).toEqual([
      {
        key: 'discord:message:1',
        stream: 'twilio:conversation:CH1',
        kind: 'twilio.message',
        payload: { conversationSid: 'CH1', author: 'discord:1', body: 'مرحبا, here are the logs' },
      },
      ...['ME1', 'ME2'].map((sid, index) => ({
        key: `discord:message:1:media:${index + 1}`,
        stream: 'twilio:conversation:CH1',
        kind: 'twilio.message',
        payload: { conversationSid: 'CH1', author: 'discord:1', body: '', media: media(sid) },
      })),
    ]);
    // Files alone: the first file keeps the key (what an edit or a deletion of the source finds).
    const filesOnly = outbox.items({
      kind: 'twilio.message',
      key: 'discord:message:2',
      payload: { conversationSid: 'CH1', author: 'discord:1', body: '', media: [media('ME3')] },
    });
    expect(filesOnly.map((item) => item.key)).toEqual(['discord:message:2']);
  });

  it('a Flex effect is ordered in its chat’s stream and stores the effect alone', () => {
    const [item] = outbox.items({
      kind: 'twilio.task-complete',
      key: 'wrap-up:WT1',
      payload: {
        conversationSid: 'CH1',
        workspaceSid: 'WS1',
        taskSid: 'WT1',
        reason: 'Wrapped up: Resuelto',
      },
    });
    expect(item).toEqual({
      key: 'wrap-up:WT1',
      stream: 'twilio:conversation:CH1',
      kind: 'twilio.task-complete',
      payload: { workspaceSid: 'WS1', taskSid: 'WT1', reason: 'Wrapped up: Resuelto' },
    });
  });

  it('refuses, when compiled, a payload that does not match the kind it names', () => {
    const mismatched = () => [
      // @ts-expect-error a Discord message's channel is a string
      outbox.items({ kind: 'discord.message', key: 'k', payload: { channelId: 42 } }),
      outbox.items({
        kind: 'twilio.task-complete',
        key: 'k',
        // @ts-expect-error a Flex effect names its chat
        payload: { workspaceSid: 'WS', taskSid: 'WT', reason: 'r' },
      }),
      outbox.items({
        kind: 'discord.case-post',
        key: 'k',
        // @ts-expect-error a case post's number is a number
        payload: { caseNumber: '7', guildId: 'G', channelId: 'C' },
      }),
    ];
    expect(typeof mismatched).toBe('function');
  });
});
