import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AgentContext, DeskContext } from '../../agent/agent-context.ts';
import { type Translate, useStrings } from '../../agent/strings.ts';
import { useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { CasePanel } from '../../shared/case/case-panel.tsx';
import { onCaseRequested, takeRequestedCase } from './case-desk-selection.ts';
import { DeskCaseList } from './desk-case-list.tsx';
import { DeskFilterBar, useDeskFilters } from './desk-filters.tsx';
import { DESK_STRINGS, type DeskStringKey } from './desk-strings.ts';
import { useCaseDesk } from './use-case-desk.ts';

/**
 * The case desk: every case, filtered (type, status, priority, assignee, member, age), searched by
 * the words of its subject, report and notes, sorted and paged; the chosen case opens in the same
 * case panel as a task's.
 */
export function CaseDesk({ desk }: { desk: DeskContext }) {
  const t = useStrings(DESK_STRINGS);
  const state = useDeskFilters();
  const [selected, setSelected] = useState<number | null>(() => takeRequestedCase());
  const [refresh, setRefresh] = useState(0);
  useEffect(() => onCaseRequested(setSelected), []);
  const column = useRef<HTMLDivElement>(null);
  const narrow = useNarrowerThan(column, COMPACT_FILTERS_BELOW_PX);

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
  const desktop = useCaseDesk(api, state.filters, refresh);
  const reload = () => setRefresh((n) => n + 1);

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
        <DeskFilterBar state={state} narrow={narrow} />
        {state.member && (
          <Box
            marginBottom="space30"
            display="flex"
            alignItems="center"
            columnGap="space30"
            data-testid="flexcord-desk-member"
          >
            <Text as="span">{t('FlexcordDeskCasesOf', { name: state.member.name })}</Text>
            <Button variant="link" size="small" onClick={() => state.setMember(null)}>
              {t('FlexcordDeskShowEveryone')}
            </Button>
          </Box>
        )}
        <DeskCaseList load={desktop.load} selected={selected} onSelect={setSelected} onRetry={reload} />
        <Box display="flex" justifyContent="space-between" alignItems="center" marginTop="space40">
          <Button variant="secondary" size="small" disabled={!desktop.hasPrevious} onClick={desktop.previous}>
            {t('FlexcordDeskPrevious')}
          </Button>
          <Text as="span" color="colorTextWeak">
            {t('FlexcordDeskPage', { number: desktop.pageNumber })}
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
            onChanged={reload}
            onShowMemberCases={(id, name) => state.setMember({ id, name })}
          />
        )}
      </Box>
    </Box>
  );
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
