import type { OutboxKinds } from '../infrastructure/outbox/kind-registry.ts';
import { DISCORD_OUTBOX_KINDS } from './discord/outbox-kinds.ts';
import { TWILIO_OUTBOX_KINDS } from './twilio/outbox-kinds.ts';

/**
 * Every outbox kind, as each adapter declares it beside its transport, for the composition root
 * (and the `npm run outbox` command) to register. Typed as `OutboxKinds`: a kind declared and not
 * listed here (or listed and not declared) does not compile.
 */
export const OUTBOX_KINDS: OutboxKinds = { ...DISCORD_OUTBOX_KINDS, ...TWILIO_OUTBOX_KINDS };
