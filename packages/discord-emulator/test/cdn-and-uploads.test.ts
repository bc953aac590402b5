import type { Client, Message } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { connectClient, nextEvent, startEmulator } from './helpers.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const AVATAR_HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** A member's upload as Discord's clients send it: `payload_json` plus `files[n]` parts. */
function memberUpload(
  payload: Record<string, unknown>,
  files: { name: string; type: string; size: number }[],
) {
  const form = new FormData();
  form.set('payload_json', JSON.stringify(payload));
  files.forEach((file, index) => {
    form.set(
      `files[${index}]`,
      new Blob([new Uint8Array(file.size).fill(7)], { type: file.type }),
      file.name,
    );
  });
  return form;
}

describe('the CDN and member uploads', () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeAll(async () => {
    emulator = await startEmulator({
      fixture: {
        users: [{ username: 'alice', global_name: 'Alice', avatar: AVATAR_HASH }, { username: 'carol' }],
        guilds: [
          {
            name: 'Uploads',
            members: [{ user: 'alice' }, { user: 'carol' }],
            channels: [{ name: 'general' }],
          },
        ],
      },
    });
    ({ client } = await connectClient(emulator, {
      rest: { api: emulator.apiUrl, cdn: emulator.cdnUrl, offset: 0 },
    }));
  });
  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
  });

  it("serves a user's avatar and the default avatars at Discord's CDN paths, which discord.js builds from its cdn base", async () => {
    const alice = await client.users.fetch(emulator.control.user('alice').id);
    const carol = await client.users.fetch(emulator.control.user('carol').id);
    const custom = alice.displayAvatarURL({ extension: 'png', size: 128 });
    const fallback = carol.displayAvatarURL({ size: 128 });
    expect(custom).toBe(`${emulator.cdnUrl}/avatars/${alice.id}/${AVATAR_HASH}.png?size=128`);
    expect(fallback).toMatch(new RegExp(`^${emulator.cdnUrl}/embed/avatars/[0-5]\\.png$`));
    for (const url of [custom, fallback]) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect([...new Uint8Array(await response.arrayBuffer()).slice(0, 4)]).toEqual(PNG_SIGNATURE);
    }
    expect((await fetch(`${emulator.cdnUrl}/avatars/${alice.id}/${'0'.repeat(32)}.png`)).status).toBe(404);
    expect((await fetch(`${emulator.cdnUrl}/embed/avatars/6.png`)).status).toBe(404);
  });

  it("takes a member's files as multipart and hands them to the bot as attachments, spoiler names kept", async () => {
    const created = nextEvent<[Message]>(
      client,
      'messageCreate',
      (message) => message.content === 'my screenshots',
    );
    const response = await fetch(`${emulator.url}/_emulator/messages`, {
      method: 'POST',
      body: memberUpload({ user: 'alice', channel: 'general', content: 'my screenshots' }, [
        { name: 'crash.png', type: 'image/png', size: 2048 },
        { name: 'SPOILER_ending.png', type: 'image/png', size: 10 },
      ]),
    });
    expect(response.status).toBe(200);
    const [message] = await created;
    const files = [...message.attachments.values()];
    expect(files.map((file) => [file.name, file.contentType, file.size, file.spoiler])).toEqual([
      ['crash.png', 'image/png', 2048, false],
      ['SPOILER_ending.png', 'image/png', 10, true],
    ]);
    const bytes = await fetch(files[0]!.url);
    expect(bytes.status).toBe(200);
    expect((await bytes.arrayBuffer()).byteLength).toBe(2048);
  });

  it('serves a file whose name is outside Latin-1 with an RFC 6266 Content-Disposition, and the server stays up (#23)', async () => {
    const name = 'заказ_№5_—_📦.png';
    const sent = emulator.control.sendMessage({
      user: 'alice',
      channel: 'general',
      content: 'unicode file',
      attachments: [
        { filename: name, contentType: 'image/png', data: Buffer.alloc(16, 7).toString('base64') },
      ],
    });
    const url = sent.attachments[0]?.url ?? '';
    for (const served of [url, url.replace('/attachments/', '/media/attachments/')]) {
      const file = await fetch(served);
      expect(file.status).toBe(200);
      const disposition = file.headers.get('content-disposition') ?? '';
      // RFC 8187: the UTF-8 name percent-encoded in `filename*`, an ASCII fallback in `filename`.
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(disposition).toMatch(/^inline; filename="[\x20-\x7e]+"/);
      expect((await file.arrayBuffer()).byteLength).toBe(16);
    }
    // The emulator still answers afterwards.
    expect((await fetch(`${emulator.cdnUrl}/embed/avatars/0.png`)).status).toBe(200);
  });

  it('keeps a Unicode file name sent in a multipart upload (UTF-8, as browsers and discord.js send it)', async () => {
    const name = 'résumé_🧾_قائمة.pdf';
    const response = await fetch(`${emulator.url}/_emulator/messages`, {
      method: 'POST',
      body: memberUpload({ user: 'alice', channel: 'general', content: 'unicode upload' }, [
        { name, type: 'application/pdf', size: 8 },
      ]),
    });
    expect(response.status).toBe(200);
    const sent = (await response.json()) as { attachments: Array<{ filename: string }> };
    expect(sent.attachments[0]?.filename).toBe(name);
    const general = client.channels.cache.find(
      (channel) => 'name' in channel && channel.name === 'general',
    ) as import('discord.js').TextChannel;
    const posted = await general.send({ files: [{ attachment: Buffer.from('receipt'), name }] });
    expect(posted.attachments.first()?.name).toBe(name);
  });

  it("refuses a file over the 10 MiB upload limit with Discord's 40005 and more than 10 files with 50035", async () => {
    const tooLarge = await fetch(`${emulator.url}/_emulator/messages`, {
      method: 'POST',
      body: memberUpload({ user: 'alice', channel: 'general' }, [
        { name: 'video.mp4', type: 'video/mp4', size: 10 * 1024 * 1024 + 1 },
      ]),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({
      error: { discord_code: 40005, message: 'Request entity too large' },
    });

    const tooMany = await fetch(`${emulator.url}/_emulator/messages`, {
      method: 'POST',
      body: memberUpload(
        { user: 'alice', channel: 'general' },
        Array.from({ length: 11 }, (_, index) => ({ name: `f${index}.txt`, type: 'text/plain', size: 3 })),
      ),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: { code: 'bad_request', discord_code: 50035 } });
  });
});
