import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { create as contentDisposition } from 'content-disposition';
import { cdnImage } from './cdn.ts';
import type { EmulatorControl } from './control.ts';
import { handleControlRequest } from './control-http.ts';
import type { EmulatorCore } from './core.ts';
import { handleRestRequest } from './rest/router.ts';

/**
 * Serves a stored upload at its CDN-like URL: `/attachments/{channel_id}/{attachment_id}/{filename}`
 * (and the same under `/media` for `proxy_url`).
 */
function serveAttachment(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): void {
  const [channelId, attachmentId, filename] = path.split('/').filter(Boolean).map(decodeURIComponent);
  const file = core.state.files.get(`${channelId}/${attachmentId}/${filename}`);
  if (!file) {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not Found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.data.length,
    // Header values are Latin-1: a Unicode name goes in `filename*` (RFC 6266, RFC 8187) with an
    // ASCII fallback, instead of throwing inside the request handler and taking the process down (#23).
    'Content-Disposition': contentDisposition(file.filename, { type: 'inline' }),
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'public, max-age=31536000, immutable',
  });
  response.end(request.method === 'HEAD' ? undefined : file.data);
}

/**
 * The emulator's HTTP server: REST under `/api/v10` (and `/api/v9`), the gateway websocket at
 * `/gateway`, the CDN's uploads (`/attachments`) and avatars (`/avatars`, `/embed/avatars`), the control API under `/_emulator`. It does not listen.
 */
export function createEmulatorServer(core: EmulatorCore, control: EmulatorControl): Server {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const { pathname, searchParams } = url;
    const api = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(pathname);
    let work: Promise<void> | undefined;
    // A handler that throws synchronously answers 500 below, like an async one; never an uncaught
    // exception that ends the process.
    try {
      if (api) {
        work = handleRestRequest(core, request, response, api[2] ?? '/', searchParams);
      } else if (pathname === '/_emulator' || pathname.startsWith('/_emulator/')) {
        work = handleControlRequest(
          core,
          control,
          request,
          response,
          pathname.slice('/_emulator'.length) || '/',
          searchParams,
        );
      } else if (pathname.startsWith('/attachments/') || pathname.startsWith('/media/attachments/')) {
        serveAttachment(core, request, response, pathname.replace(/^(\/media)?\/attachments/, ''));
      } else if (pathname.startsWith('/avatars/') || pathname.startsWith('/embed/avatars/')) {
        const image = cdnImage(core, pathname);
        if (image instanceof Buffer) {
          response.writeHead(200, {
            'Content-Type': 'image/png',
            'Content-Length': image.length,
            'Access-Control-Allow-Origin': '*',
            'Cache-Control': 'public, max-age=86400',
          });
          response.end(request.method === 'HEAD' ? undefined : image);
        } else {
          response.writeHead(404, { 'Content-Type': 'text/plain' });
          response.end('Not Found');
        }
      } else {
        response.writeHead(404, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
      }
    } catch (error) {
      work = Promise.reject(error);
    }
    Promise.resolve(work).catch((error: unknown) => {
      core.options.log(
        `server: ${request.method} ${pathname} failed: ${String((error as Error)?.stack ?? error)}`,
      );
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
    });
  });
  server.on('upgrade', (request, socket, head) => {
    const { pathname } = new URL(request.url ?? '/', 'http://emulator');
    if (pathname === '/gateway' || pathname.startsWith('/gateway/'))
      core.gateway.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  return server;
}
