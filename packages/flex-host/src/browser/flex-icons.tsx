import type { ReactElement } from 'react';

/**
 * Flex names its icons (`<SideLink icon="Agent">`); the host draws the ones plugins here use, as
 * simple outlines, and a name it does not know as its initial. A `…Bold` name is the same icon drawn
 * heavier, as Flex's active variants are.
 */
const PATHS: Record<string, string> = {
  // A person: head and shoulders.
  Agent: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8c0-3.3 3.1-6 7-6s7 2.7 7 6',
  // A folder.
  Directory:
    'M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2h8.5A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
  // Bars of a chart.
  Insights: 'M5 20V11m5 9V5m5 15v-7m5 7V8M3 20h18',
  // A light bulb.
  Bulb: 'M9 18h6m-5 3h4M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z',
  // A sheet with lines (a record kept).
  Supervisor: 'M7 3h10a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zm2 5h6m-6 4h6m-6 4h4',
};

export function flexIcon(name: string): ReactElement {
  const bold = name.endsWith('Bold');
  const path = PATHS[bold ? name.slice(0, -'Bold'.length) : name];
  if (!path) return <span data-host-icon={name}>{name.charAt(0)}</span>;
  return (
    <svg
      data-host-icon={name}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={bold ? 2.4 : 1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={path} />
    </svg>
  );
}
