import { type ZodType, z } from 'zod';
import { compileConditionRegex, isConditionType } from './conditions.ts';

/**
 * A Studio v2 flow definition, the JSON a Studio export produces and `studio.v2.flows.create`
 * takes as `Definition`. Unknown keys (`offset`, old exports' `uuid`/`sid`) are kept, not stripped,
 * so a definition round-trips through the emulator unchanged.
 *
 * @see https://www.twilio.com/docs/studio/rest-api/v2/flow
 */
export const ConditionSchema = z.looseObject({
  friendly_name: z.string(),
  /** Templates; Studio writes the widget's `input` here and tests its rendered value. */
  arguments: z.array(z.string()),
  type: z.string(),
  /** Absent or null for `is_blank`/`is_not_blank`. */
  value: z.string().nullish(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const TransitionSchema = z.looseObject({
  event: z.string().min(1),
  /** The widget to run next; absent, null or empty ends the execution. */
  next: z.string().nullish(),
  conditions: z.array(ConditionSchema).optional(),
});
export type Transition = z.infer<typeof TransitionSchema>;

export const FlowStateSchema = z.looseObject({
  name: z.string().min(1),
  type: z.string().min(1),
  transitions: z.array(TransitionSchema),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type FlowState = z.infer<typeof FlowStateSchema>;

export const FlowDefinitionSchema = z.looseObject({
  description: z.string().optional(),
  states: z.array(FlowStateSchema).min(1),
  initial_state: z.string().min(1),
  flags: z.looseObject({ allow_concurrent_calls: z.boolean().optional() }).optional(),
});
export type FlowDefinition = z.infer<typeof FlowDefinitionSchema>;

/**
 * Every widget type Studio knows. Only trigger, split-based-on, set-variables, make-http-request and
 * send-to-flex run in the emulator; the others validate, and fail the execution if reached.
 *
 * @see https://www.twilio.com/docs/studio/widget-library
 */
export const WIDGET_TYPES = [
  'trigger',
  'split-based-on',
  'set-variables',
  'make-http-request',
  'send-to-flex',
  'run-function',
  'run-subflow',
  'send-message',
  'send-and-wait-for-reply',
  'say-play',
  'gather-input-on-call',
  'connect-call-to',
  'make-outgoing-call-v2',
  'record-voicemail',
  'record-call',
  'enqueue-call',
  'capture-payments',
  'fork-stream',
  'connect-virtual-agent',
  'add-twiml-redirect',
  'send-to-auto-pilot',
] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

const widgetTypes: ReadonlySet<string> = new Set(WIDGET_TYPES);

export function isWidgetType(type: string): type is WidgetType {
  return widgetTypes.has(type);
}

/**
 * The Trigger widget's events.
 * @see https://www.twilio.com/docs/studio/widget-library/trigger-start
 */
export const TRIGGER_EVENTS = [
  'incomingMessage',
  'incomingCall',
  'incomingConversationMessage',
  'incomingRequest',
  'incomingParent',
] as const;

/** The transition events each widget emits, for the widgets whose events are known here. */
export const WIDGET_EVENTS: Partial<Record<WidgetType, readonly string[]>> = {
  trigger: TRIGGER_EVENTS,
  'split-based-on': ['noMatch', 'match'],
  'set-variables': ['next'],
  'make-http-request': ['success', 'failed'],
  'send-to-flex': ['callComplete', 'failedToEnqueue', 'callFailure'],
  'run-function': ['success', 'fail'],
  'send-message': ['sent', 'failed'],
  'send-and-wait-for-reply': ['incomingMessage', 'timeout', 'deliveryFailure'],
};

/** Studio exports write scalars as strings ("priority": "0"); hand-written JSON often uses numbers. */
const scalarString = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const KeyValueSchema = z.looseObject({ key: z.string().min(1), value: scalarString });

/**
 * @see https://www.twilio.com/docs/studio/widget-library/split-based-on
 */
export const SplitBasedOnPropertiesSchema = z.looseObject({ input: z.string().min(1) });

/**
 * @see https://www.twilio.com/docs/studio/widget-library/set-variables
 */
export const SetVariablesPropertiesSchema = z.looseObject({
  variables: z.array(KeyValueSchema).default([]),
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** The Content Type dropdown: Form URL Encoded or Application/JSON (exports add `;charset=utf-8`). */
export const HTTP_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'application/json'] as const;

/** `application/json;charset=utf-8` → `application/json`. */
export function baseContentType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * @see https://www.twilio.com/docs/studio/widget-library/http-request
 */
export const MakeHttpRequestPropertiesSchema = z.looseObject({
  method: z.enum(HTTP_METHODS),
  url: z.string().min(1),
  content_type: z
    .string()
    .refine((value) => (HTTP_CONTENT_TYPES as readonly string[]).includes(baseContentType(value)), {
      message: `must be ${HTTP_CONTENT_TYPES.join(' or ')} (optionally with ;charset=utf-8)`,
    }),
  body: z.string().optional(),
  parameters: z.array(KeyValueSchema).optional(),
  add_twilio_auth: z.boolean().optional(),
});

/**
 * @see https://www.twilio.com/docs/studio/widget-library/send-flex
 */
export const SendToFlexPropertiesSchema = z.looseObject({
  workflow: z.string().min(1),
  channel: z.string().min(1),
  /** A JSON object template, rendered then parsed. */
  attributes: z.string().optional(),
  priority: scalarString.optional(),
  timeout: scalarString.optional(),
  waitUrl: z.string().optional(),
  waitUrlMethod: z.string().optional(),
});

const WIDGET_PROPERTIES: Partial<Record<WidgetType, ZodType>> = {
  'split-based-on': SplitBasedOnPropertiesSchema,
  'set-variables': SetVariablesPropertiesSchema,
  'make-http-request': MakeHttpRequestPropertiesSchema,
  'send-to-flex': SendToFlexPropertiesSchema,
};

/**
 * Checks a definition the way Studio's Flow Validate does (error 81022): the JSON shape, one Trigger
 * that `initial_state` names, unique widget names, transitions only to existing widgets, known widget
 * types, and, for the widgets the emulator runs, their properties, events and split conditions.
 *
 * @returns `[]` when the definition is valid, else one human-readable message per problem.
 * @see https://www.twilio.com/docs/studio/rest-api/v2/flow-validate
 * @see https://www.twilio.com/docs/api/errors/81022
 */
export function validateFlowDefinition(definition: unknown): string[] {
  const parsed = FlowDefinitionSchema.safeParse(definition);
  if (!parsed.success) return parsed.error.issues.map((issue) => formatIssue(issue.path, issue.message));

  const { states, initial_state: initialState } = parsed.data;
  const errors: string[] = [];
  const firstIndexByName = new Map<string, number>();
  states.forEach((state, index) => {
    const first = firstIndexByName.get(state.name);
    if (first === undefined) firstIndexByName.set(state.name, index);
    else errors.push(`states[${index}]: widget name '${state.name}' is already used by states[${first}]`);
  });

  const triggers = states.filter((state) => state.type === 'trigger');
  if (triggers.length === 0) errors.push('the flow has no Trigger widget (a state of type "trigger")');
  if (triggers.length > 1)
    errors.push(`the flow has ${triggers.length} Trigger widgets; a flow has exactly one`);

  const initial = states.find((state) => state.name === initialState);
  if (!initial) errors.push(`initial_state '${initialState}' is not the name of any widget`);
  else if (initial.type !== 'trigger') {
    errors.push(`initial_state '${initialState}' is a ${initial.type} widget, not the Trigger`);
  }

  states.forEach((state, index) => {
    const label = `states[${index}] '${state.name}'`;
    if (!isWidgetType(state.type)) {
      errors.push(`${label}: unknown widget type '${state.type}'`);
      return;
    }
    const events = WIDGET_EVENTS[state.type];
    state.transitions.forEach((transition, t) => {
      const where = `${label}: transitions[${t}] (${transition.event})`;
      if (transition.next && !firstIndexByName.has(transition.next)) {
        errors.push(`${where} goes to '${transition.next}', which is not a widget of this flow`);
      }
      if (events && !events.includes(transition.event)) {
        errors.push(`${where}: not an event of ${state.type} (${events.join(', ')})`);
      }
    });
    const schema = WIDGET_PROPERTIES[state.type];
    const properties = schema?.safeParse(state.properties);
    if (properties && !properties.success) {
      for (const issue of properties.error.issues) {
        errors.push(`${label}: ${formatIssue(['properties', ...issue.path], issue.message)}`);
      }
    }
    if (state.type === 'split-based-on') errors.push(...splitConditionErrors(label, state));
  });
  return errors;
}

function splitConditionErrors(label: string, state: FlowState): string[] {
  const errors: string[] = [];
  state.transitions.forEach((transition, t) => {
    if (transition.event !== 'match') return;
    const where = `${label}: transitions[${t}] (match)`;
    const conditions = transition.conditions ?? [];
    if (conditions.length === 0) errors.push(`${where} has no conditions`);
    conditions.forEach((condition, c) => {
      if (!isConditionType(condition.type)) {
        errors.push(`${where}: conditions[${c}].type '${condition.type}' is not a Studio predicate`);
      } else if (condition.type === 'regex' && condition.value && !condition.value.includes('{')) {
        try {
          compileConditionRegex(condition.value);
        } catch {
          errors.push(
            `${where}: conditions[${c}].value '${condition.value}' is not a valid regular expression`,
          );
        }
      }
    });
  });
  return errors;
}

function formatIssue(path: readonly PropertyKey[], message: string): string {
  const where = path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
  return where ? `${where}: ${message}` : message;
}
