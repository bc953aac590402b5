/**
 * One Complete: Flex's own Complete (the task bar, `CompleteTask`) and the case panel's wrap-up form
 * must do the same thing for a Discord chat that is wrapping: record how the chat ended on the case
 * (the bridge then completes the task). The form registers itself here for its task; the
 * case-panel feature's `CompleteTask` replacement asks it to submit.
 */

/** Submits the form's disposition and note; resolves true once the bridge recorded them. */
export type WrapUpSubmit = () => Promise<boolean>;

const forms = new Map<string, WrapUpSubmit>();
const wrapped = new Set<string>();

/** The form of task `taskSid` is on screen; the returned function is called when it goes away. */
export function registerWrapUpForm(taskSid: string, submit: WrapUpSubmit): () => void {
  forms.set(taskSid, submit);
  return () => {
    if (forms.get(taskSid) === submit) forms.delete(taskSid);
  };
}

/** The bridge recorded the wrap-up of task `taskSid`: Flex's Complete may go ahead. */
export function markWrappedUp(taskSid: string): void {
  wrapped.add(taskSid);
}

/**
 * What Flex's Complete does for a wrapping Discord task: `complete` when the wrap-up is already
 * recorded, `submitted` when the panel's form recorded it now (the bridge completes the task),
 * `needs-disposition` when there is no form on screen or it could not be recorded (the panel says why).
 */
export async function completeThroughWrapUp(
  taskSid: string,
): Promise<'complete' | 'submitted' | 'needs-disposition'> {
  if (wrapped.has(taskSid)) return 'complete';
  const submit = forms.get(taskSid);
  if (!submit) return 'needs-disposition';
  return (await submit()) ? 'submitted' : 'needs-disposition';
}
