import type { FlowDefinition, FlowState, Transition } from './flow-definition.ts';
import { isWidgetType } from './flow-definition.ts';
import type { FlowRunnerDeps } from './runner-deps.ts';
import { runMakeHttpRequest } from './widgets/make-http-request.ts';
import { runSendToFlex } from './widgets/send-to-flex.ts';
import { runSetVariables } from './widgets/set-variables.ts';
import { runSplitBasedOn } from './widgets/split-based-on.ts';
import { renderTemplate } from './widgets/template.ts';
import { errorMessage, StudioExecutionError, type WidgetOutcome, type WidgetRun } from './widgets/widget.ts';

export type {
  FlowRunnerDeps,
  SendToFlexRequest,
  StudioHttpRequest,
  StudioHttpResponse,
} from './runner-deps.ts';
export { StudioExecutionError, type StudioExecutionErrorCode } from './widgets/widget.ts';

export type TriggerEvent = 'incomingConversationMessage' | 'incomingMessage' | 'incomingRequest';

export interface FlowTrigger {
  event: TriggerEvent;
  /** e.g. { conversation: { ConversationSid, MessageSid, Body, Author, ParticipantSid, Source, ChannelAttributes?, Media?, ... } } */
  context: Record<string, unknown>;
}

/**
 * One transition of an execution, as Studio's Execution Step resource records it: `name` is the
 * event that was taken, `transitionedTo` the next widget or `Ended`, `context` what the widget that
 * ran produced.
 *
 * @see https://www.twilio.com/docs/studio/rest-api/v2/step
 */
export interface ExecutionStep {
  sid: string;
  name: string;
  transitionedFrom: string;
  transitionedTo: string;
  event: string;
  dateCreated: string;
  context: Record<string, unknown>;
}

/** @see https://www.twilio.com/docs/studio/rest-api/v2/execution */
export interface Execution {
  sid: string;
  status: 'active' | 'ended' | 'failed';
  context: {
    trigger: Record<string, unknown>;
    widgets: Record<string, unknown>;
    flow: Record<string, unknown>;
  };
  steps: ExecutionStep[];
  dateCreated: string;
  dateUpdated: string;
  error?: string;
}

/** The flow an execution belongs to. */
export interface FlowRunnerFlow {
  sid: string;
  friendlyName?: string;
  /** Initial `flow.variables`. */
  variables?: Record<string, unknown>;
  /** A REST API execution's `Parameters`, read as `{{flow.data.KEY}}`. */
  data?: Record<string, unknown>;
}

/**
 * "A Flow's Execution will terminate after the same Widget is run 10 times" (Twilio warning 81001).
 * @see https://www.twilio.com/docs/studio/widget-library/http-request#reattempting-an-outbound-request
 */
export const MAX_RUNS_PER_WIDGET = 10;

/**
 * Widgets one execution may run in all (Twilio warning 81000). Twilio does not publish its number;
 * 100 is ample for a messaging flow and stops a loop across many widgets quickly.
 */
export const MAX_STEPS = 100;

/** Studio's `transitioned_to` when a transition has no `next`. */
const ENDED = 'Ended';

/**
 * Runs one Studio execution to its end: from `initial_state` (the Trigger) along the transition for
 * the trigger event, running widgets until a transition has no `next` (`ended`). An uncaught widget
 * error, a transition to a missing widget, a widget the emulator does not run, or a loop
 * ({@link MAX_RUNS_PER_WIDGET}, {@link MAX_STEPS}) ends it as `failed` with `error`. Rejects only
 * when `deps.newSid` or `deps.now` throws before the first step.
 *
 * Templates render over the execution context: `trigger` (the trigger context as given), `widgets`
 * (each widget's output by name) and `flow` (`flow_sid`, `sid` = the execution SID,
 * `channel.address`, `variables`, and `data` for REST executions).
 *
 * @see https://www.twilio.com/docs/studio/user-guide/get-started
 * @see https://www.twilio.com/docs/studio/rest-api/v2/execution
 */
