import type { AppliedAction, PlannedAction } from './apply-plan.ts';

const ACTION_LABEL: Record<PlannedAction['action'], string> = {
  create: 'create',
  update: 'update',
  unchanged: 'leave alone',
};

/** A plain-text table: one row per action (side, resource, action, detail). */
export function planTable(actions: PlannedAction[]): string {
  return table(
    ['Side', 'Resource', 'Action', 'Detail'],
    actions.map((action) => [action.side, action.resource, ACTION_LABEL[action.action], action.detail]),
  );
}

/** What was applied, as a table (side, resource, result). */
export function appliedTable(applied: AppliedAction[]): string {
  return table(
    ['Side', 'Resource', 'Done'],
    applied.map(({ action, result }) => [action.side, action.resource, result]),
  );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  // The last column is not padded, so long details don't leave trailing spaces.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
