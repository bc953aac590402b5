import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFlexHost } from '../scripts/build.mjs';
import { FLEX_HOST_SCRIPT_URLS, flexHostAssets, flexHostPage, startFlexHostServer } from '../src/index.ts';

beforeAll(async () => {
  await buildFlexHost();
});

describe('the host page for Node tests and the sandbox', () => {
  it('names the host script and the React 17 UMD builds', () => {
    const assets = flexHostAssets();
    expect(assets.hostScript).toMatch(/dist\/flex-host\.js$/);
    expect(assets.reactUmd).toMatch(/react\/umd\/react\.production\.min\.js$/);
    expect(assets.reactDomUmd).toMatch(/react-dom\/umd\/react-dom\.production\.min\.js$/);
  });

  it('loads React, ReactDOM and the host before the plugins, each plugin with its own script', () => {
    const html = flexHostPage({ pluginUrls: ['/plugins/a.js', '/plugins/b.js'] });
    const order = [
      FLEX_HOST_SCRIPT_URLS.reactUmd,
      FLEX_HOST_SCRIPT_URLS.reactDomUmd,
      FLEX_HOST_SCRIPT_URLS.hostScript,
      '["/plugins/a.js","/plugins/b.js"]',
    ].map((part) => html.indexOf(part));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('serves the page, its scripts and the given files on loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flex-host-'));
    const plugin = join(dir, 'plugin.js');
    writeFileSync(plugin, 'window.loaded = true;');
    const server = await startFlexHostServer({
      pluginUrls: ['/plugins/plugin.js'],
      files: { '/plugins/plugin.js': plugin },
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(server.url);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('/plugins/plugin.js');
      for (const url of Object.values(FLEX_HOST_SCRIPT_URLS)) {
        const script = await fetch(new URL(url, server.url));
        expect(script.status).toBe(200);
        expect(script.headers.get('content-type')).toContain('text/javascript');
      }
      expect(await (await fetch(new URL('/plugins/plugin.js', server.url))).text()).toBe(
        'window.loaded = true;',
      );
      expect((await fetch(new URL('/nothing.js', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
