import { evaluateCondition, isConditionType } from '../conditions.ts';
import { SplitBasedOnPropertiesSchema } from '../flow-definition.ts';
import { StudioExecutionError, type WidgetOutcome, type WidgetRun, widgetProperties } from './widget.ts';

/**
 * Split Based On...: tests the rendered `input` against each `match` transition's conditions in
 * order; the first transition whose conditions all hold is taken, else `noMatch`.
 * A condition tests its rendered `arguments[0]` (Studio writes the input there), falling back to
 * `input`; its `value` is a template too ("constants, variables, and expressions are supported").
 *
 * @see https://www.twilio.com/docs/studio/widget-library/split-based-on
 */
export function runSplitBasedOn(run: WidgetRun): WidgetOutcome {
  const { input } = widgetProperties(SplitBasedOnPropertiesSchema, run.state);
  const renderedInput = run.render(input);
  const matchIndex = run.state.transitions.findIndex((transition) => {
    if (transition.event !== 'match' || !transition.conditions?.length) return false;
    return transition.conditions.every((condition) => {
      if (!isConditionType(condition.type)) {
        throw new StudioExecutionError(
          'invalid-properties',
          `widget '${run.state.name}' has a condition of unknown type '${condition.type}'`,
        );
      }
      const argument = condition.arguments[0];
      const subject = argument === undefined ? renderedInput : run.render(argument);
      return evaluateCondition(condition.type, subject, run.render(condition.value ?? ''));
    });
  });
  const stepContext = { input: renderedInput };
  return matchIndex === -1
    ? { event: 'noMatch', stepContext }
    : { event: 'match', transitionIndex: matchIndex, stepContext };
}
