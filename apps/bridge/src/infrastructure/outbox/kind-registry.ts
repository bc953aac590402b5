import type { z } from 'zod';

/**
 * The kinds of side effect the outbox carries, by name. Empty here: the outbox knows no kind. Each
 * adapter adds the kinds it delivers, beside its transport, the way an application extends
 * graphile-worker's `GraphileWorker.Tasks` (declaration merging):
 *
 * ```ts
 * declare module '../../infrastructure/outbox/kind-registry.ts' {
 *   interface OutboxKinds extends DiscordOutboxKinds {}
 * }
 * ```
 *
 * An entry's type is the kind's {@link OutboxKindDefinition}, so what the domain enqueues is checked
 * against the kind it names: a payload of another shape does not compile. The composition root
 * registers an object of this type (every kind declared, and nothing else).
 * @see https://worker.graphile.org/docs/typescript
 */
// biome-ignore lint/suspicious/noEmptyInterface: each adapter extends it (declaration merging).
export interface OutboxKinds {}

/** One outbox row as a kind builds it. */
export interface KindItem<Payload> {
  /** Idempotency key: the same key enqueued twice is one delivery. */
  key: string;
  /** Items of one stream are delivered one after the other, in insertion order. */
  stream: string;
  payload: Payload;
}

/**
 * What a kind is: the schema of its rows' payloads, the stream an item is ordered in, and the rows
 * one enqueue writes (several when the vendor needs it: a long Discord message in parts).
 * @typeParam Input what the domain enqueues.
 * @typeParam Payload what a row holds and its deliverer reads.
 * @typeParam Address the part of an input (and of a payload) that decides its stream.
 */
export interface OutboxKindDefinition<Input, Payload, Address> {
  /** Checked again at delivery: a row written by an older version, or by hand, fails visibly. */
  readonly schema: z.ZodType<Payload>;
  readonly stream: (address: Address) => string;
  readonly items: (key: string, input: Input) => KindItem<Payload>[];
}

/** Any kind, whatever its types (what a set of kinds is made of). */
type AnyKind = OutboxKindDefinition<never, unknown, never>;
/** A set of kinds by name: the constraint on {@link OutboxKinds} and on a test's own kinds. */
export type KindSet<Kinds> = { readonly [K in keyof Kinds]: AnyKind };

export type InputOf<Kind> = Kind extends OutboxKindDefinition<infer Input, unknown, never> ? Input : never;
export type PayloadOf<Kind> = Kind extends { schema: z.ZodType<unknown> } ? z.output<Kind['schema']> : never;
export type AddressOf<Kind> = Kind extends { stream: (address: infer Address) => string } ? Address : never;

/** The name of a registered kind. */
export type OutboxKind = keyof OutboxKinds & string;
/** What the domain enqueues for a registered kind. */
export type OutboxInput<K extends OutboxKind> = InputOf<OutboxKinds[K]>;
/** What a row of a registered kind holds (and its deliverer reads). */
export type OutboxPayload<K extends OutboxKind> = PayloadOf<OutboxKinds[K]>;

/** A side effect to enqueue: a kind, its idempotency key and what that kind takes. */
export type OutboxRequest<Kinds extends KindSet<Kinds> = OutboxKinds> = {
  [K in keyof Kinds & string]: { kind: K; key: string; payload: InputOf<Kinds[K]> };
}[keyof Kinds & string];

/**
 * A kind whose enqueue writes one row, the input as its payload: most kinds.
 * @param stream the stream of a payload (from the fields that address it).
 */
export function oneRowKind<Payload>(
  schema: z.ZodType<Payload>,
  stream: (payload: Payload) => string,
): OutboxKindDefinition<Payload, Payload, Payload> {
  return { schema, stream, items: (key, payload) => [{ key, stream: stream(payload), payload }] };
}

/** A kind as written out in full: its types inferred from its parts. */
export function defineKind<Input, Payload, Address>(
  definition: OutboxKindDefinition<Input, Payload, Address>,
): OutboxKindDefinition<Input, Payload, Address> {
  return definition;
}
