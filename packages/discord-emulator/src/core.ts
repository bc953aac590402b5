import { EventFeed } from './events.ts';
import { Faults } from './faults.ts';
import { Gateway } from './gateway.ts';
import type { ResolvedOptions } from './options.ts';
import { RateLimiter } from './rate-limits.ts';
import { ExchangeRecorder } from './recorder.ts';
import { SnowflakeGenerator } from './snowflake.ts';
import { State } from './state.ts';

/** One REST request as the emulator saw it, for tests to assert on (retries, fault handling). */
export interface RequestLogEntry {
  at: number;
  method: string;
  /** The decoded path under `/api/v10`, without the query. */
  path: string;
  /** The matched route with placeholders, or null when none matched. */
  route: string | null;
  status: number;
  /** Whether an injected fault answered it. */
  faulted: boolean;
}

/**
 * Everything one emulator instance holds, shared by the REST handlers, the gateway and the control
 * API: the state, the id generator, the gateway sessions, the rate limiter and the fault injector.
 */
export class EmulatorCore {
  readonly ids = new SnowflakeGenerator();
  readonly state: State;
  readonly feed = new EventFeed();
  readonly faults = new Faults();
  readonly rateLimits: RateLimiter;
  readonly gateway: Gateway;
  readonly requests: RequestLogEntry[] = [];
  /** Records REST exchanges when the `record` option names a directory; null (off) otherwise. */
  readonly recorder: ExchangeRecorder | null;
  /** `http://host:port` once listening. */
  listenUrl = 'http://127.0.0.1';
  readonly #stoppers: Array<() => void> = [];

  constructor(readonly options: ResolvedOptions) {
    this.state = new State(options.applicationId);
    this.state.users.set(options.applicationId, {
      id: options.applicationId,
      username: options.botUsername,
      global_name: null,
      avatar: null,
      bot: true,
      locale: 'en-US',
      dmsClosed: false,
    });
    this.rateLimits = new RateLimiter(options.rateLimits);
    this.recorder = options.record ? new ExchangeRecorder(options.record) : null;
    this.gateway = new Gateway(this);
  }

  /** The base URL written into payloads. */
  get url(): string {
    return this.options.publicUrl ?? this.listenUrl;
  }

  get gatewayUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/gateway`;
  }

  /** Where an uploaded file is served, shaped like Discord's CDN path. */
  attachmentUrl(channelId: string, attachmentId: string, filename: string, proxy = false): string {
    return `${this.url}${proxy ? '/media' : ''}/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
  }

  /** Registers cleanup to run when the emulator stops (open event streams, timers). */
  onStop(cleanup: () => void): void {
    this.#stoppers.push(cleanup);
  }

  /** Ends the gateway, event streams and pending interaction timers. */
  stop(): void {
    for (const cleanup of this.#stoppers.splice(0)) cleanup();
    for (const interaction of this.state.interactions.values()) {
      if (interaction.deadlineTimer) clearTimeout(interaction.deadlineTimer);
      for (const waiter of interaction.waiters.splice(0)) waiter(null);
    }
    this.gateway.close();
  }

  logRequest(entry: RequestLogEntry): void {
    this.requests.push(entry);
    if (this.requests.length > 2_000) this.requests.shift();
  }
}
