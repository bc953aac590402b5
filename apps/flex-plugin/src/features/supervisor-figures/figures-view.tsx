import type { AgentFigures, FiguresDay, SupervisorFigures } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Card } from '@twilio-paste/core/card';
import { Heading } from '@twilio-paste/core/heading';
import { Spinner } from '@twilio-paste/core/spinner';
import { Table, TBody, Td, THead, Th, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';
import { Tooltip } from '@twilio-paste/core/tooltip';
import { InformationIcon } from '@twilio-paste/icons/esm/InformationIcon';
import { type ReactNode, useState } from 'react';
import type { AgentContext, DeskContext } from '../../agent/agent-context.ts';
import { useStrings } from '../../agent/strings.ts';
import { asError, useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { formatDateTime, useCaseStrings } from '../../shared/case/case-format.ts';
import { PeriodToolbar } from '../../shared/period-toolbar.tsx';
import { saveCsv } from '../../shared/save-file.ts';
import { FigureBars } from './figure-bars.tsx';
import { formatDay, formatDuration, formatShare, overCount } from './figures-format.ts';
import { FIGURES_STRINGS } from './figures-strings.ts';
import { LearnedPhrasings } from './learned-phrasings.tsx';
import { useFigures } from './use-figures.ts';

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
  const api = useFlexcordApi(agent);
  const load = useFigures(api, days, refresh);
  const t = useStrings(FIGURES_STRINGS);
  const [downloadFailed, setDownloadFailed] = useState<string | null>(null);
  const download = async () => {
    setDownloadFailed(null);
    try {
      saveCsv(await api.getFiguresCsv(days), `figures-${days}-days.csv`);
    } catch (error) {
      setDownloadFailed(asError(error).message);
    }
  };

  return (
    <Box padding="space60" width="100%" overflowY="auto" data-testid="flexcord-figures">
      <PeriodToolbar
        title={t('FlexcordFiguresTitle')}
        periodLabel={t('FlexcordFiguresPeriod')}
        lastDays={(window) => t('FlexcordFiguresLastDays', { days: window })}
        refreshLabel={t('FlexcordFiguresRefresh')}
        days={days}
        onDays={setDays}
        onRefresh={() => setRefresh((n) => n + 1)}
      >
        <Button
          variant="secondary"
          size="small"
          onClick={() => void download()}
          data-testid="figures-download"
        >
          {t('FlexcordFiguresDownload')}
        </Button>
        {load.kind === 'ready' && (
          <Text as="span" color="colorTextWeak" fontSize="fontSize20">
            {t('FlexcordFiguresUpdated', { when: formatDateTime(load.figures.generatedAt) })}
          </Text>
        )}
      </PeriodToolbar>
      {downloadFailed && (
        <Alert variant="error">
          <Text as="span">{t('FlexcordFiguresDownloadFailed', { reason: downloadFailed })}</Text>
        </Alert>
      )}
      {load.kind === 'loading' && <Spinner decorative={false} title={t('FlexcordFiguresLoading')} />}
      {load.kind === 'failed' && (
        <Alert variant="error">
          <Text as="span">{load.error.message}</Text>
        </Alert>
      )}
      {load.kind === 'ready' && <Figures figures={load.figures} />}
      {load.kind === 'ready' && <AgentTable figures={load.figures} />}
      {load.kind === 'ready' && <TrendTable figures={load.figures} />}
      {load.kind !== 'loading' && <LearnedPhrasings api={api} refresh={refresh} />}
    </Box>
  );
}

function Figures({ figures }: { figures: SupervisorFigures }) {
  const open = figures.openCases.reduce((sum, row) => sum + row.count, 0);
  const { labels } = useCaseStrings();
  const t = useStrings(FIGURES_STRINGS);
  const { satisfaction, deflection, virtualAgent, reopened } = figures;
  return (
    <Box
      display="grid"
      gridTemplateColumns="repeat(auto-fill, minmax(260px, 1fr))"
      columnGap="space50"
      rowGap="space50"
    >
      <Tile title={t('FlexcordFiguresOpenCases')} value={String(open)} testId="figure-open-cases">
        <FigureBars
          caption={t('FlexcordFiguresByTypeStatus')}
          testId="chart-open-cases"
          bars={figures.openCases.map((row) => ({
            label: `${labels.type[row.type]} · ${labels.status[row.status]}`,
            value: row.count,
          }))}
        />
      </Tile>
      <Tile
        title={t('FlexcordFiguresFirstResponse')}
        definition={t('FlexcordFiguresDefFirstResponse')}
        value={formatDuration(figures.firstResponse.medianSeconds)}
        note={overCount(
          t,
          figures.firstResponse.samples,
          'FlexcordFiguresOverChat',
          'FlexcordFiguresOverChats',
        )}
        testId="figure-first-response"
      />
      <Tile
        title={t('FlexcordFiguresResolution')}
        definition={t('FlexcordFiguresDefResolution')}
        value={formatDuration(figures.resolution.medianSeconds)}
        note={overCount(
          t,
          figures.resolution.samples,
          'FlexcordFiguresOverResolvedCase',
          'FlexcordFiguresOverResolvedCases',
        )}
        testId="figure-resolution"
      />
      <Tile
        title={t('FlexcordFiguresSatisfaction')}
        value={satisfaction.average === null ? '—' : `${satisfaction.average.toFixed(1)} / 5`}
        note={overCount(t, satisfaction.responses, 'FlexcordFiguresOverAnswer', 'FlexcordFiguresOverAnswers')}
        testId="figure-satisfaction"
      >
        <FigureBars
          caption={t('FlexcordFiguresByScore')}
          testId="chart-satisfaction"
          bars={satisfaction.byScore
            .map((count, index) => ({ label: `${index + 1} ★`, value: count }))
            .reverse()}
        />
      </Tile>
      <Tile
        title={t('FlexcordFiguresBotResolution')}
        definition={t('FlexcordFiguresDefBotResolution')}
        value={formatShare(virtualAgent.resolutionRate)}
        note={t('FlexcordFiguresBotResolutionNote', {
          confirmed: virtualAgent.confirmed,
          assumed: virtualAgent.assumed,
          chats: virtualAgent.chats,
        })}
        testId="figure-bot-resolution"
      >
        <FigureBars
          caption={t('FlexcordFiguresBotOutcomes')}
          testId="chart-bot-outcomes"
          bars={[
            { label: t('FlexcordFiguresConfirmed'), value: virtualAgent.confirmed },
            { label: t('FlexcordFiguresAssumed'), value: virtualAgent.assumed },
            { label: t('FlexcordFiguresAwaiting'), value: virtualAgent.awaiting },
            { label: t('FlexcordFiguresUnresolved'), value: virtualAgent.unresolved },
            { label: t('FlexcordFiguresHandedOver'), value: virtualAgent.handedOver },
          ]}
        />
      </Tile>
      <Tile
        title={t('FlexcordFiguresHandover')}
        definition={t('FlexcordFiguresDefHandover')}
        value={formatShare(virtualAgent.handoverRate)}
        note={t('FlexcordFiguresHandoverNote', {
          handedOver: virtualAgent.handedOver,
          chats: virtualAgent.chats,
        })}
        testId="figure-handover"
      />
      <Tile
        title={t('FlexcordFiguresReopened')}
        definition={t('FlexcordFiguresDefReopened')}
        value={formatShare(reopened.share)}
        note={t('FlexcordFiguresReopenedNote', { reopened: reopened.reopened, resolved: reopened.resolved })}
        testId="figure-reopened"
      />
      <Tile
        title={t('FlexcordFiguresDeflection')}
        definition={t('FlexcordFiguresDefDeflection')}
        value={formatShare(deflection.share)}
        note={t('FlexcordFiguresDeflectionNote', {
          without: deflection.withoutAgent,
          chats: deflection.chats,
        })}
        testId="figure-deflection"
      />
      <Tile
        title={t('FlexcordFiguresGaps')}
        definition={t('FlexcordFiguresDefGaps')}
        value={String(figures.kbGaps.unanswered)}
        note={
          figures.kbGaps.unanswered > figures.kbGaps.top.length
            ? t('FlexcordFiguresGapsTop', { count: figures.kbGaps.top.length })
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

/** Each agent's figures over the period, by name. */
function AgentTable({ figures }: { figures: SupervisorFigures }) {
  const t = useStrings(FIGURES_STRINGS);
  if (!figures.agents.length) return null;
  return (
    <Box marginTop="space60" data-testid="figures-agents">
      <Heading as="h2" variant="heading30">
        {t('FlexcordFiguresByAgent')}
      </Heading>
      <Table>
        <THead>
          <Tr>
            <Th>{t('FlexcordFiguresAgent')}</Th>
            <Th>{t('FlexcordFiguresChats')}</Th>
            <Th>{t('FlexcordFiguresColFirstResponse')}</Th>
            <Th>{t('FlexcordFiguresColResolution')}</Th>
            <Th>{t('FlexcordFiguresColRating')}</Th>
          </Tr>
        </THead>
        <TBody>
          {figures.agents.map((row) => (
            <Tr key={row.agent}>
              <Td>{row.agent}</Td>
              <FigureCells entry={row} />
            </Tr>
          ))}
        </TBody>
      </Table>
    </Box>
  );
}

/** A day's or an agent's chats, first response, resolution and rating, each with what it is taken over. */
function FigureCells({ entry }: { entry: FiguresDay | AgentFigures }) {
  const t = useStrings(FIGURES_STRINGS);
  return (
    <>
      <Td>{entry.chats}</Td>
      <Td>
        {formatDuration(entry.firstResponse.medianSeconds)} (
        {overCount(t, entry.firstResponse.samples, 'FlexcordFiguresOverChat', 'FlexcordFiguresOverChats')})
      </Td>
      <Td>
        {formatDuration(entry.resolution.medianSeconds)} (
        {overCount(t, entry.resolution.samples, 'FlexcordFiguresOverCase', 'FlexcordFiguresOverCases')})
      </Td>
      <Td>
        {entry.rating.average === null ? '—' : `${entry.rating.average.toFixed(1)} / 5`} (
        {overCount(t, entry.rating.responses, 'FlexcordFiguresOverAnswer', 'FlexcordFiguresOverAnswers')})
      </Td>
    </>
  );
}

/** Each day of the period with something in it, newest first: the trend behind the figures. */
function TrendTable({ figures }: { figures: SupervisorFigures }) {
  const t = useStrings(FIGURES_STRINGS);
  const days = figures.trend
    .filter((day) => day.chats || day.firstResponse.samples || day.resolution.samples || day.rating.responses)
    .reverse();
  if (!days.length) return null;
  return (
    <Box marginTop="space60" data-testid="figures-trend">
      <Heading as="h2" variant="heading30">
        {t('FlexcordFiguresByDay')}
      </Heading>
      <Text as="p" color="colorTextWeak" fontSize="fontSize20" marginBottom="space30">
        {t('FlexcordFiguresByDayNote')}
      </Text>
      <Table>
        <THead>
          <Tr>
            <Th>{t('FlexcordFiguresDay')}</Th>
            <Th>{t('FlexcordFiguresChats')}</Th>
            <Th>{t('FlexcordFiguresColFirstResponse')}</Th>
            <Th>{t('FlexcordFiguresColResolution')}</Th>
            <Th>{t('FlexcordFiguresColRating')}</Th>
          </Tr>
        </THead>
        <TBody>
          {days.map((day) => (
            <Tr key={day.day}>
              <Td>{formatDay(day.day)}</Td>
              <FigureCells entry={day} />
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
      {definition ? (
        <Box as="span" display="inline-block" marginLeft="space10" verticalAlign="middle">
          <InformationIcon decorative size="sizeIcon10" />
        </Box>
      ) : null}
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
