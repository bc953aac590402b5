/**
 * `@flexcord/twilio-emulator`: Twilio Conversations v1, Studio v2, Flex Interactions v1, TaskRouter
 * v1, IAM token validation and Media on loopback, with signed webhooks and a control API, for the
 * real twilio-node SDK to talk to (see `twilioClientOptions` in `@flexcord/twilio-client`).
 */
export { EmulatorClock, parseIsoDuration } from './clock.ts';
export type {
  AgentMessageInput,
  AgentView,
  ConversationView,
  DeliveryFilter,
  ExecutionView,
  ReservationView,
  TaskView,
} from './control.ts';
export { EmulatorControl } from './control.ts';
export {
  createTwilioEmulator,
  startTwilioEmulator,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  type TwilioEmulator,
  type TwilioEmulatorOptions,
} from './emulator.ts';
export { TwilioApiError } from './errors.ts';
export type { FaultOptions, FaultRule, FaultSummary } from './faults.ts';
export type { WrapUpOptions } from './interactions.ts';
export { emulatedRuntimeUrl } from './serverless.ts';
export type { EmulatorEvent } from './store.ts';
export { type AgentOptions, DEFAULT_AGENTS, flexIdentity } from './taskrouter.ts';
export { computeTwilioSignature, type DeliveryAttempt, type WebhookDelivery } from './webhooks.ts';
