import { crc32, deflateSync } from 'node:zlib';
import type { EmulatorCore } from './core.ts';

/**
 * Discord's CDN image routes, served offline: a user's avatar at `/avatars/{user_id}/{hash}.{ext}`
 * and the default avatars at `/embed/avatars/{index}.png` (index 0–5: `(user_id >> 22) % 6` for
 * users on the new username system, `discriminator % 5` before). The images are drawn here — a
 * colour per default avatar (Discord's blurple, grey, green, orange, red, pink), one from the hash
 * for a custom avatar — so a page showing avatars needs no network. `?size=` (a power of two,
 * 16–4096) is accepted; images are 128 px whatever the size, like a CDN answering a small size.
 *
 * @see https://discord.com/developers/docs/reference#image-formatting-cdn-endpoints
 */
const DEFAULT_AVATAR_COLORS = [0x5865f2, 0x757e8a, 0x3ba55c, 0xfaa61a, 0xed4245, 0xeb459f] as const;
const SIZE = 128;
const FORMATS = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif']);

/** The default avatar's index for a user on the new username system (discriminator `0`). */
export function defaultAvatarIndex(userId: string): number {
  return Number((BigInt(userId) >> 22n) % 6n);
}

/** Answers a CDN path, or returns null when it is not one of the image routes. */
export function cdnImage(core: EmulatorCore, path: string): Buffer | null | 'not-found' {
  const fallback = /^\/embed\/avatars\/(\d+)\.png$/.exec(path);
  if (fallback) {
    const color = DEFAULT_AVATAR_COLORS[Number(fallback[1])];
    return color === undefined ? 'not-found' : avatarPng(color);
  }
  const custom = /^\/avatars\/(\d{15,21})\/((?:a_)?[0-9a-f]{32})\.(\w+)$/.exec(path);
  if (custom) {
    const [, userId, hash, format] = custom;
    const user = core.state.users.get(userId ?? '');
    if (!user || user.avatar !== hash || !FORMATS.has(format ?? '')) return 'not-found';
    return avatarPng(Number.parseInt((hash ?? '').replace(/^a_/, '').slice(0, 6), 16));
  }
  return null;
}

const cache = new Map<number, Buffer>();

/** A 128×128 PNG: a light disc (Discord's "Clyde" stand-in) on the colour. */
function avatarPng(color: number): Buffer {
  const cached = cache.get(color);
  if (cached) return cached;
  const [r, g, b] = [(color >> 16) & 0xff, (color >> 8) & 0xff, color & 0xff];
  const rows: Buffer[] = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 3);
    for (let x = 0; x < SIZE; x++) {
      const dx = x - SIZE / 2;
      const dy = y - SIZE / 2;
      const inner = dx * dx + dy * dy < (SIZE * 0.28) ** 2;
      const mix = (channel: number) => (inner ? Math.round(channel + (255 - channel) * 0.85) : channel);
      row.writeUInt8(mix(r), 1 + x * 3);
      row.writeUInt8(mix(g), 2 + x * 3);
      row.writeUInt8(mix(b), 3 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  cache.set(color, png);
  return png;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
