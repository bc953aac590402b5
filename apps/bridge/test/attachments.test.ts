import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@flexcord/testkit';
import { parse as parseContentDisposition } from 'content-disposition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLinks } from '../src/adapters/http/file-links.ts';
import { createTwilioMessageDeliverer } from '../src/adapters/twilio/deliver-twilio.ts';
import { TwilioConversations } from '../src/adapters/twilio/twilio-conversations.ts';
import type { OutboxRow } from '../src/infrastructure/outbox/outbox-repository.ts';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Files travel both ways: Discord attachments become Conversations media, and back. */
describe('attachments', () => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;

  beforeAll(async () => {
    stack = await startStack();
    chat = await memberWithAgent(stack, 'pixelpat');
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("a member's screenshot reaches the agent as media with its bytes, after its text (Flex shows no message with both)", async () => {
    stack.discord.control.sendMessage({
      user: 'pixelpat',
      content: 'here is the error',
      attachments: [{ filename: 'error.png', contentType: 'image/png', data: PNG.toString('base64') }],
    });
    const messages = () =>
      stack.twilio.control.conversation(chat.conversationSid).messages as {
        index: number;
        body: string | null;
        media: unknown[] | null;
      }[];
    const message = await eventually(
      () => messages().find((candidate) => candidate.media?.length),
      'the message with media at the agent',
    );
    const text = messages().find((candidate) => candidate.body === 'here is the error');
    expect(text?.media ?? []).toEqual([]);
    expect(message.body ?? '').toBe('');
    expect(message.index).toBe(text!.index + 1);
    const [media] = (message.media ?? []) as {
      sid: string;
      content_type: string;
      filename: string;
      size: number;
    }[];
    expect(media).toMatchObject({ content_type: 'image/png', filename: 'error.png', size: PNG.length });
    const bytes = await fetch(`${stack.twilio.url}/_emulator/media/${media!.sid}`);
    expect(Buffer.from(await bytes.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('when the member deletes a message with text and a file, both leave the conversation', async () => {
    type Shown = { body: string | null; media: { filename: string }[] | null };
    const shown = () => stack.twilio.control.conversation(chat.conversationSid).messages as Shown[];
    const sent = stack.discord.control.sendMessage({
      user: 'pixelpat',
      content: 'wrong screenshot, sorry',
      attachments: [{ filename: 'wrong.png', contentType: 'image/png', data: PNG.toString('base64') }],
    });
    await eventually(
      () =>
        shown().some((message) => message.body === 'wrong screenshot, sorry') &&
        shown().some((message) => message.media?.some((media) => media.filename === 'wrong.png')),
      'the text and the file at the agent',
    );
    stack.discord.control.deleteMessage({ user: 'pixelpat', message: sent.id });
    await eventually(
      () =>
        !shown().some((message) => message.body === 'wrong screenshot, sorry') &&
        !shown().some((message) => message.media?.some((media) => media.filename === 'wrong.png')),
      'the text and the file removed at the agent',
    );
  });

  it("an agent's file reaches the member as a Discord attachment", async () => {
    const log = Buffer.from('line 1\nline 2\n');
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Please try with this config',
      media: { contentType: 'text/plain', filename: 'starfall.cfg', data: log },
    });
    const withFile = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (message) => message.attachments.length > 0,
    });
    expect(withFile.content).toBe('-# Dana · Starfall Arena\nPlease try with this config');
    expect(withFile.attachments[0]).toMatchObject({ filename: 'starfall.cfg', size: log.length });
    const served = await fetch(withFile.attachments[0]!.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(log)).toBe(true);
  });

  it("an agent's file over Discord's 10 MiB upload limit: the member is told, the agent sees it was not delivered", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1);
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      media: { contentType: 'video/mp4', filename: 'walkthrough.mp4', data: big },
    });
    const notice = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (message) => message.content.includes('walkthrough.mp4'),
    });
    expect(notice.attachments).toHaveLength(0);
    expect(notice.content).toBe(
      '-# Dana · Starfall Arena\nDana tried to send you “walkthrough.mp4” (10.1 MB), but Discord only takes files of up to 10 MB here. They have been told and can share it another way.',
    );
    const toAgent = await eventually(
      () =>
        (
          stack.twilio.control.conversation(chat.conversationSid).messages as {
            author: string;
            body: string | null;
          }[]
        ).find((message) => message.author === 'bot' && message.body?.includes('walkthrough.mp4')),
      'the note to the agent',
    );
    expect(toAgent.body).toBe(
      '“walkthrough.mp4” (10.1 MB) was not delivered: Discord accepts files of up to 10 MB from the bot. Send a smaller file (or several), or a link to it. The member was told.',
    );
  });

  it('a spoiler stays a spoiler both ways: Discord marks it by the SPOILER_ file name, which travels as it is', async () => {
    stack.discord.control.sendMessage({
      user: 'pixelpat',
      attachments: [
        { filename: 'SPOILER_ending.png', contentType: 'image/png', data: PNG.toString('base64') },
      ],
    });
    await eventually(
      () =>
        (
          stack.twilio.control.conversation(chat.conversationSid).messages as {
            media: { filename: string }[] | null;
          }[]
        ).some((message) => message.media?.some((media) => media.filename === 'SPOILER_ending.png')),
      "the member's spoiler at the agent, named as sent",
    );
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      media: { contentType: 'image/png', filename: 'SPOILER_boss.png', data: PNG },
    });
    const posted = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (message) => message.attachments.some((file) => file.filename === 'SPOILER_boss.png'),
    });
    expect(posted.attachments[0]?.filename).toBe('SPOILER_boss.png');
  });

  /** File names in the scripts members use: none of them fits in Latin-1 (#23). */
  const UNICODE_NAMES = ['снимок экрана €.png', '截图 2026.png', '🎮 boss.png', 'صورة.png'];

  it("a member's file named in any script reaches the agent under that name, on the first attempt", async () => {
    // The file as the bridge fetches a Discord attachment: served from a URL of its own.
    const files = createServer((_req, res) => res.end(PNG));
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/file.png`;
    const { config } = stack;
    const deliver = createTwilioMessageDeliverer(
      new TwilioConversations({
        client: stack.client,
        accountSid: config.TWILIO_ACCOUNT_SID,
        authToken: config.TWILIO_AUTH_TOKEN,
        serviceSid: config.TWILIO_CONVERSATIONS_SERVICE_SID,
        webhookUrl: `${config.PUBLIC_BASE_URL}/webhooks/twilio/conversations`,
        flowSid: config.TWILIO_STUDIO_FLOW_SID,
        timers: { inactive: 'PT1H', closed: 'PT2H' },
        apiBaseUrl: config.TWILIO_API_BASE_URL,
      }),
      stack.db,
    );
    try {
      for (const [index, filename] of UNICODE_NAMES.entries()) {
        const row: OutboxRow = {
          id: String(index),
          key: `unicode-file-${index}`,
          stream: `twilio:${chat.conversationSid}`,
          kind: 'twilio.message',
          payload: null,
          attempts: 1,
          created_at: new Date(),
        };
        await deliver(
          {
            conversationSid: chat.conversationSid,
            author: `discord:${chat.userId}`,
            body: '',
            media: { source: 'url', url, filename, contentType: 'image/png' },
          },
          row,
        );
      }
    } finally {
      files.close();
    }
    const names = (
      stack.twilio.control.conversation(chat.conversationSid).messages as {
        media: { filename: string }[] | null;
      }[]
    ).flatMap((message) => (message.media ?? []).map((media) => media.filename));
    expect(names).toEqual(expect.arrayContaining(UNICODE_NAMES));
  });

  it("an agent's file named in any script reaches the member under that name, and its transcript link serves it", async () => {
    for (const filename of UNICODE_NAMES) {
      stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
        media: { contentType: 'image/png', filename, data: PNG },
      });
      const posted = await stack.discord.control.waitForMessage({
        dmWith: 'pixelpat',
        // Discord writes a file name's spaces as underscores.
        predicate: (message) =>
          message.attachments.some((file) => file.filename === filename.replace(/ /g, '_')),
      });
      expect(posted.attachments[0]?.size).toBe(PNG.length);
      const mediaSid = (
        stack.twilio.control.conversation(chat.conversationSid).messages as {
          media: { sid: string; filename: string }[] | null;
        }[]
      )
        .flatMap((message) => message.media ?? [])
        .find((media) => media.filename === filename)!.sid;
      const served = await fetch(
        new FileLinks(stack.config.TWILIO_AUTH_TOKEN, stack.bridge.url).link(mediaSid),
      );
      expect(served.status).toBe(200);
      expect(
        parseContentDisposition(served.headers.get('content-disposition') ?? '').parameters,
      ).toMatchObject({
        filename,
      });
      expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    }
  });
});
