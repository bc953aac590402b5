import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One REST exchange as the conformance suite reads it: the route template as Discord's OpenAPI spec
 * writes it (`/channels/{channel_id}/messages`), the status and JSON body answered, and — for an
 * accepted request (2xx) — the query and the JSON body the emulator took.
 */
export interface RecordedExchange {
  method: string;
  /** The matched route, placeholders in braces; null when no route matched (404/405). */
  route: string | null;
  path: string;
  status: number;
  /** Answered by an injected fault, not by the emulator's Discord logic. */
  faulted: boolean;
  /** Query parameters of an accepted request. */
  query?: Record<string, string>;
  /** The JSON body (or multipart `payload_json`) of an accepted request. */
  request?: unknown;
  /** The JSON body answered; absent for 204 and empty answers. */
  response?: unknown;
}

/**
 * Appends every REST exchange to `<dir>/discord-<pid>-<n>.jsonl`, one JSON object a line. Off (and
 * free) unless a directory is given: the `record` option or `DISCORD_EMULATOR_RECORD_DIR`.
 */
export class ExchangeRecorder {
  readonly file: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `discord-${process.pid}-${Date.now()}-${nextInstance++}.jsonl`);
  }

  record(exchange: RecordedExchange): void {
    appendFileSync(this.file, `${JSON.stringify(exchange)}\n`);
  }
}

let nextInstance = 0;

/** `/channels/:channel_id` → `/channels/{channel_id}`, as the OpenAPI spec names paths. */
export function specPath(route: string): string {
  return route.replace(/:(\w+)/g, '{$1}');
}