export async function runFlow(
  definition: FlowDefinition,
  trigger: FlowTrigger,
  deps: FlowRunnerDeps,
  flow?: FlowRunnerFlow,
): Promise<Execution> {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const sid = deps.newSid('FN');
  const startedAt = now();
  const flowVariables: Record<string, unknown> = { ...flow?.variables };
  const context: Execution['context'] = {
    trigger: trigger.context,
    widgets: {},
    flow: {
      flow_sid: flow?.sid ?? '',
      sid,
      channel: { address: channelAddress(trigger.context) },
      variables: flowVariables,
      ...(flow?.data === undefined ? {} : { data: flow.data }),
    },
  };
  const execution: Execution = {
    sid,
    status: 'active',
    context,
    steps: [],
    dateCreated: startedAt,
    dateUpdated: startedAt,
  };
  const states = new Map(definition.states.map((state) => [state.name, state]));
  const runs = new Map<string, number>();
  const render = (template: string) => renderTemplate(template, context);

  try {
    let state = states.get(definition.initial_state);
    if (!state) {
      throw new StudioExecutionError(
        'missing-state',
        `initial_state '${definition.initial_state}' is not a widget`,
      );
    }
    if (state.type !== 'trigger') {
      throw new StudioExecutionError(
        'missing-state',
        `initial_state '${state.name}' is not the Trigger widget`,
      );
    }
    let outcome: WidgetOutcome = { event: trigger.event, stepContext: trigger.context };
    for (;;) {
      const transition = takenTransition(state, outcome);
      const next = transition?.next || undefined;
      execution.steps.push({
        sid: deps.newSid('FT'),
        name: outcome.event,
        transitionedFrom: state.name,
        transitionedTo: next ?? ENDED,
        event: outcome.event,
        dateCreated: now(),
        context: { ...outcome.output, ...outcome.stepContext },
      });
      if (next === undefined) {
        execution.status = 'ended';
        break;
      }
      const nextState = states.get(next);
      if (!nextState) {
        throw new StudioExecutionError(
          'missing-state',
          `'${state.name}' transitions to '${next}', which is not a widget`,
        );
      }
      countRun(nextState, runs, execution.steps.length);
      state = nextState;
      outcome = await runWidget({ state, deps, render, flowVariables });
      if (outcome.output !== undefined) context.widgets[state.name] = outcome.output;
    }
  } catch (error) {
    execution.status = 'failed';
    execution.error = errorMessage(error);
  }
  execution.dateUpdated = now();
  return execution;
}

function takenTransition(state: FlowState, outcome: WidgetOutcome): Transition | undefined {
  if (outcome.transitionIndex !== undefined) return state.transitions[outcome.transitionIndex];
  return state.transitions.find((transition) => transition.event === outcome.event);
}

function countRun(state: FlowState, runs: Map<string, number>, stepsSoFar: number): void {
  if (stepsSoFar > MAX_STEPS) {
    throw new StudioExecutionError(
      'max-steps',
      `81000: the execution has exceeded max steps allowed for a flow (${MAX_STEPS}) at widget '${state.name}'`,
    );
  }
  const count = (runs.get(state.name) ?? 0) + 1;
  if (count > MAX_RUNS_PER_WIDGET) {
    throw new StudioExecutionError(
      'widget-loop',
      `81001: widget '${state.name}' has exceeded max steps in a loop (${MAX_RUNS_PER_WIDGET} runs)`,
    );
  }
  runs.set(state.name, count);
}

async function runWidget(run: WidgetRun): Promise<WidgetOutcome> {
  const { type, name } = run.state;
  switch (type) {
    case 'split-based-on':
      return runSplitBasedOn(run);
    case 'set-variables':
      return runSetVariables(run);
    case 'make-http-request':
      return runMakeHttpRequest(run);
    case 'send-to-flex':
      return runSendToFlex(run);
    case 'trigger':
      throw new StudioExecutionError(
        'unsupported-widget',
        `widget '${name}': a transition cannot go to the Trigger`,
      );
    default:
      if (isWidgetType(type)) {
        throw new StudioExecutionError(
          'unsupported-widget',
          `widget type ${type} is not supported by the emulator (widget '${name}')`,
        );
      }
      throw new StudioExecutionError('unknown-widget', `widget '${name}' has unknown type '${type}'`);
  }
}

/**
 * `flow.channel.address`: Studio puts the channel the execution runs on here (the chat channel SID
 * in a Programmable Chat execution); for a conversation, its SID.
 */
function channelAddress(triggerContext: Record<string, unknown>): string {
  for (const [source, key] of [
    ['conversation', 'ConversationSid'],
    ['message', 'ChannelSid'],
    ['message', 'To'],
    ['call', 'To'],
  ] as const) {
    const section = triggerContext[source];
    if (typeof section === 'object' && section !== null) {
      const value = (section as Record<string, unknown>)[key];
      if (typeof value === 'string' && value) return value;
    }
  }
  return '';
}
