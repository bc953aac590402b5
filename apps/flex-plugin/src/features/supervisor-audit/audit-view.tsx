import type { AuditEntry, AuditSource } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Spinner } from '@twilio-paste/core/spinner';
import { Table, TBody, Td, THead, Th, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';
import { useEffect, useState } from 'react';
import type { AgentContext, DeskContext } from '../../agent/agent-context.ts';
import { useStrings } from '../../agent/strings.ts';
import { asError, useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { formatDateTime } from '../../shared/case/case-format.ts';
import { PeriodToolbar } from '../../shared/period-toolbar.tsx';
import { saveCsv } from '../../shared/save-file.ts';
import { AUDIT_STRINGS, type AuditStringKey } from './audit-strings.ts';

const SOURCE_KEYS: Record<AuditSource, AuditStringKey> = {
  'plugin-api': 'FlexcordAuditSourcePluginApi',
  flex: 'FlexcordAuditSourceFlex',
  discord: 'FlexcordAuditSourceDiscord',
  bridge: 'FlexcordAuditSourceBridge',
};

type AuditLoad =
  | { kind: 'loading' }
  | { kind: 'failed'; error: Error }
  | { kind: 'ready'; entries: AuditEntry[] };

/**
 * What changed, as a person reads it: `from → to`, else the fields that say something (Twilio SIDs
 * and flags are for the CSV, not for reading).
 */
export function changesText(changes: Record<string, unknown>): string {
  const plain = (value: unknown) => (value === null || value === undefined ? '—' : String(value));
  if ('to' in changes) return `${plain(changes.from)} → ${plain(changes.to)}`;
  return Object.entries(changes)
    .filter(
      ([key, value]) =>
        !/Sid$/.test(key) && typeof value !== 'boolean' && value !== null && value !== undefined,
    )
    .map(([key, value]) => `${key}: ${plain(value)}`)
    .join(', ');
}

/** A supervisor's view of the audit log: who changed which case, how, when and from where; as CSV too. */
export function AuditView({ desk }: { desk: DeskContext }) {
  const [days, setDays] = useState<number>(30);
  const [refresh, setRefresh] = useState(0);
  const [load, setLoad] = useState<AuditLoad>({ kind: 'loading' });
  const agent: AgentContext = {
    task: { sid: 'audit', attributes: {} },
    token: desk.token,
    apiBaseUrl: desk.apiBaseUrl,
    insertText: () => undefined,
    openCase: () => undefined,
  };
  const api = useFlexcordApi(agent);
  const t = useStrings(AUDIT_STRINGS);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` reloads.
  useEffect(() => {
    const controller = new AbortController();
    setLoad((previous) => (previous.kind === 'ready' ? previous : { kind: 'loading' }));
    api
      .getAudit(days, { signal: controller.signal })
      .then(({ entries }) => setLoad({ kind: 'ready', entries }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoad({ kind: 'failed', error: asError(error) });
      });
    return () => controller.abort();
  }, [api, days, refresh]);

  const download = async () => {
    try {
      saveCsv(await api.getAuditCsv(days), `case-audit-${days}-days.csv`);
    } catch (error) {
      setLoad({ kind: 'failed', error: asError(error) });
    }
  };

  return (
    <Box padding="space60" width="100%" overflowY="auto" data-testid="flexcord-audit">
      <PeriodToolbar
        title={t('FlexcordAuditTitle')}
        periodLabel={t('FlexcordAuditPeriod')}
        lastDays={(window) => t('FlexcordAuditLastDays', { days: window })}
        refreshLabel={t('FlexcordAuditRefresh')}
        days={days}
        onDays={setDays}
        onRefresh={() => setRefresh((n) => n + 1)}
      >
        <Button variant="secondary" size="small" onClick={() => void download()}>
          {t('FlexcordAuditDownload')}
        </Button>
      </PeriodToolbar>
      {load.kind === 'loading' && <Spinner decorative={false} title={t('FlexcordAuditLoading')} />}
      {load.kind === 'failed' && (
        <Alert variant="error">
          <Text as="span">{load.error.message}</Text>
        </Alert>
      )}
      {load.kind === 'ready' && load.entries.length === 0 && <Text as="p">{t('FlexcordAuditEmpty')}</Text>}
      {load.kind === 'ready' && load.entries.length > 0 && (
        <Table scrollHorizontally striped>
          <THead>
            <Tr>
              <Th>{t('FlexcordAuditWhen')}</Th>
              <Th>{t('FlexcordAuditCase')}</Th>
              <Th>{t('FlexcordAuditAction')}</Th>
              <Th>{t('FlexcordAuditWho')}</Th>
              <Th>{t('FlexcordAuditFrom')}</Th>
              <Th>{t('FlexcordAuditChanges')}</Th>
            </Tr>
          </THead>
          <TBody>
            {load.entries.map((entry) => (
              <Tr key={entry.id} data-testid="audit-entry">
                <Td>
                  <Text as="span" whiteSpace="nowrap">
                    {formatDateTime(entry.at)}
                  </Text>
                </Td>
                <Td>#{entry.caseNumber}</Td>
                <Td>{entry.action.replace(/_/g, ' ')}</Td>
                <Td>{entry.actor.name}</Td>
                <Td>{t(SOURCE_KEYS[entry.source])}</Td>
                <Td>{changesText(entry.changes)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Box>
  );
}
