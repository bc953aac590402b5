import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The bridge's Prometheus metrics, served at `GET /metrics`. One registry per bridge instance. */
export function createMetrics(sources: { deadLetters?: () => Promise<number> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { deadLetters } = sources;
  return {
    registry,
    deadLetters: new Gauge({
      name: 'flexcord_outbox_dead_letters',
      help: 'Outbox items given up on and not replayed yet (list: npm run outbox -- list)',
      registers: [registry],
      async collect() {
        if (!deadLetters) return;
        try {
          this.set(await deadLetters());
        } catch {
          // Read at each scrape; while the database does not answer, the last value stands.
        }
      },
    }),
    webhooks: new Counter({
      name: 'flexcord_twilio_webhooks_total',
      help: 'Twilio webhook requests by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'] as const,
      registers: [registry],
    }),
    memberMessages: new Counter({
      name: 'flexcord_member_messages_total',
      help: 'Discord DM messages from members, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'flexcord_outbox_deliveries_total',
      help: 'Outbox deliveries by kind and result',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'flexcord_outbox_delivery_seconds',
      help: 'From enqueue to delivered, by kind',
      labelNames: ['kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
