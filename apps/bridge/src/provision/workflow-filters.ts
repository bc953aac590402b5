/** The topic filters provisioning writes are named so; every other filter is the brand's and stays. */
export const TOPIC_FILTER_PREFIX = 'Flexcord topic: ';

/** A TaskRouter workflow filter, as far as provisioning reads and writes it. */
export interface WorkflowFilter {
  filter_friendly_name?: string;
  expression?: string;
  targets?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** A TaskRouter workflow configuration, as far as provisioning reads and writes it. */
export interface WorkflowConfiguration {
  task_routing?: {
    filters?: WorkflowFilter[];
    default_filter?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Whether two configurations route alike (same JSON, whatever the key order or spacing). */
export function sameConfiguration(a: string, b: string): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  try {
    return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
  } catch {
    return false;
  }
}
