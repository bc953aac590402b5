import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The files a host page loads, in this order: React, ReactDOM, then the host script. */
export interface FlexHostAssets {
  /** React 17's UMD build (sets `window.React`). */
  reactUmd: string;
  /** ReactDOM 17's UMD build (sets `window.ReactDOM`). */
  reactDomUmd: string;
  /** The host script (`npm run build -w @flexcord/flex-host`): installs `window.Twilio.Flex` and `window.FlexHost`. */
  hostScript: string;
}

/** Absolute paths of the host page's scripts. Throws, saying how to build it, when the host script is missing. */
export function flexHostAssets(): FlexHostAssets {
  const hostScript = fileURLToPath(new URL('../dist/flex-host.js', import.meta.url));
  if (!existsSync(hostScript)) {
    throw new Error(`${hostScript} is missing: run \`npm run build -w @flexcord/flex-host\` first`);
  }
  return {
    reactUmd: require.resolve('react/umd/react.production.min.js'),
    reactDomUmd: require.resolve('react-dom/umd/react-dom.production.min.js'),
    hostScript,
  };
}

/** Where {@link startFlexHostServer} serves the host's own scripts. */
export const FLEX_HOST_SCRIPT_URLS = {
  reactUmd: '/flex-host/react.production.min.js',
  reactDomUmd: '/flex-host/react-dom.production.min.js',
  hostScript: '/flex-host/flex-host.js',
} as const satisfies Record<keyof FlexHostAssets, string>;

export interface FlexHostPageOptions {
  title?: string;
  /** Plugin bundles to load, in order, once the host is up (each with a `<script>` tag, like Flex). */
  pluginUrls?: readonly string[];
}

/**
 * The host page's HTML: React and ReactDOM UMDs, the host script, then `FlexHost.loadPlugin` for each
 * plugin URL. `window.flexHostReady` is a promise that settles when the plugins have loaded.
 */
export function flexHostPage({ title = 'Flex host', pluginUrls = [] }: FlexHostPageOptions = {}): string {
  const scripts = Object.values(FLEX_HOST_SCRIPT_URLS)
    .map((src) => `<script src="${escapeHtml(src)}"></script>`)
    .join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)}</title>
    ${scripts}
  </head>
  <body>
    <div id="flex-host"></div>
    <script>
      window.flexHostReady = ${JSON.stringify(pluginUrls)}.reduce(
        (ready, url) => ready.then(() => window.FlexHost.loadPlugin(url)),
        Promise.resolve(),
      );
    </script>
  </body>
</html>
`;
}

export interface FlexHostServerOptions extends FlexHostPageOptions {
  /** Extra files by URL path, e.g. `{ '/plugins/plugin-flexcord.js': '/…/build/plugin-flexcord.js' }`. */
  files?: Readonly<Record<string, string>>;
  port?: number;
  host?: string;
}

export interface FlexHostServer {
  /** The host page's URL, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the host page at `/`, the host's scripts under `/flex-host/`, and `files` (plugin bundles,
 * source maps). Listens on loopback, on a free port unless `port` is given.
 */
export async function startFlexHostServer(options: FlexHostServerOptions = {}): Promise<FlexHostServer> {
  const assets = flexHostAssets();
  const files = new Map<string, string>([
    ...Object.entries(FLEX_HOST_SCRIPT_URLS).map(
      ([name, url]) => [url, assets[name as keyof FlexHostAssets]] as [string, string],
    ),
    [`${FLEX_HOST_SCRIPT_URLS.hostScript}.map`, `${assets.hostScript}.map`],
    ...Object.entries(options.files ?? {}),
  ]);
  const page = flexHostPage(options);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'Content-Type': contentTypes['.html'], 'Cache-Control': 'no-store' });
      response.end(page);
      return;
    }
    const file = files.get(path);
    if (!file || !existsSync(file)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export type { FlexHostApi } from './api.ts';
export type {
  HostMessage,
  HostTaskInput,
  HostTaskStatus,
  RecordedAction,
  SendMessageHook,
} from './browser/host-state.ts';
