import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorControl, MemberMessage } from './control.ts';
import type { EmulatorCore } from './core.ts';
import { ControlError, DiscordApiError } from './errors.ts';
import type { FaultRule, RandomFaultOptions } from './faults.ts';
import type { Fixture, FixtureChannel, FixtureRole } from './fixture-types.ts';
import type { GatewayDropOptions } from './gateway.ts';
import { readBody } from './http/body.ts';
import { matchPath } from './http/route.ts';
import type { CommandInvocation, ComponentUse, ModalSubmission } from './interactions.ts';
import type { UploadedFile } from './messages.ts';
import type { RateLimitInput } from './rate-limits.ts';

type Json = Record<string, unknown>;

interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  /** The files of a multipart body (`files[n]` next to `payload_json`, as Discord takes uploads). */
  files: UploadedFile[];
}

interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handle(request: ControlRequest): unknown;
}

/** The HTTP control API: the same functions as `control`, as JSON routes under `/_emulator`. */
function routes(core: EmulatorCore, control: EmulatorControl): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: '/',
      handle: () => ({
        url: core.url,
        apiUrl: `${core.url}/api`,
        cdnUrl: core.url,
        gatewayUrl: core.gatewayUrl,
        applicationId: core.options.applicationId,
        botUserId: core.state.botUserId,
        botToken: core.options.botToken,
      }),
    },
    { method: 'POST', path: '/fixture', handle: ({ body }) => control.seed(body as Fixture) },
    { method: 'GET', path: '/guilds', handle: () => control.guilds() },
    {
      method: 'GET',
      path: '/guilds/:guild/channels',
      handle: ({ params, query }) => {
        const as = query.get('as');
        return control.channelTree(params.guild ?? '', as === null ? {} : { as });
      },
    },
    {
      method: 'POST',
      path: '/guilds/:guild/channels',
      handle: ({ params, body }) => control.addChannel(params.guild ?? '', body as unknown as FixtureChannel),
    },
    {
      method: 'POST',
      path: '/guilds/:guild/roles',
      handle: ({ params, body }) => control.addRole(params.guild ?? '', body as unknown as FixtureRole),
    },
    {
      method: 'POST',
      path: '/guilds/:guild/members',
      handle: ({ params, body }) =>
        control.addMember(params.guild ?? '', String(body.user), body as { roles?: string[]; nick?: string }),
    },
    {
      method: 'PATCH',
      path: '/guilds/:guild/members/:user',
      handle: ({ params, body }) =>
        control.updateMember(
          params.guild ?? '',
          params.user ?? '',
          body as { roles?: string[]; nick?: string },
        ),
    },
    {
      method: 'DELETE',
      path: '/guilds/:guild/members/:user',
      handle: ({ params }) => {
        control.removeMember(params.guild ?? '', params.user ?? '');
        return { ok: true };
      },
    },
    { method: 'POST', path: '/users', handle: ({ body }) => control.addUser(body as { username: string }) },
    {
      method: 'GET',
      path: '/users/:user',
      handle: ({ params }) => ({
        ...control.user(params.user ?? ''),
        dmsClosed: control.dmsClosed(params.user ?? ''),
      }),
    },
    {
      method: 'PATCH',
      path: '/users/:user',
      handle: ({ params, body }) => {
        if (typeof body.dmsClosed === 'boolean') control.setDmsClosed(params.user ?? '', body.dmsClosed);
        return { ...control.user(params.user ?? ''), dmsClosed: control.dmsClosed(params.user ?? '') };
      },
    },
    {
      method: 'GET',
      path: '/users/:user/dm/messages',
      handle: ({ params }) => control.dmMessages(params.user ?? ''),
    },
    {
      method: 'GET',
      path: '/channels/:channel',
      handle: ({ params }) => control.channel(params.channel ?? ''),
    },
    {
      method: 'PATCH',
      path: '/channels/:channel',
      handle: ({ params, body }) => control.updateChannel(params.channel ?? '', body),
    },
    {
      method: 'GET',
      path: '/channels/:channel/messages',
      handle: ({ params, query }) => {
        const as = query.get('as');
        return control.messages(params.channel ?? '', as === null ? {} : { as });
      },
    },
    {
      method: 'POST',
      path: '/messages',
      // JSON (`attachments` as base64), or multipart like Discord's own upload: `payload_json` with
      // `{ user, channel?, content?, attachments? }` and the files as `files[n]`.
      handle: ({ body, files }) => {
        const { attachments, ...input } = body as unknown as MemberMessage & { attachments?: unknown[] };
        if (!files.length)
          return control.sendMessage({ ...input, ...(attachments ? { attachments } : {}) } as MemberMessage);
        return control.sendMessage({ ...input, files, ...(attachments ? { described: attachments } : {}) });
      },
    },
    {
      method: 'PATCH',
      path: '/messages/:message',
      handle: ({ params, body }) =>
        control.editMessage({
          user: String(body.user ?? ''),
          message: params.message ?? '',
          content: String(body.content ?? ''),
        }),
    },
    {
      method: 'DELETE',
      path: '/messages/:message',
      handle: ({ params, body }) => {
        control.deleteMessage({ user: String(body.user ?? ''), message: params.message ?? '' });
        return { deleted: true };
      },
    },
    {
      method: 'GET',
      path: '/messages/:message',
      handle: ({ params }) => {
        const message = control.message(params.message ?? '');
        if (!message) throw new ControlError('not_found', `No message ${params.message}`);
        return message;
      },
    },
    {
      method: 'POST',
      path: '/interactions/commands',
      handle: ({ body }) => control.runCommand(body as unknown as CommandInvocation),
    },
    {
      method: 'POST',
      path: '/interactions/components',
      handle: ({ body }) =>
        control.selectMenu({ values: [], ...(body as unknown as ComponentUse) } as ComponentUse & {
          values: string[];
        }),
    },
    {
      method: 'POST',
      path: '/interactions/modals',
      handle: ({ body }) => control.submitModal(body as unknown as ModalSubmission),
    },
    {
      method: 'GET',
      path: '/interactions/:interaction',
      handle: ({ params }) => control.interaction(params.interaction ?? ''),
    },
    {
      method: 'GET',
      path: '/commands',
      handle: ({ query }) => {
        const guild = query.get('guild');
        return guild === null ? control.commands() : control.commands(guild);
      },
    },
    { method: 'GET', path: '/faults', handle: () => control.faults.list() },
    {
      method: 'POST',
      path: '/faults',
      handle: ({ body }) => control.faults.inject(body as unknown as FaultRule),
    },
    {
      method: 'POST',
      path: '/faults/random',
      handle: ({ body }) => {
        control.faults.random(
          body.percent === undefined || body.percent === null
            ? null
            : (body as unknown as RandomFaultOptions),
        );
        return { ok: true };
      },
    },
    {
      method: 'DELETE',
      path: '/faults',
      handle: () => {
        control.faults.clear();
        return { ok: true };
      },
    },
    {
      method: 'DELETE',
      path: '/faults/:id',
      handle: ({ params }) => ({ removed: control.faults.remove(params.id ?? '') }),
    },
    { method: 'GET', path: '/gateway/sessions', handle: () => control.gateway.sessions() },
    {
      method: 'POST',
      path: '/gateway/drop',
      handle: ({ body }) => ({ dropped: control.gateway.drop(body as GatewayDropOptions) }),
    },
    {
      method: 'GET',
      path: '/requests',
      handle: ({ query }) =>
        control.requests({
          ...(query.get('method') === null ? {} : { method: query.get('method') ?? '' }),
          ...(query.get('path') === null ? {} : { path: query.get('path') ?? '' }),
        }),
    },
    {
      method: 'PUT',
      path: '/rate-limits',
      handle: ({ body }) => {
        control.setRateLimits((typeof body.preset === 'string' ? body.preset : body) as RateLimitInput);
        return { ok: true };
      },
    },
  ];
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Last-Event-ID',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  response.writeHead(status, {
    ...CORS,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new ControlError('bad_request', 'The body is not JSON', { cause: error });
  }
}

