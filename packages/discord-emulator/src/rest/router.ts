import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorCore } from '../core.ts';
import { DiscordApiError, httpError } from '../errors.ts';
import { readBody } from '../http/body.ts';
import { majorParameter, matchPath, type RestResult, type RestRoute } from '../http/route.ts';
import { rateLimitedBody } from '../rate-limits.ts';
import { specPath } from '../recorder.ts';
import { applicationRoutes } from './applications.ts';
import { channelRoutes } from './channels.ts';
import { gatewayRoutes } from './gateway.ts';
import { guildRoutes } from './guilds.ts';
import { interactionRoutes } from './interactions.ts';
import { userRoutes } from './users.ts';

/** Every REST route; literal segments (`/users/@me`) come before placeholders (`/users/:user_id`). */
const routes: RestRoute[] = [
  ...gatewayRoutes,
  ...userRoutes,
  ...applicationRoutes,
  ...interactionRoutes,
  ...channelRoutes,
  ...guildRoutes,
].sort((a, b) => literalScore(b.path) - literalScore(a.path));

function literalScore(path: string): number {
  return path.split('/').filter((segment) => segment && !segment.startsWith(':')).length;
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // Answering without reading the body: drain it so the connection stays usable.
  if (!response.req.readableEnded) response.req.resume();
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (status === 204 || body === undefined) {
    response.writeHead(status);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * Serves one request under `/api/v10`: injected faults first, then authentication (`Bot <token>`),
 * the rate limiter (headers on every answer, 429 when a bucket is empty), body parsing, the route's
 * handler, and Discord-shaped errors.
 *
 * @see https://discord.com/developers/docs/reference#http-api
 */
export async function handleRestRequest(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  rawPath: string,
  query: URLSearchParams,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  let path: string;
  try {
    path = `/${rawPath.split('/').filter(Boolean).map(decodeURIComponent).join('/')}`;
  } catch {
    path = rawPath;
  }
  // What the request carried, once read: recorded with accepted (2xx) answers.
  let taken: unknown;
  const answer = (
    status: number,
    body: unknown,
    headers: Record<string, string>,
    route: string | null,
    faulted = false,
  ) => {
    send(response, status, body, headers);
    core.logRequest({ at: Date.now(), method, path, route, status, faulted });
    if (!core.recorder) return;
    const accepted = status >= 200 && status < 300;
    core.recorder.record({
      method,
      route: route === null ? null : specPath(route),
      path,
      status,
      faulted,
      ...(accepted ? { query: Object.fromEntries(query) } : {}),
      ...(accepted && taken !== undefined ? { request: taken } : {}),
      ...(status !== 204 && body !== undefined ? { response: body } : {}),
    });
  };

  const candidates = routes
    .map((route) => ({ route, params: matchPath(route.path, path) }))
    .filter((match) => match.params);
  const match = candidates.find((candidate) => candidate.route.method === method);
  if (!match?.params) {
    const error = httpError(candidates.length > 0 ? 405 : 404);
    answer(error.status, error.toJSON(), {}, null);
    return;
  }
  const { route, params } = match;

  const fault = core.faults.decide(method, path);
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  const rateLimitKey = {
    method,
    route: route.path,
    majorParameter: majorParameter(params),
    globalExempt: route.path.startsWith('/interactions/') || route.path.startsWith('/webhooks/'),
  };
  if (fault.answer) {
    const { status, code, message, retryAfter, global } = fault.answer;
    if (status === 429) {
      const retryAfterMs = retryAfter * 1000;
      const now = Date.now();
      const headers: Record<string, string> = global
        ? {
            'Retry-After': String(Math.ceil(retryAfter)),
            'X-RateLimit-Global': 'true',
            'X-RateLimit-Scope': 'global',
          }
        : {
            ...core.rateLimits.take(rateLimitKey, now).headers,
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset': ((now + retryAfterMs) / 1000).toFixed(3),
            'X-RateLimit-Reset-After': retryAfter.toFixed(3),
            'Retry-After': String(Math.ceil(retryAfter)),
            'X-RateLimit-Scope': 'user',
          };
      answer(429, rateLimitedBody(retryAfterMs, global, code || undefined), headers, route.path, true);
    } else {
      const reasons: Record<number, string> = {
        500: 'Internal Server Error',
        502: 'Bad Gateway',
        503: 'Service Unavailable',
        504: 'Gateway Timeout',
      };
      answer(
        status,
        { message: message ?? `${status}: ${reasons[status] ?? 'Error'}`, code },
        {},
        route.path,
        true,
      );
    }
    return;
  }

  if ((route.auth ?? 'bot') === 'bot' && request.headers.authorization !== `Bot ${core.options.botToken}`) {
    const error = httpError(401);
    answer(401, error.toJSON(), {}, route.path);
    return;
  }

  const verdict = core.rateLimits.take(rateLimitKey);
  if (verdict.exceeded) {
    answer(
      429,
      rateLimitedBody(verdict.exceeded.retryAfterMs, verdict.exceeded.global),
      verdict.headers,
      route.path,
    );
    return;
  }

  let result: RestResult;
  try {
    // Multipart requests carry files; leave room for the form framing around them.
    const body = await readBody(request, core.options.uploadLimitBytes + 1024 * 1024);
    taken = body.json;
    result = await route.handle({
      core,
      params,
      query,
      body: body.json,
      files: body.files,
      headers: request.headers,
    });
  } catch (error) {
    const failure = error instanceof DiscordApiError ? error : httpError(500, error);
    if (!(error instanceof DiscordApiError))
      core.options.log(`rest: ${method} ${path} failed: ${String((error as Error)?.stack ?? error)}`);
    answer(failure.status, failure.toJSON(), verdict.headers, route.path);
    return;
  }
  answer(result.status, result.body, verdict.headers, route.path);
}
