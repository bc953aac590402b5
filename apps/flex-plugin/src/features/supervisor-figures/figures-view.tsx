import type { SupervisorFigures } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Card } from '@twilio-paste/core/card';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { Spinner } from '@twilio-paste/core/spinner';
import { Text } from '@twilio-paste/core/text';
import { useUID } from '@twilio-paste/core/uid-library';
import { type ReactNode, useState } from 'react';
import type { AgentContext, DeskContext } from '../../agent/agent-context.ts';
import { useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { formatDateTime, useCaseStrings } from '../../shared/case/case-format.ts';
import { FigureBars } from './figure-bars.tsx';
import { formatDuration, formatShare, overCount } from './figures-format.ts';
import { useFigures } from './use-figures.ts';

const WINDOWS = [7, 30, 90] as const;

/** A supervisor's view of the team: open cases, response and resolution, satisfaction, the virtual agent. */
export function FiguresView({ desk }: { desk: DeskContext }) {
  const [days, setDays] = useState<number>(30);
  const [refresh, setRefresh] = useState(0);
  const agent: AgentContext = {
    task: { sid: 'figures', attributes: {} },
    token: desk.token,
    apiBaseUrl: desk.apiBaseUrl,
    insertText: () => undefined,
    openCase: () => undefined,
  };
  const load = useFigures(useFlexcordApi(agent), days, refresh);
  const windowId = useUID();

  return (
    <Box padding="space60" width="100%" overflowY="auto" data-testid="flexcord-figures">
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-end"
        columnGap="space50"
        rowGap="space30"
        marginBottom="space50"
      >
        <Heading as="h1" variant="heading20" marginBottom="space0">
          Team figures
        </Heading>
        <Box minWidth="size20">
          <Label htmlFor={windowId}>Period</Label>
          <Select
            id={windowId}
            value={String(days)}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {WINDOWS.map((window) => (
              <Option key={window} value={String(window)}>
                Last {window} days
              </Option>
            ))}
          </Select>
        </Box>
        <Button variant="secondary" size="small" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </Button>
        {load.kind === 'ready' && (
          <Text as="span" color="colorTextWeak" fontSize="fontSize20">
            Updated {formatDateTime(load.figures.generatedAt)}
          </Text>
        )}
      </Box>
      {load.kind === 'loading' && <Spinner decorative={false} title="Loading the figures" />}
      {load.kind === 'failed' && (
        <Alert variant="error">
          <Text as="span">{load.error.message}</Text>
        </Alert>
      )}
      {load.kind === 'ready' && <Figures figures={load.figures} />}
    </Box>
  );
}

function Figures({ figures }: { figures: SupervisorFigures }) {
  const open = figures.openCases.reduce((sum, row) => sum + row.count, 0);
  const { labels } = useCaseStrings();
  const { satisfaction, deflection } = figures;
  return (
    <Box
      display="grid"
      gridTemplateColumns="repeat(auto-fill, minmax(260px, 1fr))"
      columnGap="space50"
      rowGap="space50"
    >
      <Tile title="Open cases" value={String(open)} testId="figure-open-cases">
        <FigureBars
          caption="By type and status"
          testId="chart-open-cases"
          bars={figures.openCases.map((row) => ({
            label: `${labels.type[row.type]} · ${labels.status[row.status]}`,
            value: row.count,
          }))}
        />
      </Tile>
      <Tile
        title="First response (median)"
        value={formatDuration(figures.firstResponse.medianSeconds)}
        note={overCount(figures.firstResponse.samples, 'case', 'cases')}
        testId="figure-first-response"
      />
      <Tile
        title="Time to resolution (median)"
        value={formatDuration(figures.resolution.medianSeconds)}
        note={overCount(figures.resolution.samples, 'resolved case', 'resolved cases')}
        testId="figure-resolution"
      />
      <Tile
        title="Satisfaction"
        value={satisfaction.average === null ? '—' : `${satisfaction.average.toFixed(1)} / 5`}
        note={overCount(satisfaction.responses, 'answer', 'answers')}
        testId="figure-satisfaction"
      >
        <FigureBars
          caption="Answers by score"
          testId="chart-satisfaction"
          bars={satisfaction.byScore
            .map((count, index) => ({ label: `${index + 1} ★`, value: count }))
            .reverse()}
        />
      </Tile>
      <Tile
        title="Solved by the virtual agent"
        value={formatShare(deflection.share)}
        note={`${deflection.withoutAgent} of ${deflection.chats} chats with a question needed no agent`}
        testId="figure-deflection"
      />
      <Tile
        title="Questions without an answer"
        value={String(figures.kbGaps.unanswered)}
        note="Asked most, not answered or answered and still sent to an agent:"
        testId="figure-kb-gaps"
      >
        <Box as="ol" margin="space0" paddingLeft="space60">
          {figures.kbGaps.top.map((gap) => (
            <Box as="li" key={gap.question} marginBottom="space20">
              <Text as="span">
                “{gap.question}”{' '}
                <Text as="span" color="colorTextWeak">
                  ×{gap.count}
                </Text>
              </Text>
            </Box>
          ))}
        </Box>
      </Tile>
    </Box>
  );
}

function Tile({
  title,
  value,
  note,
  testId,
  children,
}: {
  title: string;
  value: string;
  note?: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <Card padding="space50">
      <Box data-testid={testId}>
        <Text
          as="h2"
          fontSize="fontSize30"
          color="colorTextWeak"
          fontWeight="fontWeightMedium"
          marginBottom="space20"
        >
          {title}
        </Text>
        <Text
          as="p"
          fontSize="fontSize60"
          fontWeight="fontWeightBold"
          lineHeight="lineHeight60"
          data-testid={`${testId}-value`}
        >
          {value}
        </Text>
        {note && (
          <Text as="p" color="colorTextWeak" fontSize="fontSize20" marginBottom="space30">
            {note}
          </Text>
        )}
        {children}
      </Box>
    </Card>
  );
}
