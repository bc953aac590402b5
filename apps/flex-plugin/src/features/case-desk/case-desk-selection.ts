import { OPEN_CASE_ACTION, type OpenCasePayload } from '../../agent/flexcord-actions.ts';

/** What answering the open-case action needs of Flex: its actions (Flex's `Actions`). */
interface FlexActions {
  Actions: {
    registerAction(name: string, action: (payload: OpenCasePayload) => Promise<void>): void;
    invokeAction(name: 'NavigateToView', payload: { viewName: string }): Promise<unknown>;
  };
}

/** The Flex view of the case desk (`NavigateToView` takes this name). */
export const CASES_VIEW = 'flexcord-cases';

type Listener = (caseNumber: number) => void;
const listeners = new Set<Listener>();
let requested: number | null = null;

/** The case the desk should show (asked for before the desk was first shown, e.g. from a task's member card). */
export function takeRequestedCase(): number | null {
  const number = requested;
  requested = null;
  return number;
}

export function onCaseRequested(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Answers `FlexcordOpenCase` (any feature may invoke it): the Cases view, with the case open in its
 * panel. The request waits here for a desk that is not mounted yet.
 */
export function registerOpenCaseAction(flex: FlexActions): void {
  flex.Actions.registerAction(OPEN_CASE_ACTION, async ({ caseNumber }) => {
    requested = listeners.size ? null : caseNumber;
    for (const listener of listeners) listener(caseNumber);
    await flex.Actions.invokeAction('NavigateToView', { viewName: CASES_VIEW });
  });
}
