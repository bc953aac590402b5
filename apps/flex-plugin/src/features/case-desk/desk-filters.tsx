import {
  type CasePriority,
  CasePrioritySchema,
  type CaseSort,
  type CaseStatus,
  CaseStatusSchema,
  type CaseType,
  CaseTypeSchema,
} from '@flexcord/contracts';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { useUID } from '@twilio-paste/core/uid-library';
import { type ReactNode, useState } from 'react';
import { useStrings } from '../../agent/strings.ts';
import { useCaseStrings } from '../../shared/case/case-format.ts';
import { DESK_STRINGS, type DeskStringKey } from './desk-strings.ts';
import type { DeskFilters } from './use-case-desk.ts';

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

/** What the desk's bar holds: the words, each filter's choice and the sort, and the member filter. */
export function useDeskFilters() {
  const [words, setWords] = useState('');
  const [type, setType] = useState<CaseType | 'any'>('any');
  const [status, setStatus] = useState<CaseStatus | 'active' | 'any'>('active');
  const [priority, setPriority] = useState<CasePriority | 'any'>('any');
  const [assignee, setAssignee] = useState<Assignee>('any');
  const [age, setAge] = useState<Age>('any');
  const [sort, setSort] = useState<CaseSort>('updated');
  const [member, setMember] = useState<{ id: string; name: string } | null>(null);
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
  /** How many of the folded filters differ from their default (shown on the "Filters" button). */
  const changed = [
    type !== 'any',
    status !== 'active',
    priority !== 'any',
    assignee !== 'any',
    age !== 'any',
    sort !== 'updated',
  ].filter(Boolean).length;
  return {
    filters,
    changed,
    member,
    setMember,
    bar: { words, setWords, type, setType, status, setStatus, priority, setPriority },
    more: { assignee, setAssignee, age, setAge, sort, setSort },
  };
}

type DeskFilterState = ReturnType<typeof useDeskFilters>;

/**
 * The desk's bar: the search and, when the column is wide enough or the agent unfolds them, the
 * filters (type, status, priority, assignee, age) and the sort.
 */
export function DeskFilterBar({ state, narrow }: { state: DeskFilterState; narrow: boolean }) {
  const t = useStrings(DESK_STRINGS);
  const [open, setOpen] = useState(false);
  const { words, setWords } = state.bar;
  const searchId = useUID();
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      columnGap="space40"
      rowGap="space30"
      marginBottom="space40"
      alignItems="flex-end"
    >
      <Field id={searchId} label={t('FlexcordDeskSearch')} grow>
        <Input
          id={searchId}
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
          aria-expanded={open}
          onClick={() => setOpen((was) => !was)}
          data-testid="flexcord-desk-filters-toggle"
        >
          {open
            ? t('FlexcordDeskHideFilters')
            : state.changed
              ? t('FlexcordDeskFiltersCount', { count: state.changed })
              : t('FlexcordDeskFilters')}
        </Button>
      )}
      {(!narrow || open) && <DeskFilterFields state={state} />}
    </Box>
  );
}

function DeskFilterFields({ state }: { state: DeskFilterState }) {
  const t = useStrings(DESK_STRINGS);
  const { labels } = useCaseStrings();
  const { type, setType, status, setStatus, priority, setPriority } = state.bar;
  const { assignee, setAssignee, age, setAge, sort, setSort } = state.more;
  const ids = {
    type: useUID(),
    status: useUID(),
    priority: useUID(),
    assignee: useUID(),
    age: useUID(),
    sort: useUID(),
  };
  return (
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
          onChange={(e) => setSort(pick(e.target.value, Object.keys(SORT_LABELS) as CaseSort[], 'updated'))}
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
