/** What opening the desk needs of Flex: its actions (Flex's `Actions.invokeAction`). */
interface FlexActions {
  Actions: { invokeAction(name: 'NavigateToView', payload: { viewName: string }): Promise<unknown> };
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

/** Shows the Cases view with `caseNumber` open in its case panel. */
export function openCaseInDesk(flex: FlexActions, caseNumber: number): void {
  requested = listeners.size ? null : caseNumber;
  for (const listener of listeners) listener(caseNumber);
  void flex.Actions.invokeAction('NavigateToView', { viewName: CASES_VIEW });
}
