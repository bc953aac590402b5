import { PermanentDeliveryError } from './delivery-errors.ts';
import type { KindSet, OutboxKinds, PayloadOf } from './kind-registry.ts';
import type { OutboxRow } from './outbox-repository.ts';
import type { Deliverer } from './outbox-worker.ts';

/** One deliverer per kind, each handed its payload already checked against the kind's schema. */
export type TypedDeliverers<Kinds extends KindSet<Kinds> = OutboxKinds> = {
  [K in keyof Kinds]: (payload: PayloadOf<Kinds[K]>, row: OutboxRow) => Promise<unknown>;
};

/**
 * The worker's deliverers for `kinds`, from a typed map: a row whose payload does not match its
 * kind's schema (written by an older version, edited by hand) fails for good, visibly, instead of
 * reaching a deliverer as the wrong shape.
 */
export function typedDeliverers<Kinds extends KindSet<Kinds>>(
  kinds: Kinds,
  map: TypedDeliverers<Kinds>,
): Record<string, Deliverer> {
  const entries = (Object.keys(kinds) as (keyof Kinds & string)[]).map((kind) => {
    const schema = kinds[kind].schema;
    const deliver = map[kind] as (payload: unknown, row: OutboxRow) => Promise<unknown>;
    const deliverer: Deliverer = async (row) => {
      const parsed = schema.safeParse(row.payload);
      if (!parsed.success)
        throw new PermanentDeliveryError(
          `outbox item ${row.id} has an invalid ${kind} payload: ${parsed.error.message}`,
        );
      return deliver(parsed.data, row);
    };
    return [kind, deliverer] as const;
  });
  return Object.fromEntries(entries);
}
