import type { z } from 'zod';
import type { FlowState } from '../flow-definition.ts';
import type { FlowRunnerDeps } from '../runner-deps.ts';

/** Why an execution failed, when it did. */
export type StudioExecutionErrorCode =
  /** Twilio 81000: the execution ran more widgets than the emulator allows. */
  | 'max-steps'
  /** Twilio 81001: one widget ran more than Studio's 10 times. */
  | 'widget-loop'
  | 'missing-state'
  | 'unknown-widget'
  | 'unsupported-widget'
  | 'invalid-properties'
  | 'template';

/**
 * An error that ends an execution as `failed`: what Studio does on an uncaught widget error. Widgets
 * report expected failures (HTTP 500, a task that cannot be enqueued) as transition events instead.
 */
export class StudioExecutionError extends Error {
  override readonly name = 'StudioExecutionError';
  readonly code: StudioExecutionErrorCode;

  constructor(code: StudioExecutionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** What one widget run needs: its state, the runner's dependencies, and Liquid over the live context. */
export interface WidgetRun {
  readonly state: FlowState;
  readonly deps: FlowRunnerDeps;
  /** Renders a Liquid template over `{trigger, widgets, flow}` as they stand now. */
  render(template: string): string;
  /** `context.flow.variables`, which set-variables writes. */
  readonly flowVariables: Record<string, unknown>;
}

/** How a widget run ended. */
export interface WidgetOutcome {
  /** The transition event to take, e.g. `success`. */
  event: string;
  /** Which of the state's transitions to take, when several share the event (split-based-on's `match`). */
  transitionIndex?: number;
  /** The widget's context, stored as `widgets.<name>`. */
  output?: Record<string, unknown>;
  /** Extra detail for the execution step, e.g. why an HTTP request failed. */
  stepContext?: Record<string, unknown>;
}

/** Parses a widget's properties with its schema; a mismatch fails the execution. */
export function widgetProperties<Schema extends z.ZodType>(
  schema: Schema,
  state: FlowState,
): z.output<Schema> {
  const result = schema.safeParse(state.properties);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'properties'}: ${issue.message}`,
  );
  throw new StudioExecutionError(
    'invalid-properties',
    `widget '${state.name}' (${state.type}) has invalid properties: ${problems.join('; ')}`,
    { cause: result.error },
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