/**
 * Streams emulator events as Server-Sent Events: `event:` is the event type, `data:` its JSON, `id:`
 * its position (a reconnecting `EventSource` gets what it missed through `Last-Event-ID`).
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
function streamEvents(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
): void {
  response.writeHead(200, {
    ...CORS,
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  response.write(': discord-emulator events\n\n');
  const write = ({ id, event }: { id: number; event: { type: string } }) => {
    response.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const last = Number(request.headers['last-event-id'] ?? query.get('since') ?? Number.NaN);
  if (Number.isFinite(last)) for (const entry of core.feed.since(last)) write(entry);
  const unsubscribe = core.feed.subscribe(write);
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  const close = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  request.on('close', close);
  core.onStop(() => {
    close();
    response.end();
  });
}

/** Serves a request under `/_emulator` (`path` is the rest of the path). */
export async function handleControlRequest(
  core: EmulatorCore,
  control: EmulatorControl,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method === 'OPTIONS') {
    response.writeHead(204, CORS);
    response.end();
    return;
  }
  if (method === 'GET' && path === '/events') {
    streamEvents(core, request, response, query);
    return;
  }
  const decoded = `/${path.split('/').filter(Boolean).map(decodeURIComponent).join('/')}`;
  const table = routes(core, control);
  const route = table.find((candidate) => candidate.method === method && matchPath(candidate.path, decoded));
  if (!route) {
    sendJson(response, 404, {
      error: { code: 'not_found', message: `No control route ${method} ${decoded}` },
    });
    return;
  }
  try {
    let body: Json = {};
    let files: UploadedFile[] = [];
    if (method !== 'GET' && method !== 'DELETE') {
      if ((request.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
        const parsed = await readBody(request, core.options.uploadLimitBytes);
        body = (parsed.json ?? {}) as Json;
        files = parsed.files;
      } else {
        body = await readJson(request);
      }
    }
    const result = await route.handle({ params: matchPath(route.path, decoded) ?? {}, query, body, files });
    sendJson(response, 200, result);
  } catch (error) {
    if (error instanceof ControlError)
      sendJson(response, error.status, {
        error: {
          code: error.code,
          message: error.message,
          ...(error.discordCode === undefined ? {} : { discord_code: error.discordCode }),
        },
      });
    else if (error instanceof DiscordApiError)
      sendJson(response, error.status, {
        error: { code: error.code, discord_code: error.code, message: error.message, errors: error.errors },
      });
    else {
      core.options.log(`control: ${method} ${decoded} failed: ${String((error as Error)?.stack ?? error)}`);
      sendJson(response, 500, {
        error: { code: 'internal', message: String((error as Error)?.message ?? error) },
      });
    }
  }
}
