import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorCore } from '../core.ts';
import type { UploadedFile } from '../messages.ts';

/** A REST request as a handler sees it. */
export interface RestRequest {
  core: EmulatorCore;
  /** Path parameters, percent-decoded (`%40original` arrives as `@original`). */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
}

/** What a handler answers: a status and a JSON body (none for 204). */
export interface RestResult {
  status: number;
  body?: unknown;
}

/** One REST route: the method, the path with `:placeholders` as in Discord's docs, and its handler. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** `bot` (default) requires `Authorization: Bot <token>`; interaction callbacks and webhooks need none. */
  auth?: 'bot' | 'none';
  handle(request: RestRequest): RestResult | Promise<RestResult>;
}

export const ok = (body: unknown): RestResult => ({ status: 200, body });
export const created = (body: unknown): RestResult => ({ status: 201, body });
export const noContent = (): RestResult => ({ status: 204 });

/** The parameters if `path` fits the route's pattern, else null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i]!;
    const actual = have[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = actual;
    else if (segment !== actual) return null;
  }
  return params;
}

/**
 * The route's major parameter: the channel, guild, or webhook id + token it is about; requests share
 * a rate-limit bucket only when this matches.
 *
 * @see https://discord.com/developers/docs/topics/rate-limits#rate-limits
 */
export function majorParameter(params: Record<string, string>): string {
  if (params.webhook_id !== undefined && params.webhook_token !== undefined)
    return `${params.webhook_id}/${params.webhook_token}`;
  if (params.interaction_id !== undefined) return params.interaction_id;
  return params.channel_id ?? params.guild_id ?? 'global';
}
