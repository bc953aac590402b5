import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalStack, startLocalStack } from '@flexcord/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { AnnouncementsFeed } from '../src/announcements-feed.ts';
import { ensureBundles, PLUGIN_BUNDLE } from '../src/bundles.ts';
import { releasePlugin } from '../src/released-plugin.ts';
import type { WorldView } from '../src/web/shared/world-view.ts';
import { createWebApp, listen, PLUGIN_URL } from '../src/web-server.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let local: LocalStack | undefined;
let web: Server | undefined;
afterAll(async () => {
  web?.closeAllConnections();
  await new Promise((resolve) => web?.close(resolve) ?? resolve(undefined));
  await local?.stop();
});

describe("the sandbox's agent desktop", () => {
  it('loads the plugin from where `npm run provision` released it in the Twilio emulator: the built bundle, byte for byte', {
    timeout: 180_000,
  }, async () => {
    ensureBundles(() => {});
    local = await startLocalStack();
    const lines: string[] = [];
    const plugin = await releasePlugin(local, (line) => lines.push(line));
    const built = readFileSync(PLUGIN_BUNDLE);
    expect(lines.join('\n')).toContain(`sha256 ${sha256(built)}`);
    expect(plugin.pluginUrl).toMatch(
      /^https:\/\/default-\d{4}-[a-z0-9]{5}\.twil\.io\/plugins\/plugin-flexcord\/0\.\d+\.\d+-sha-[0-9a-f]{12}\/bundle\.js$/,
    );
    expect(plugin.version).toContain(sha256(built).slice(0, 12));

    const world = {} as WorldView;
    web = await listen(
      createWebApp({
        world,
        feed: new AnnouncementsFeed(),
        bundle: new Map(),
        pluginBundle: '/nonexistent.js',
        releasedPlugin: plugin,
      }),
      0,
      '127.0.0.1',
    );
    const response = await fetch(`http://127.0.0.1:${(web.address() as AddressInfo).port}${PLUGIN_URL}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(built));
  });
});
