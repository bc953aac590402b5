import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discordAnnouncementLook } from '../src/adapters/discord/announcement-embed.ts';
import type { DiscordMessagePayload } from '../src/adapters/discord/outbox-kinds.ts';
import { errorMiddleware } from '../src/adapters/http/http-errors.ts';
import { ingestRoutes } from '../src/adapters/http/ingest-routes.ts';
import { ingestSignature } from '../src/adapters/http/ingest-signature.ts';
import { OUTBOX_KINDS } from '../src/adapters/outbox-kinds.ts';
import { parseAnnouncementsConfig } from '../src/domain/announcements/announcements-config.ts';
import { AnnouncementsService } from '../src/domain/announcements/announcements-service.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { Outbox } from '../src/infrastructure/outbox/outbox.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

const CHANNEL = '112233445566778899';
const SECRET = 'test-ingest-secret-4f9a1c';
const NOW = new Date('2024-06-20T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe('the signed announcements ingest', () => {
  let db: Database;
  let server: Server;
  let base: string;
  let kicks = 0;

  const outbox = async () =>
    (
      await db.query<{ key: string; payload: DiscordMessagePayload }>(
        'SELECT key, payload FROM outbox ORDER BY id',
      )
    ).rows;

  /** POSTs `body` signed with `secret` at `timestamp`, or with the headers given. */
  async function send(
    body: unknown,
    options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
  ) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = String(options.timestamp ?? nowSeconds);
    const headers = options.headers ?? {
      'X-Flexcord-Timestamp': timestamp,
      'X-Flexcord-Signature': ingestSignature(options.secret ?? SECRET, timestamp, raw),
    };
    const response = await fetch(`${base}/ingest/announcements`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: raw,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  }

  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    const logger = quietLogger();
    const service = new AnnouncementsService({
      db,
      look: discordAnnouncementLook,
      logger,
      config: parseAnnouncementsConfig({
        channel: CHANNEL,
        ingest: { sources: [{ id: 'status-page', name: 'Status page' }, 'social'] },
      }),
      outbox: countingOutbox(() => {
        kicks += 1;
      }),
      now: () => NOW,
    });
    const app = express();
    app.use(ingestRoutes({ secret: SECRET, now: () => NOW, ingest: (item) => service.ingest(item) }));
    app.use(errorMiddleware(logger));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await db.close();
  });
  beforeEach(async () => {
    await db.query('TRUNCATE announcement_items, announcement_sources, outbox');
    kicks = 0;
  });

  const incident = {
    source: 'status-page',
    id: 'incident-42',
    title: 'Scheduled maintenance on June 22',
    url: 'https://status.acme.example/incidents/42',
    summary: '<p>The game servers will be <strong>offline</strong> from 06:00 to 08:00&nbsp;UTC.</p>',
    imageUrl: 'https://status.acme.example/banners/42.jpg',
    publishedAt: '2024-06-20T11:58:00Z',
  };

  it('accepts a signed item and posts it once to #announcements', async () => {
    const accepted = await send(incident);

    expect(accepted).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect(kicks).toBe(1);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key).toMatch(/^announcement:status-page:[0-9a-f]{64}$/);
    expect(rows[0]?.payload).toEqual({
      channelId: CHANNEL,
      embeds: [
        {
          title: 'Scheduled maintenance on June 22',
          url: 'https://status.acme.example/incidents/42',
          description: 'The game servers will be offline from 06:00 to 08:00 UTC.',
          image: { url: 'https://status.acme.example/banners/42.jpg' },
          footer: { text: 'Status page' },
          timestamp: '2024-06-20T11:58:00.000Z',
        },
      ],
    });
  });

  it('answers a duplicate id with 200 and posts nothing more', async () => {
    await send(incident);
    // A retry by the sender, signed afresh a minute later, with an edited title.
    const again = await send({ ...incident, title: 'Maintenance (updated)' }, { timestamp: nowSeconds - 60 });

    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await outbox()).toHaveLength(1);
    expect(kicks).toBe(1);
  });

  it('keeps ids apart per source', async () => {
    await send({ source: 'social', id: 'incident-42', title: 'We are tweeting about it' });
    await send(incident);

    expect(await outbox()).toHaveLength(2);
  });

  it('refuses a forged signature with 401 and posts nothing', async () => {
    const forged = await send(incident, { secret: 'not-the-shared-secret-at-all' });
    // Signed correctly, then tampered with on the way.
    const timestamp = String(nowSeconds);
    const tampered = await send(
      { ...incident, title: 'Free gems! https://evil.example' },
      {
        headers: {
          'X-Flexcord-Timestamp': timestamp,
          'X-Flexcord-Signature': ingestSignature(SECRET, timestamp, JSON.stringify(incident)),
        },
      },
    );

    for (const refused of [forged, tampered]) {
      expect(refused).toMatchObject({ status: 401, body: { error: { code: 'signature_invalid' } } });
      expect(refused.headers.get('www-authenticate')).toMatch(/^Flexcord-HMAC-SHA256/);
    }
    expect(await outbox()).toEqual([]);
  });

  it('refuses a replayed request whose timestamp is more than five minutes off', async () => {
    const replayed = await send(incident, { timestamp: nowSeconds - 301 });
    const future = await send(incident, { timestamp: nowSeconds + 301 });
    const withinSkew = await send({ ...incident, id: 'incident-43' }, { timestamp: nowSeconds - 299 });

    expect(replayed).toMatchObject({ status: 401, body: { error: { code: 'timestamp_out_of_range' } } });
    expect(future.status).toBe(401);
    expect(withinSkew.status).toBe(202);
    expect(await outbox()).toHaveLength(1);
  });

  it('says what is missing from an unsigned or badly signed request', async () => {
    const body = JSON.stringify(incident);
    const cases: [Record<string, string>, string][] = [
      [{}, 'timestamp_missing'],
      [{ 'X-Flexcord-Timestamp': 'yesterday' }, 'timestamp_invalid'],
      [{ 'X-Flexcord-Timestamp': String(nowSeconds) }, 'signature_missing'],
      [
        { 'X-Flexcord-Timestamp': String(nowSeconds), 'X-Flexcord-Signature': 'md5=abc' },
        'signature_malformed',
      ],
    ];
    for (const [headers, code] of cases) {
      const refused = await send(body, { headers });
      expect(refused, code).toMatchObject({ status: 401, body: { error: { code } } });
    }
    expect(await outbox()).toEqual([]);
  });

  it('refuses an unknown source and an invalid body with 400, once the signature is good', async () => {
    const unknown = await send({ ...incident, source: 'patch-notes' });
    const invalid = await send({ source: 'status-page', id: 'x', url: 'javascript:alert(1)' });
    const notJson = await send('{"source": ');

    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'unknown_source' } } });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    const issues = (invalid.body as { error: { issues: { path: string }[] } }).error.issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual(['title', 'url']);
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    expect(await outbox()).toEqual([]);
  });

  it('signs as the README says (the worked example there)', () => {
    const body = '{"source":"status-page","id":"incident-42","title":"Scheduled maintenance"}';
    expect(ingestSignature('example-secret-0123456789', 1718000000, body)).toBe(
      'sha256=657a20a0ce85018cde8e19d9dfc9270de86560d4a75c66d7f374bff7260bcdff',
    );
  });

  it('will not run with a short secret', () => {
    const service = new AnnouncementsService({
      db,
      look: discordAnnouncementLook,
      logger: quietLogger(),
      config: parseAnnouncementsConfig({ channel: CHANNEL }),
      outbox: new Outbox(OUTBOX_KINDS),
    });
    expect(() =>
      ingestRoutes({ secret: 'short', now: () => NOW, ingest: (item) => service.ingest(item) }),
    ).toThrow(/at least 16 characters/);
  });
});

/** An outbox whose worker wakes are counted. */
function countingOutbox(onWake: () => void): Outbox {
  const outbox = new Outbox(OUTBOX_KINDS);
  outbox.onEnqueued(onWake);
  return outbox;
}
