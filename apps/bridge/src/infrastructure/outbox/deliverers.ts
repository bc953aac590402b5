import { PermanentDeliveryError } from './delivery-errors.ts';
import { OUTBOX_KINDS, type OutboxKind, type OutboxPayload } from './outbox-kinds.ts';
import type { OutboxRow } from './outbox-repository.ts';
import type { Deliverer } from './outbox-worker.ts';

/** One deliverer per outbox kind, each handed its payload already checked against the kind's schema. */
export type TypedDeliverers = {
  [K in OutboxKind]: (payload: OutboxPayload<K>, row: OutboxRow) => Promise<unknown>;
};

/**
 * The worker's deliverers from a typed map: a row whose payload does not match its kind's schema
 * (written by an older version, edited by hand) fails for good, visibly, instead of reaching a
 * deliverer as the wrong shape.
 */
export function typedDeliverers(map: TypedDeliverers): Record<string, Deliverer> {
  const entries = (Object.keys(OUTBOX_KINDS) as OutboxKind[]).map((kind) => {
    const deliver = map[kind] as (payload: unknown, row: OutboxRow) => Promise<unknown>;
    const deliverer: Deliverer = async (row) => {
      const parsed = OUTBOX_KINDS[kind].safeParse(row.payload);
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
