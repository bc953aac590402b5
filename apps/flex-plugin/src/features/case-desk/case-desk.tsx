import {
  type CasePriority,
  CasePrioritySchema,
  type CaseSort,
  type CaseStatus,
  CaseStatusSchema,
  type CaseType,
  CaseTypeSchema,
} from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { Spinner } from '@twilio-paste/core/spinner';
import { Text } from '@twilio-paste/core/text';
import { useUID } from '@twilio-paste/core/uid-library';
import { type ReactNode, type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AgentContext, DeskContext } from '../../agent/agent-context.ts';
import { type Translate, useStrings } from '../../agent/strings.ts';
import { useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { contentLanguage, helpTopicName } from '../../shared/case/case-details-fields.tsx';
import {
  agentName,
  casePriorityBadges,
  caseStatusBadges,
  caseTypeBadges,
  formatDateTime,
  useCaseStrings,
} from '../../shared/case/case-format.ts';
import { CasePanel } from '../../shared/case/case-panel.tsx';
import { onCaseRequested, takeRequestedCase } from './case-desk-selection.ts';
import { DESK_STRINGS, type DeskStringKey } from './desk-strings.ts';
import { type DeskFilters, useCaseDesk } from './use-case-desk.ts';

const SORT_LABELS: Record<CaseSort, DeskStringKey> = {
  updated: 'FlexcordDeskSortUpdated',
  newest: 'FlexcordDeskSortNewest',
  oldest: 'FlexcordDeskSortOldest',
  priority: 'FlexcordDeskSortPriority',
  votes: 'FlexcordDeskSortVotes',
};

/** Age presets: opened within / before N days. */
const AGES = {
  any: { label: 'FlexcordDeskAgeAny' as DeskStringKey, query: {} },
  day: { label: 'FlexcordDeskAgeDay' as DeskStringKey, query: { newerThanDays: 1 } },
  week: { label: 'FlexcordDeskAgeWeek' as DeskStringKey, query: { newerThanDays: 7 } },
  stale: { label: 'FlexcordDeskAgeStale' as DeskStringKey, query: { olderThanDays: 7 } },
  old: { label: 'FlexcordDeskAgeOld' as DeskStringKey, query: { olderThanDays: 30 } },
} as const;
type Age = keyof typeof AGES;

type Assignee = 'any' | 'me' | 'none';

/**
 * The case desk: every case, filtered (type, status, priority, assignee, member, age), searched by
 * the words of its subject, report and notes, sorted and paged; the chosen case opens in the same
 * case panel as a task's.
 */
export function CaseDesk({ desk }: { desk: DeskContext }) {
  const [words, setWords] = useState('');
  const t = useStrings(DESK_STRINGS);
  const { labels, t: caseT } = useCaseStrings();
  const [type, setType] = useState<CaseType | 'any'>('any');
  const [status, setStatus] = useState<CaseStatus | 'active' | 'any'>('active');
  const [priority, setPriority] = useState<CasePriority | 'any'>('any');
  const [assignee, setAssignee] = useState<Assignee>('any');
  const [age, setAge] = useState<Age>('any');
  const [sort, setSort] = useState<CaseSort>('updated');
  const [member, setMember] = useState<{ id: string; name: string } | null>(null);
  const [selected, setSelected] = useState<number | null>(() => takeRequestedCase());
  const [refresh, setRefresh] = useState(0);

  useEffect(() => onCaseRequested(setSelected), []);
  const column = useRef<HTMLDivElement>(null);
  const narrow = useNarrowerThan(column, COMPACT_FILTERS_BELOW_PX);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const changedFilters = [
    type !== 'any',
    status !== 'active',
    priority !== 'any',
    assignee !== 'any',
    age !== 'any',
    sort !== 'updated',
  ].filter(Boolean).length;
  const showFilters = !narrow || filtersOpen;

  const agent: AgentContext = {
    task: { sid: `case-desk:${selected ?? 0}`, attributes: selected ? { caseNumber: selected } : {} },
    token: desk.token,
    apiBaseUrl: desk.apiBaseUrl,
    insertText: () => {
      throw new Error(t('FlexcordDeskNoMemberWrite'));
    },
    openCase: setSelected,
  };
  const api = useFlexcordApi(agent);
  const filters: DeskFilters = {
    ...(words.trim() ? { q: words.trim() } : {}),
    ...(type !== 'any' ? { type: [type] } : {}),
    ...(status === 'active' ? { status: ['open', 'pending'] } : status !== 'any' ? { status: [status] } : {}),
    ...(priority !== 'any' ? { priority: [priority] } : {}),
    ...(assignee !== 'any' ? { assignee } : {}),
    ...(member ? { memberId: member.id } : {}),
    ...AGES[age].query,
    sort,
  };
  const desktop = useCaseDesk(api, filters, refresh);
  const ids = {
    q: useUID(),
    type: useUID(),
    status: useUID(),
    priority: useUID(),
    assignee: useUID(),
    age: useUID(),
    sort: useUID(),
  };

  return (
    <Box display="flex" width="100%" height="100%" minHeight="0" data-testid="flexcord-case-desk">
      <Box
        ref={column}
        flexGrow={3}
        flexBasis="0"
        minWidth="0"
        display="flex"
        flexDirection="column"
        padding="space50"
        overflow="hidden"
      >
        <Box display="flex" alignItems="center" justifyContent="space-between" marginBottom="space40">
          <Heading as="h1" variant="heading20" marginBottom="space0">
            {t('FlexcordDeskTitle')}
          </Heading>
          <Text as="span" color="colorTextWeak" data-testid="flexcord-desk-count">
            {countText(t, desktop.total, desktop.load.kind === 'ready' ? desktop.load.page.cases.length : 0)}
          </Text>
        </Box>
        <Box
          display="flex"
          flexWrap="wrap"
          columnGap="space40"
          rowGap="space30"
          marginBottom="space40"
          alignItems="flex-end"
        >
          <Field id={ids.q} label={t('FlexcordDeskSearch')} grow>
            <Input
              id={ids.q}
              type="search"
              placeholder={t('FlexcordDeskSearchPlaceholder')}
              value={words}
              onChange={(event) => setWords(event.target.value)}
              data-testid="flexcord-desk-search"
            />
          </Field>
          {narrow && (
            <Button
              variant="secondary"
              size="small"
              aria-expanded={filtersOpen}
              onClick={() => setFiltersOpen((open) => !open)}
              data-testid="flexcord-desk-filters-toggle"
            >
              {filtersOpen
                ? t('FlexcordDeskHideFilters')
                : changedFilters
                  ? t('FlexcordDeskFiltersCount', { count: changedFilters })
                  : t('FlexcordDeskFilters')}
            </Button>
          )}
          {showFilters && (
            <>
              <Field id={ids.type} label={t('FlexcordDeskType')}>
                <Select
                  id={ids.type}
                  value={type}
                  onChange={(e) => setType(pick(e.target.value, CaseTypeSchema.options, 'any'))}
                >
                  <Option value="any">{t('FlexcordDeskAllTypes')}</Option>
                  {CaseTypeSchema.options.map((value) => (
                    <Option key={value} value={value}>
                      {labels.type[value]}
                    </Option>
                  ))}
                </Select>
              </Field>
              <Field id={ids.status} label={t('FlexcordDeskStatus')}>
                <Select
                  id={ids.status}
                  value={status}
                  onChange={(e) =>
                    setStatus(pick(e.target.value, [...CaseStatusSchema.options, 'active'] as const, 'any'))
                  }
                  data-testid="flexcord-desk-status"
                >
                  <Option value="active">{t('FlexcordDeskActive')}</Option>
                  <Option value="any">{t('FlexcordDeskAnyStatus')}</Option>
                  {CaseStatusSchema.options.map((value) => (
                    <Option key={value} value={value}>
                      {labels.status[value]}
                    </Option>
                  ))}
                </Select>
              </Field>
              <Field id={ids.priority} label={t('FlexcordDeskPriority')}>
                <Select
                  id={ids.priority}
                  value={priority}
                  onChange={(e) => setPriority(pick(e.target.value, CasePrioritySchema.options, 'any'))}
                >
                  <Option value="any">{t('FlexcordDeskAnyPriority')}</Option>
                  {CasePrioritySchema.options.map((value) => (
                    <Option key={value} value={value}>
                      {labels.priority[value]}
                    </Option>
                  ))}
                </Select>
              </Field>
              <Field id={ids.assignee} label={t('FlexcordDeskAssignee')}>
                <Select
                  id={ids.assignee}
                  value={assignee}
                  onChange={(e) => setAssignee(pick(e.target.value, ['me', 'none'] as const, 'any'))}
                >
                  <Option value="any">{t('FlexcordDeskAnyone')}</Option>
                  <Option value="me">{t('FlexcordDeskMe')}</Option>
                  <Option value="none">{t('FlexcordDeskUnassigned')}</Option>
                </Select>
              </Field>
              <Field id={ids.age} label={t('FlexcordDeskAge')}>
                <Select
                  id={ids.age}
                  value={age}
                  onChange={(e) => setAge(pick(e.target.value, Object.keys(AGES) as Age[], 'any'))}
                >
                  {(Object.keys(AGES) as Age[]).map((value) => (
                    <Option key={value} value={value}>
                      {t(AGES[value].label)}
                    </Option>
                  ))}
                </Select>
              </Field>
              <Field id={ids.sort} label={t('FlexcordDeskSortBy')}>
                <Select
                  id={ids.sort}
                  value={sort}
                  onChange={(e) =>
                    setSort(pick(e.target.value, Object.keys(SORT_LABELS) as CaseSort[], 'updated'))
                  }
                  data-testid="flexcord-desk-sort"
                >
                  {(Object.keys(SORT_LABELS) as CaseSort[]).map((value) => (
                    <Option key={value} value={value}>
                      {t(SORT_LABELS[value])}
                    </Option>
                  ))}
                </Select>
              </Field>
            </>
          )}
        </Box>
        {member && (
          <Box
            marginBottom="space30"
            display="flex"
            alignItems="center"
            columnGap="space30"
            data-testid="flexcord-desk-member"
          >
            <Text as="span">{t('FlexcordDeskCasesOf', { name: member.name })}</Text>
            <Button variant="link" size="small" onClick={() => setMember(null)}>
              {t('FlexcordDeskShowEveryone')}
            </Button>
          </Box>
        )}
        <Box
          flexGrow={1}
          minHeight="0"
          overflowY="auto"
          borderStyle="solid"
          borderWidth="borderWidth10"
          borderColor="colorBorderWeaker"
          borderRadius="borderRadius20"
        >
          {desktop.load.kind === 'loading' && (
            <Box padding="space50" display="flex" columnGap="space30">
              <Spinner decorative={false} title={t('FlexcordDeskLoading')} />
              <Text as="span">{t('FlexcordDeskLoadingLong')}</Text>
            </Box>
          )}
          {desktop.load.kind === 'failed' && (
            <Box padding="space40">
              <Alert variant="error">
                <Text as="p">Could not load the cases: {desktop.load.error.message}</Text>
                <Button variant="link" onClick={() => setRefresh((n) => n + 1)}>
                  {t('FlexcordDeskTryAgain')}
                </Button>
              </Alert>
            </Box>
          )}
          {desktop.load.kind === 'ready' && desktop.load.page.cases.length === 0 && (
            <Box padding="space50">
              <Text as="p" color="colorTextWeak">
                {t('FlexcordDeskNoMatch')}
              </Text>
            </Box>
          )}
          {desktop.load.kind === 'ready' && desktop.load.page.cases.length > 0 && (
            <Box
              as="ul"
              margin="space0"
              padding="space0"
              listStyleType="none"
              data-testid="flexcord-desk-list"
            >
              {desktop.load.page.cases.map((item) => (
                <Box
                  as="li"
                  key={item.number}
                  borderBottomStyle="solid"
                  borderBottomWidth="borderWidth10"
                  borderBottomColor="colorBorderWeaker"
                >
                  <Box
                    as="button"
                    type="button"
                    width="100%"
                    textAlign="left"
                    padding="space40"
                    borderStyle="none"
                    cursor="pointer"
                    backgroundColor={
                      item.number === selected ? 'colorBackgroundPrimaryWeakest' : 'colorBackgroundBody'
                    }
                    onClick={() => setSelected(item.number)}
                    aria-current={item.number === selected}
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
                          {item.reports} reports
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
                </Box>
              ))}
            </Box>
          )}
        </Box>
        <Box display="flex" justifyContent="space-between" alignItems="center" marginTop="space40">
          <Button variant="secondary" size="small" disabled={!desktop.hasPrevious} onClick={desktop.previous}>
            {t('FlexcordDeskPrevious')}
          </Button>
          <Text as="span" color="colorTextWeak">
            Page {desktop.pageNumber}
          </Text>
          <Button
            variant="secondary"
            size="small"
            disabled={!desktop.hasNext}
            onClick={desktop.next}
            data-testid="flexcord-desk-next"
          >
            {t('FlexcordDeskNext')}
          </Button>
        </Box>
      </Box>
      <Box
        flexGrow={2}
        flexBasis="0"
        minWidth="size40"
        borderLeftStyle="solid"
        borderLeftWidth="borderWidth10"
        borderLeftColor="colorBorderWeaker"
        overflow="hidden"
        data-testid="flexcord-desk-panel"
      >
        {selected === null ? (
          <Box padding="space50">
            <Text as="p" color="colorTextWeak">
              {t('FlexcordDeskChoose')}
            </Text>
          </Box>
        ) : (
          <CasePanel
            key={selected}
            agent={agent}
            onChanged={() => setRefresh((n) => n + 1)}
            onShowMemberCases={(id, name) => setMember({ id, name })}
          />
        )}
      </Box>
    </Box>
  );
}

function Field({
  id,
  label,
  grow,
  children,
}: {
  id: string;
  label: string;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    // The search grows to the row's width but never past the column (a narrow desk beside a chat).
    <Box
      flexGrow={grow ? 1 : 0}
      flexBasis={grow ? 'size30' : 'auto'}
      minWidth={grow ? '0' : 'size20'}
      maxWidth="100%"
    >
      <Label htmlFor={id}>{label}</Label>
      {children}
    </Box>
  );
}

function pick<T extends string, F extends string>(value: string, allowed: readonly T[], fallback: F): T | F {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function countText(
  t: Translate<DeskStringKey>,
  total: { total: number | null; capped: boolean } | null,
  shown: number,
): string {
  if (!total) return '';
  if (total.total === null) return t('FlexcordDeskCountMore', { count: shown });
  if (total.capped) return t('FlexcordDeskCountCapped', { count: total.total.toLocaleString() });
  if (total.total === 1) return t('FlexcordDeskCountOne');
  return t('FlexcordDeskCount', { count: total.total.toLocaleString() });
}

/** Below this width of the list's column the filters fold behind a "Filters" button, so the list keeps its room. */
const COMPACT_FILTERS_BELOW_PX = 560;

/** Whether the element is narrower than `px` now (follows its size). */
function useNarrowerThan(ref: RefObject<HTMLElement>, px: number): boolean {
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setNarrow(element.getBoundingClientRect().width < px);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, px]);
  return narrow;
}
