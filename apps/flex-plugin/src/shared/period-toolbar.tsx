import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { useUID } from '@twilio-paste/core/uid-library';
import type { ReactNode } from 'react';

/** The periods a supervisor's view looks back over, in days. */
export const PERIOD_WINDOWS = [7, 30, 90] as const;

/**
 * The top of a supervisor's view over a period (the figures, the audit log): its title, the period
 * picker, Refresh, and what the view adds after them (a download, when it was updated). The words
 * come from the view's own strings.
 */
export function PeriodToolbar({
  title,
  periodLabel,
  lastDays,
  refreshLabel,
  days,
  onDays,
  onRefresh,
  children,
}: {
  title: string;
  periodLabel: string;
  lastDays: (days: number) => string;
  refreshLabel: string;
  days: number;
  onDays: (days: number) => void;
  onRefresh: () => void;
  children?: ReactNode;
}) {
  const windowId = useUID();
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      columnGap="space50"
      rowGap="space30"
      marginBottom="space50"
    >
      <Heading as="h1" variant="heading20" marginBottom="space0">
        {title}
      </Heading>
      <Box minWidth="size20">
        <Label htmlFor={windowId}>{periodLabel}</Label>
        <Select id={windowId} value={String(days)} onChange={(event) => onDays(Number(event.target.value))}>
          {PERIOD_WINDOWS.map((window) => (
            <Option key={window} value={String(window)}>
              {lastDays(window)}
            </Option>
          ))}
        </Select>
      </Box>
      <Button variant="secondary" size="small" onClick={onRefresh}>
        {refreshLabel}
      </Button>
      {children}
    </Box>
  );
}
