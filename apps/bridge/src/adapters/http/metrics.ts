import type { SupervisorFigures } from '@flexcord/contracts';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The window of the figures' gauges, in days (the plugin's figures view picks its own). */
export const FIGURES_METRICS_DAYS = 30;
/** One scrape reads the figures once, however many gauges show them. */
const FIGURES_FRESH_MS = 5_000;

export interface MetricsSources {
  deadLetters?: () => Promise<number>;
  /** A supervisor's figures over {@link FIGURES_METRICS_DAYS} days. */
  figures?: (days: number) => Promise<SupervisorFigures>;
}

/** The bridge's Prometheus metrics, served at `GET /metrics`. One registry per bridge instance. */
export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { deadLetters } = sources;
  let read: { at: number; figures: Promise<SupervisorFigures> } | null = null;
  /** The figures for this scrape, or null while the database does not answer (the last values stand). */
  const figures = async (): Promise<SupervisorFigures | null> => {
    if (!sources.figures) return null;
    if (!read || Date.now() - read.at > FIGURES_FRESH_MS)
      read = { at: Date.now(), figures: sources.figures(FIGURES_METRICS_DAYS) };
    try {
      return await read.figures;
    } catch {
      read = null;
      return null;
    }
  };
  /** A gauge set at each scrape from the figures (NaN while there is nothing to take it over). */
  const figureGauge = (name: string, help: string, value: (figures: SupervisorFigures) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const current = await figures();
        if (!current) return;
        this.set(value(current) ?? Number.NaN);
      },
    });
  return {
    registry,
    openCases: new Gauge({
      name: 'flexcord_cases_open',
      help: 'Cases not resolved or closed, by type and status',
      labelNames: ['type', 'status'] as const,
      registers: [registry],
      async collect() {
        const current = await figures();
        if (!current) return;
        this.reset();
        for (const row of current.openCases) this.set({ type: row.type, status: row.status }, row.count);
      },
    }),
    firstResponse: figureGauge(
      'flexcord_case_first_response_median_seconds',
      `Median time from a chat's handover to the first agent message in it, chats handed over in the last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.firstResponse.medianSeconds,
    ),
    resolution: figureGauge(
      'flexcord_case_resolution_median_seconds',
      `Median time from a case opening to being set to resolved (not closed), cases resolved in the last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.resolution.medianSeconds,
    ),
    satisfaction: figureGauge(
      'flexcord_satisfaction_average',
      `Average satisfaction survey score (1-5), last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.satisfaction.average,
    ),
    satisfactionResponses: figureGauge(
      'flexcord_satisfaction_responses',
      `Satisfaction survey answers, last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.satisfaction.responses,
    ),
    deflection: figureGauge(
      'flexcord_virtual_agent_deflection_ratio',
      `Share of chats with a question to the virtual agent that needed no agent, last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.deflection.share,
    ),
    virtualAgentChats: new Gauge({
      name: 'flexcord_virtual_agent_chats',
      help: `Chats with a question to the virtual agent by what they came to (handed_over, confirmed, assumed, awaiting, unresolved; docs/case-desk.md), last ${FIGURES_METRICS_DAYS} days`,
      labelNames: ['verdict'] as const,
      registers: [registry],
      async collect() {
        const current = await figures();
        if (!current) return;
        const { handedOver, confirmed, assumed, awaiting, unresolved } = current.virtualAgent;
        this.set({ verdict: 'handed_over' }, handedOver);
        this.set({ verdict: 'confirmed' }, confirmed);
        this.set({ verdict: 'assumed' }, assumed);
        this.set({ verdict: 'awaiting' }, awaiting);
        this.set({ verdict: 'unresolved' }, unresolved);
      },
    }),
    virtualAgentResolution: figureGauge(
      'flexcord_virtual_agent_resolution_ratio',
      `Share of chats with a question to the virtual agent resolved by it (confirmed "This helped", or assumed: no agent request and no new question for 24 h), last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.virtualAgent.resolutionRate,
    ),
    virtualAgentHandover: figureGauge(
      'flexcord_virtual_agent_handover_ratio',
      `Share of chats with a question to the virtual agent where the member asked for an agent (1 - deflection), last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.virtualAgent.handoverRate,
    ),
    reopened: figureGauge(
      'flexcord_cases_reopened_ratio',
      `Share of the cases resolved in the last ${FIGURES_METRICS_DAYS} days whose member opened a case of the same type within 72 h`,
      (current) => current.reopened.share,
    ),
    kbUnanswered: figureGauge(
      'flexcord_kb_unanswered_questions',
      `Questions the virtual agent could not answer, last ${FIGURES_METRICS_DAYS} days`,
      (current) => current.kbGaps.unanswered,
    ),
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
