import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import {
  FLEX_HOST_SCRIPT_URLS,
  type FlexHostAssets,
  flexHostAssets,
  flexHostPage,
} from '@flexcord/flex-host';
import express from 'express';
import { z } from 'zod';
import type { AnnouncementsFeed } from './announcements-feed.ts';
import type { WorldView } from './web/shared/world-view.ts';
import type { WebBundle } from './web-bundle.ts';
import { agentPage, memberPage } from './web-pages.ts';

export const PLUGIN_URL = '/plugins/plugin-flexcord.js';

export interface WebAppDeps {
  world: WorldView;
  feed: AnnouncementsFeed;
  bundle: WebBundle;
  /** The built Flex plugin (`apps/flex-plugin/build/plugin-flexcord.js`); its source map is served beside it. */
  pluginBundle: string;
  /** Where the active Flex plugin release says the plugin is: when set, the agent desktop loads it from there. */
  releasedPlugin?:
    | { url: string; authorization: string }
    | Promise<{ url: string; authorization: string }>
    | undefined;
}

const PublishSchema = z.object({
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
});

/**
 * The sandbox's web server: the page (member client + agent desktop in the Flex host), the world
 * it shows, and the announcements feed the bridge polls. Everything else the page reads comes
 * straight from the emulators' control APIs and the bridge.
 */
export function createWebApp(deps: WebAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  const noStore = { 'Cache-Control': 'no-store' };

  app.get('/', (_req, res) => {
    res.set(noStore).type('html').send(memberPage());
  });
  app.get('/agent', (_req, res) => {
    res
      .set(noStore)
      .type('html')
      .send(agentPage(flexHostPage({ title: 'Flexcord sandbox: agent desktop', pluginUrls: [PLUGIN_URL] })));
  });
  app.get('/assets/:file', (req, res) => {
    const file = deps.bundle.get(req.params.file);
    if (!file) {
      res.status(404).type('text').send('not found');
      return;
    }
    res.set(noStore).type(file.contentType).send(Buffer.from(file.contents));
  });

  const assets: FlexHostAssets = flexHostAssets();
  for (const [name, url] of Object.entries(FLEX_HOST_SCRIPT_URLS)) {
    const path = assets[name as keyof FlexHostAssets];
    app.get(url, (_req, res) => {
      res.set(noStore).type('text/javascript').sendFile(path);
    });
  }
  app.get(PLUGIN_URL, async (_req, res) => {
    const released = await deps.releasedPlugin;
    if (!released) {
      res.set(noStore).type('text/javascript').sendFile(deps.pluginBundle);
      return;
    }
    // The bytes Flex would load: the released asset, fetched from where provisioning hosted it.
    const upstream = await fetch(released.url, { headers: { Authorization: released.authorization } }).catch(
      (error: unknown) => error,
    );
    if (!(upstream instanceof Response) || !upstream.ok) {
      const why = upstream instanceof Response ? `HTTP ${upstream.status}` : String(upstream);
      res
        .status(502)
        .type('text')
        .send(`the released plugin could not be read from ${released.url} (${why})`);
      return;
    }
    res
      .set(noStore)
      .type('text/javascript')
      .send(Buffer.from(await upstream.arrayBuffer()));
  });
  app.get(`${PLUGIN_URL}.map`, (_req, res) => {
    const map = `${deps.pluginBundle}.map`;
    if (existsSync(map)) res.set(noStore).type('application/json').sendFile(map);
    else res.status(404).end();
  });

  app.get('/sandbox/world', (_req, res) => {
    res.set(noStore).json(deps.world);
  });
  app.get('/feed/news.xml', (_req, res) => {
    res.set(noStore).type('application/rss+xml').send(deps.feed.rss());
  });
  app.get('/sandbox/announcements', (_req, res) => {
    res.set(noStore).json(deps.feed.items());
  });
  app.post('/sandbox/announcements', (req, res) => {
    const input = PublishSchema.safeParse(req.body ?? {});
    if (!input.success) {
      res.status(400).json({ error: { code: 'bad_request', message: input.error.message } });
      return;
    }
    const { title, description } = input.data;
    res.status(201).json(
      deps.feed.publish({
        ...(title === undefined ? {} : { title }),
        ...(description === undefined ? {} : { description }),
      }),
    );
  });
  return app;
}

/** Listens on `host:port`; a taken port is reported by the caller's port check before this. */
export function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
