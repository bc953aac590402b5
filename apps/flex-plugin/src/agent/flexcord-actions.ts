/**
 * The Flex actions Flexcord's features use to reach each other without importing each other. A
 * feature registers the action it answers (`Actions.registerAction`); any other invokes it
 * (`Actions.invokeAction`), as Flex's own `NavigateToView` and `SelectTask` are used.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/actions (custom actions)
 */

/** Show a case in the Cases view (registered by the case-desk feature). */
export const OPEN_CASE_ACTION = 'FlexcordOpenCase';
export interface OpenCasePayload {
  caseNumber: number;
}
