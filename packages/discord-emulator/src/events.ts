import type { APIApplicationCommand, APIChannel, APIInteraction } from 'discord-api-types/v10';
import type { InitialResponse, RecordedMessage } from './state.ts';

/**
 * What happened in the emulated Discord, for a UI or a test to follow (`GET /_emulator/events` streams
 * these as Server-Sent Events, `event:` being the `type`).
 */
export type EmulatorEvent =
  | { type: 'message.created'; message: RecordedMessage }
  | { type: 'message.updated'; message: RecordedMessage }
  | { type: 'message.deleted'; channel_id: string; id: string }
  | { type: 'channel.created'; channel: APIChannel }
  | { type: 'channel.updated'; channel: APIChannel }
  | { type: 'channel.deleted'; channel: APIChannel }
  | { type: 'interaction.created'; interaction: APIInteraction }
  | { type: 'interaction.responded'; interaction_id: string; response: InitialResponse }
  | { type: 'interaction.expired'; interaction_id: string }
  | { type: 'commands.updated'; guild_id: string | null; commands: APIApplicationCommand[] }
  | { type: 'gateway.connected'; session_id: string; shard: [number, number] }
  | { type: 'gateway.disconnected'; session_id: string | null; code: number };

/** An event with its position in the feed, used as the SSE `id` so a client can resume. */
export interface FeedEntry {
  id: number;
  event: EmulatorEvent;
}

/** The emulator's event feed: listeners get each event as it happens; recent ones are kept for replay. */
export class EventFeed {
  readonly #listeners = new Set<(entry: FeedEntry) => void>();
  readonly #recent: FeedEntry[] = [];
  #next = 1;

  constructor(private readonly keep = 500) {}

  publish(event: EmulatorEvent): void {
    const entry = { id: this.#next++, event };
    this.#recent.push(entry);
    if (this.#recent.length > this.keep) this.#recent.shift();
    for (const listener of this.#listeners) listener(entry);
  }

  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: (entry: FeedEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Kept events after `id` (all kept events for 0). */
  since(id: number): FeedEntry[] {
    return this.#recent.filter((entry) => entry.id > id);
  }
}
