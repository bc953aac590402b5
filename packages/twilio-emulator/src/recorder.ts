import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { paramsOf } from './http.ts';

/**
 * One REST exchange as the emulator answered it: what was asked (the parameter names, the
 * `If-Match` header) and what came back (status and JSON body). The conformance suite checks
 * each against twilio-node's generated resources.
 */
export interface TrafficRecord {
  method: string;
  /** The path without the query string (`/taskrouter/v1/Workspaces/WS…/Tasks/WT…`). */
  path: string;
  /** The Express route that answered (`/taskrouter/v1/Workspaces/:ws/Tasks/:sid`), if any. */
  route: string | null;
  /** Every parameter name of the query string and the form body, with its values. */
  params: Record<string, string[]>;
  ifMatch: string | null;
  status: number;
  /** The JSON body; null for an empty or non-JSON answer. */
  body: unknown;
}

/** The environment variable naming the directory traffic is recorded to (off when unset). */
export const RECORD_DIR_ENV = 'TWILIO_EMULATOR_RECORD_DIR';

/** Lines waiting to be written, by file: written together, off the request path. */
const pending = new Map<string, string[]>();
let timer: NodeJS.Timeout | undefined;

/** Writes every recorded line still waiting (also on process exit and when an emulator stops). */
export function flushTraffic(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  for (const [file, lines] of pending) {
    if (lines.length) appendFileSync(file, lines.join(''));
  }
  pending.clear();
}

process.on('exit', flushTraffic);

function record(file: string, line: string): void {
  const lines = pending.get(file) ?? [];
  lines.push(line);
  pending.set(file, lines);
  timer ??= setTimeout(flushTraffic, 250).unref();
}

/**
 * Records each REST exchange to `<dir>/<pid>.jsonl`, one {@link TrafficRecord} a line, written in
 * batches; `undefined` (no middleware at all) when `dir` is not given, so a normal run pays nothing.
 */
export function trafficRecorder(dir: string | undefined): RequestHandler | undefined {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.jsonl`);
  return (req, res, next) => {
    if (req.path.startsWith('/_emulator')) {
      next();
      return;
    }
    let body: unknown = null;
    let route: string | null = null;
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      body = value;
      const matched = (req as { route?: { path?: unknown } }).route?.path;
      if (typeof matched === 'string') route = `${req.baseUrl}${matched}`;
      return json(value);
    };
    res.on('finish', () => {
      const params: Record<string, string[]> = {};
      try {
        for (const [key, value] of paramsOf(req).search) params[key] = [...(params[key] ?? []), value];
      } catch {
        // A body that is not a form: no parameters.
      }
      const header = req.headers['if-match'];
      const entry: TrafficRecord = {
        method: req.method,
        path: req.originalUrl.split('?')[0] ?? req.originalUrl,
        route,
        params,
        ifMatch: typeof header === 'string' ? header : null,
        status: res.statusCode,
        body: body === undefined ? null : body,
      };
      record(file, `${JSON.stringify(entry)}\n`);
    });
    next();
  };
}
