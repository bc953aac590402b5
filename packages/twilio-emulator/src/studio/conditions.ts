/**
 * The predicates of Studio's Split Based On... widget, evaluated as Twilio documents them: both sides
 * are trimmed, comparisons ignore case, `regex` must match the whole subject, and the numeric, time
 * and date predicates are false when a side is not a number, a time or a date.
 *
 * @see https://www.twilio.com/docs/studio/widget-library/split-based-on#predicate-definitions
 */

/** Every `conditions[].type` a split-based-on transition may carry, as Studio spells them. */
export const CONDITION_TYPES = [
  'equal_to',
  'not_equal_to',
  'matches_any_of',
  'does_not_match_any_of',
  'is_blank',
  'is_not_blank',
  'regex',
  'contains',
  'does_not_contain',
  'starts_with',
  'does_not_start_with',
  'less_than',
  'greater_than',
  'is_before_time',
  'is_after_time',
  'is_before_date',
  'is_after_date',
] as const;

export type ConditionType = (typeof CONDITION_TYPES)[number];

const conditionTypes: ReadonlySet<string> = new Set(CONDITION_TYPES);

export function isConditionType(type: string): type is ConditionType {
  return conditionTypes.has(type);
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
/** `HH:MM`, 24-hour, leading zeros: the only time format the docs accept. */
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** `YYYY-MM-DD`, leading zeros: the only date format the docs accept. */
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/**
 * Compiles a `regex` predicate's value the way Studio applies it: case-insensitive, anchored to the
 * whole subject, written without surrounding slashes. Throws a `SyntaxError` for a bad pattern.
 */
export function compileConditionRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern.trim()})$`, 'i');
}

/**
 * Whether `subject` (the rendered argument, usually the widget's `input`) satisfies the predicate
 * against `value` (the rendered condition value). A `regex` value that does not compile never matches.
 */
export function evaluateCondition(type: ConditionType, subject: string, value: string): boolean {
  const left = subject.trim();
  const right = value.trim();
  const foldedLeft = left.toLowerCase();
  const foldedRight = right.toLowerCase();
  switch (type) {
    case 'equal_to':
      return foldedLeft === foldedRight;
    case 'not_equal_to':
      return foldedLeft !== foldedRight;
    case 'matches_any_of':
      return listOf(foldedRight).includes(foldedLeft);
    case 'does_not_match_any_of':
      return !listOf(foldedRight).includes(foldedLeft);
    case 'is_blank':
      return left === '';
    case 'is_not_blank':
      return left !== '';
    case 'regex':
      try {
        return compileConditionRegex(right).test(left);
      } catch {
        return false;
      }
    case 'contains':
      return foldedLeft.includes(foldedRight);
    case 'does_not_contain':
      return !foldedLeft.includes(foldedRight);
    case 'starts_with':
      return foldedLeft.startsWith(foldedRight);
    case 'does_not_start_with':
      return !foldedLeft.startsWith(foldedRight);
    case 'less_than':
      return compareNumbers(left, right, (a, b) => a < b);
    case 'greater_than':
      return compareNumbers(left, right, (a, b) => a > b);
    case 'is_before_time':
      return TIME.test(left) && TIME.test(right) && left < right;
    case 'is_after_time':
      return TIME.test(left) && TIME.test(right) && left > right;
    case 'is_before_date':
      return DATE.test(left) && DATE.test(right) && left < right;
    case 'is_after_date':
      return DATE.test(left) && DATE.test(right) && left > right;
  }
}

/** `matches_any_of` values are one comma-separated list, each entry trimmed like any other value. */
function listOf(value: string): string[] {
  return value.split(',').map((entry) => entry.trim());
}

/** "Operator does not perform comparisons on letters": either side not a number means no match. */
function compareNumbers(left: string, right: string, compare: (a: number, b: number) => boolean): boolean {
  if (!NUMBER.test(left) || !NUMBER.test(right)) return false;
  return compare(Number(left), Number(right));
}
