import { ProvisionError } from './provision-errors.ts';

/** One thing provisioning looks after, and what it will do about it. */
export interface PlannedAction {
  side: 'twilio' | 'discord';
  /** What it is, e.g. `Studio flow "Flexcord: Discord inbound"`. */
  resource: string;
  action: 'create' | 'update' | 'unchanged';
  /** What will change (or why nothing will), in words. */
  detail: string;
  /** Makes the change; returns what was done when it differs from `detail`. Absent when unchanged. */
  apply?: () => Promise<string | undefined>;
}

/** A side's plan: its actions, plus things a person should look at that provisioning won't fix. */
export interface Plan {
  actions: PlannedAction[];
  warnings: string[];
  /** Facts printed before the plan (e.g. the plugin bundle's checksum). */
  notes?: string[];
}

export interface AppliedAction {
  action: PlannedAction;
  /** What was done, as `apply()` reported it. */
  result: string;
}

/** A step failed after earlier ones were applied; `done` lists those, `failed` the one that broke. */
export class ApplyError extends ProvisionError {
  constructor(
    readonly done: AppliedAction[],
    readonly failed: PlannedAction,
    cause: unknown,
  ) {
    super('APPLY_FAILED', `${failed.resource}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'ApplyError';
  }
}

/**
 * Applies the changes of a plan in order, stopping at the first failure with an {@link ApplyError}
 * that says what had already been done (every step is safe to run again, so fixing the cause and
 * re-running provisioning completes the rest).
 */
export async function applyPlan(
  actions: PlannedAction[],
  onApplied: (applied: AppliedAction) => void = () => {},
): Promise<AppliedAction[]> {
  const done: AppliedAction[] = [];
  for (const action of actions) {
    if (action.action === 'unchanged' || !action.apply) continue;
    let result: string | undefined;
    try {
      result = await action.apply();
    } catch (error) {
      throw new ApplyError(done, action, error);
    }
    const applied = { action, result: result ?? action.detail };
    done.push(applied);
    onApplied(applied);
  }
  return done;
}

/** The changes in a list of actions (what `--dry-run` would skip and confirmation asks about). */
export function changesOf(actions: PlannedAction[]): PlannedAction[] {
  return actions.filter((action) => action.action !== 'unchanged');
}
