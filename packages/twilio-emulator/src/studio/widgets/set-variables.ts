import { SetVariablesPropertiesSchema } from '../flow-definition.ts';
import { type WidgetOutcome, type WidgetRun, widgetProperties } from './widget.ts';

/**
 * Set Variables: renders each `{key, value}` and stores it as `flow.variables.<key>` (keys are
 * case-sensitive). Variables are set in order, so a later value can read an earlier one.
 *
 * @see https://www.twilio.com/docs/studio/widget-library/set-variables
 */
export function runSetVariables(run: WidgetRun): WidgetOutcome {
  const { variables } = widgetProperties(SetVariablesPropertiesSchema, run.state);
  const set: Record<string, string> = {};
  for (const { key, value } of variables) {
    const rendered = run.render(value);
    run.flowVariables[key] = rendered;
    set[key] = rendered;
  }
  return { event: 'next', stepContext: { variables: set } };
}
