import type { SupervisorFigures } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Card } from '@twilio-paste/core/card';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { Spinner } from '@twilio-paste/core/spinner';
import { Table, TBody, Td, THead, Th, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';
import { Tooltip } from '@twilio-paste/core/tooltip';
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
      {load.kind === 'ready' && <AgentTable figures={load.figures} />}
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
        definition={DEFINITIONS.firstResponse}
        value={formatDuration(figures.firstResponse.medianSeconds)}
        note={overCount(figures.firstResponse.samples, 'chat', 'chats')}
        testId="figure-first-response"
      />
      <Tile
        title="Time to resolution (median)"
        definition={DEFINITIONS.resolution}
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
        title="Questions without a good answer"
        definition={DEFINITIONS.kbGaps}
        value={String(figures.kbGaps.unanswered)}
        note={
          figures.kbGaps.unanswered > figures.kbGaps.top.length
            ? `The ${figures.kbGaps.top.length} asked most:`
            : undefined
        }
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

/** What each figure counts, as docs/case-desk.md "Supervisor figures" defines it. */
const DEFINITIONS = {
  firstResponse:
    'From a chat’s handover (the member asked for an agent) to the first message an agent wrote in it. One sample per chat an agent answered; the virtual agent and notices do not count.',
  resolution:
    'From a case’s opening to being set to resolved, for cases resolved in the period. A case closed as a duplicate or as spam is not resolved.',
  kbGaps:
    'Groups of alike questions the virtual agent could not answer, or whose answer the member turned down by asking for an agent.',
} as const;

/** Each agent's figures over the period, by name. */
function AgentTable({ figures }: { figures: SupervisorFigures }) {
  if (!figures.agents.length) return null;
  return (
    <Box marginTop="space60" data-testid="figures-agents">
      <Heading as="h2" variant="heading30">
        By agent
      </Heading>
      <Table>
        <THead>
          <Tr>
            <Th>Agent</Th>
            <Th>Chats</Th>
            <Th>First response</Th>
            <Th>Resolution</Th>
            <Th>Rating</Th>
          </Tr>
        </THead>
        <TBody>
          {figures.agents.map((row) => (
            <Tr key={row.agent}>
              <Td>{row.agent}</Td>
              <Td>{row.chats}</Td>
              <Td>
                {formatDuration(row.firstResponse.medianSeconds)} (
                {overCount(row.firstResponse.samples, 'chat', 'chats')})
              </Td>
              <Td>
                {formatDuration(row.resolution.medianSeconds)} (
                {overCount(row.resolution.samples, 'case', 'cases')})
              </Td>
              <Td>
                {row.rating.average === null ? '—' : `${row.rating.average.toFixed(1)} / 5`} (
                {overCount(row.rating.responses, 'answer', 'answers')})
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Box>
  );
}

function Tile({
  title,
  definition,
  value,
  note,
  testId,
  children,
}: {
  title: string;
  /** What the figure counts, shown on hover and focus of the title. */
  definition?: string;
  value: string;
  note?: string | undefined;
  testId: string;
  children?: ReactNode;
}) {
  const heading = (
    <Text
      as="h2"
      fontSize="fontSize30"
      color="colorTextWeak"
      fontWeight="fontWeightMedium"
      marginBottom="space20"
      tabIndex={definition ? 0 : undefined}
      data-testid={`${testId}-title`}
    >
      {title}
      {definition ? ' ⓘ' : ''}
    </Text>
  );
  return (
    <Card padding="space50">
      <Box data-testid={testId}>
        {definition ? <Tooltip text={definition}>{heading}</Tooltip> : heading}
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
