import type { Case } from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Spinner } from '@twilio-paste/core/spinner';
import { Text } from '@twilio-paste/core/text';
import { useStrings } from '../../agent/strings.ts';
import { contentLanguage, helpTopicName } from '../../shared/case/case-details-fields.tsx';
import {
  agentName,
  casePriorityBadges,
  caseStatusBadges,
  caseTypeBadges,
  formatDateTime,
  useCaseStrings,
} from '../../shared/case/case-format.ts';
import { DESK_STRINGS } from './desk-strings.ts';
import type { DeskLoad } from './use-case-desk.ts';

/** The desk's list of cases, or what stands in its place: loading, a failure with a retry, no match. */
export function DeskCaseList({
  load,
  selected,
  onSelect,
  onRetry,
}: {
  load: DeskLoad;
  selected: number | null;
  onSelect: (caseNumber: number) => void;
  onRetry: () => void;
}) {
  const t = useStrings(DESK_STRINGS);
  return (
    <Box
      flexGrow={1}
      minHeight="0"
      overflowY="auto"
      borderStyle="solid"
      borderWidth="borderWidth10"
      borderColor="colorBorderWeaker"
      borderRadius="borderRadius20"
    >
      {load.kind === 'loading' && (
        <Box padding="space50" display="flex" columnGap="space30">
          <Spinner decorative={false} title={t('FlexcordDeskLoading')} />
          <Text as="span">{t('FlexcordDeskLoadingLong')}</Text>
        </Box>
      )}
      {load.kind === 'failed' && (
        <Box padding="space40">
          <Alert variant="error">
            <Text as="p" data-testid="flexcord-desk-failed">
              {t('FlexcordDeskLoadFailed', { reason: load.error.message })}
            </Text>
            <Button variant="link" onClick={onRetry}>
              {t('FlexcordDeskTryAgain')}
            </Button>
          </Alert>
        </Box>
      )}
      {load.kind === 'ready' && load.page.cases.length === 0 && (
        <Box padding="space50">
          <Text as="p" color="colorTextWeak">
            {t('FlexcordDeskNoMatch')}
          </Text>
        </Box>
      )}
      {load.kind === 'ready' && load.page.cases.length > 0 && (
        <Box as="ul" margin="space0" padding="space0" listStyleType="none" data-testid="flexcord-desk-list">
          {load.page.cases.map((item) => (
            <Box
              as="li"
              key={item.number}
              borderBottomStyle="solid"
              borderBottomWidth="borderWidth10"
              borderBottomColor="colorBorderWeaker"
            >
              <DeskCaseRow item={item} selected={item.number === selected} onSelect={onSelect} />
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}

/** One case of the list: number and subject, then its badges, member, assignee and last update. */
function DeskCaseRow({
  item,
  selected,
  onSelect,
}: {
  item: Case;
  selected: boolean;
  onSelect: (caseNumber: number) => void;
}) {
  const t = useStrings(DESK_STRINGS);
  const { labels, t: caseT } = useCaseStrings();
  return (
    <Box
      as="button"
      type="button"
      width="100%"
      textAlign="left"
      padding="space40"
      borderStyle="none"
      cursor="pointer"
      backgroundColor={selected ? 'colorBackgroundPrimaryWeakest' : 'colorBackgroundBody'}
      onClick={() => onSelect(item.number)}
      aria-current={selected}
      data-testid="flexcord-desk-row"
      data-case-number={item.number}
    >
      <Box display="flex" alignItems="center" columnGap="space30" minWidth="0">
        <Text as="span" color="colorTextWeak" fontFamily="fontFamilyCode" fontSize="fontSize20">
          #{item.number}
        </Text>
        <Text
          as="span"
          fontWeight="fontWeightSemibold"
          whiteSpace="nowrap"
          overflow="hidden"
          textOverflow="ellipsis"
        >
          {item.subject}
        </Text>
      </Box>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        columnGap="space20"
        rowGap="space20"
        marginTop="space20"
      >
        <Badge as="span" variant={caseTypeBadges[item.type]}>
          {labels.type[item.type]}
        </Badge>
        {item.details.kind === 'support' && item.details.helpTopic && (
          <Badge as="span" variant="decorative30" data-testid="flexcord-desk-topic">
            {helpTopicName(item.details.helpTopic, contentLanguage(caseT))}
          </Badge>
        )}
        <Badge as="span" variant={caseStatusBadges[item.status]}>
          {labels.status[item.status]}
        </Badge>
        {item.type === 'feature' && (
          <Badge as="span" variant="decorative10" data-testid="flexcord-desk-votes">
            +{item.votes ?? 0}
          </Badge>
        )}
        {(item.reports ?? 1) > 1 && (
          <Badge as="span" variant="decorative20" data-testid="flexcord-desk-reports">
            {t('FlexcordDeskReports', { count: item.reports ?? 1 })}
          </Badge>
        )}
        {item.duplicateOf && (
          <Badge as="span" variant="neutral">
            {t('FlexcordDeskDuplicateOf', { number: item.duplicateOf })}
          </Badge>
        )}
        {item.stage && item.stage !== 'open' && (
          <Badge as="span" variant="info">
            {labels.stage[item.stage]}
          </Badge>
        )}
        <Badge as="span" variant={casePriorityBadges[item.priority]}>
          {labels.priority[item.priority]}
        </Badge>
        <Text as="span" color="colorTextWeak" fontSize="fontSize20">
          {item.member.displayName} ·{' '}
          {item.assignee ? agentName(item.assignee) : t('FlexcordDeskUnassignedShort')} ·{' '}
          {t('FlexcordDeskUpdated', { when: formatDateTime(item.updatedAt) })}
        </Text>
      </Box>
    </Box>
  );
}
