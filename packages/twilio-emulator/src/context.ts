import type { EmulatorClock } from './clock.ts';
import type { Store } from './store.ts';
import type { WebhookDispatcher } from './webhooks.ts';

/** What every API area of the emulator shares: state, time, outgoing webhooks and identities. */
export interface EmulatorContext {
  store: Store;
  clock: EmulatorClock;
  dispatcher: WebhookDispatcher;
  accountSid: string;
  authToken: string;
  conversationsServiceSid: string;
  messagingServiceSid: string;
  /** The default Conversations role given to participants. */
  participantRoleSid: string;
  /** The emulator's own base URL (`http://127.0.0.1:PORT`), known once it listens. */
  baseUrl(): string;
}

/** Who performs an action, which decides the webhooks' `Source` and whether they fire at all. */
export interface ActionSource {
  /** `API` for REST (and Flex/Studio server side), `SDK` for a client such as the Flex agent UI. */
  source: 'API' | 'SDK';
  /** The identity of the SDK client (sent as `ClientIdentity`). */
  clientIdentity?: string;
  /** REST writes fire webhooks only with `X-Twilio-Webhook-Enabled: true`; SDK and system actions always do. */
  webhooks: boolean;
}

export const SYSTEM_ACTION: ActionSource = { source: 'API', webhooks: true };
