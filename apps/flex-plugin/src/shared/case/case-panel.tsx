import {
  type Case,
  CasePrioritySchema,
  CaseStatusSchema,
  type ChatSummary,
  type UpdateCaseRequest,
} from '@flexcord/contracts';
import { Alert } from '@twilio-paste/core/alert';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Option, Select } from '@twilio-paste/core/select';
import { Separator } from '@twilio-paste/core/separator';
import { Spinner } from '@twilio-paste/core/spinner';
import { Stack } from '@twilio-paste/core/stack';
import { Text } from '@twilio-paste/core/text';
import { useUID } from '@twilio-paste/core/uid-library';
import type { AgentProps } from '../../agent/agent-context.ts';
import { CaseDetailsFields } from './case-details-fields.tsx';
import {
  agentName,
  casePriorityBadges,
  caseStatusBadges,
  caseTypeBadges,
  useCaseStrings,
} from './case-format.ts';
import type { CaseStringKey } from './case-strings.ts';
import { CaseTimeline } from './case-timeline.tsx';
import { ChatHistory, ratingText } from './chat-history.tsx';
import { DuplicateForm } from './duplicate-form.tsx';
import { MemberCard } from './member-card.tsx';
import { NoteForm } from './note-form.tsx';
import { OfficialReplyForm, ReportStage } from './report-stage.tsx';
import { useCase } from './use-case.ts';
import { WrapUpForm } from './wrap-up-form.tsx';

/**
 * The case behind a task, for the agent: what it is, who the member is, what happened so far, and
 * the controls to move it on (status, priority, assignment, internal notes).
 */
export function CasePanel({
  agent,
  refreshMs,
  onChanged,
  onShowMemberCases,
}: AgentProps & {
  refreshMs?: number;
  /** Called after a change the agent made (the case desk reloads its list). */
  onChanged?: () => void;
  /** Where the member card's "all their cases" leads (the case desk filters on the member). */
  onShowMemberCases?: (memberId: string, name: string) => void;
}) {
  const cased = useCase(agent, refreshMs);
  const { t } = useCaseStrings();
  const { api, load, saving, actionError, dismissActionError, retry, wrapUp } = cased;
  const wrapping = agent.task.status === 'wrapping';
  /** After a change the bridge stored: the desk reloads, and Flex's notification bar says what was saved. */
  const saved = (done: boolean, change: CaseStringKey) => {
    if (!done) return done;
    onChanged?.();
    const number = load.kind === 'ready' ? load.detail.case.number : null;
    if (number !== null) agent.notify?.('caseSaved', { number, change: t(change) });
    return done;
  };
  const update = async (change: UpdateCaseRequest) =>
    saved(
      await cased.update(change),
      change.status
        ? 'FlexcordSavedStatus'
        : change.priority
          ? 'FlexcordSavedPriority'
          : 'FlexcordSavedAssignee',
    );
  const postOfficialReply = async (body: string) =>
    saved(await cased.postOfficialReply(body), 'FlexcordSavedReply');
  const markDuplicate = async (of: number) => saved(await cased.markDuplicate(of), 'FlexcordSavedDuplicate');
  const addNote = async (body: string) => saved(await cased.addNote(body), 'FlexcordSavedNote');

  return (
    <Box
      data-testid="flexcord-case-panel"
      padding="space50"
      overflowY="auto"
      height="100%"
      backgroundColor="colorBackgroundBody"
    >
      {load.kind === 'loading' && (
        <Stack orientation="horizontal" spacing="space30">
          <Spinner decorative={false} title={t('FlexcordCasePanelLoading')} />
          <Text as="span">{t('FlexcordCasePanelLoadingLong')}</Text>
        </Stack>
      )}
      {load.kind === 'no-case' && (
        <Text as="p" color="colorTextWeak">
          {t('FlexcordCasePanelNoCase')}
        </Text>
      )}
      {load.kind === 'failed' && (
        <Alert variant="error">
          <Text as="p" data-testid="flexcord-case-failed">
            {t('FlexcordCasePanelLoadFailed', { reason: load.error.message })}
          </Text>
          <Button variant="link" onClick={retry}>
            {t('FlexcordCasePanelTryAgain')}
          </Button>
        </Alert>
      )}
      {load.kind === 'ready' && (
        <Stack orientation="vertical" spacing="space60">
          <CaseHeader kase={load.detail.case} chats={load.detail.member.chats ?? []} />
          {actionError && (
            <Alert variant="error" onDismiss={dismissActionError}>
              <Text as="span" data-testid="flexcord-case-error">
                {actionError.message}
              </Text>
            </Alert>
          )}
          {wrapping && <WrapUpForm api={api} taskSid={agent.task.sid} saving={saving} onWrapUp={wrapUp} />}
          <CaseControls
            kase={load.detail.case}
            assigneeName={load.detail.assigneeName ?? null}
            viewerId={load.detail.viewer?.id ?? null}
            saving={saving}
            onUpdate={update}
          />
          {!load.detail.case.duplicateOf && (
            <ReportStage kase={load.detail.case} saving={saving} onStage={(stage) => update({ stage })} />
          )}
          <DuplicateForm
            kase={load.detail.case}
            saving={saving}
            onMark={markDuplicate}
            {...(agent.openCase ? { onOpenCase: agent.openCase } : {})}
          />
          <Separator orientation="horizontal" />
          <MemberCard
            member={load.detail.member}
            currentCase={load.detail.case.number}
            {...(agent.openCase ? { onOpenCase: agent.openCase } : {})}
            {...(onShowMemberCases ? { onShowMemberCases } : {})}
          />
          <ChatHistory
            chats={load.detail.member.chats ?? []}
            currentCase={load.detail.case.number}
            onDownload={cased.downloadTranscript}
          />
          <CaseDetailsFields kase={load.detail.case} />
          <Separator orientation="horizontal" />
          <CaseTimeline events={load.detail.timeline} />
          {load.detail.case.publicPost && <OfficialReplyForm saving={saving} onReply={postOfficialReply} />}
          <NoteForm saving={saving} onAdd={addNote} />
        </Stack>
      )}
    </Box>
  );
}

function CaseHeader({ kase, chats }: { kase: Case; chats: ChatSummary[] }) {
  // The member's latest answer for this case's chats (chats are newest first).
  const rated = chats.find((chat) => chat.caseNumber === kase.number && chat.rating !== null);
  const { t, labels } = useCaseStrings();
  return (
    <Box>
      <Heading as="h2" variant="heading30" marginBottom="space0">
        {t('FlexcordCasePanelTitle', { number: kase.number })}
      </Heading>
      <Box display="flex" flexWrap="wrap" columnGap="space20" rowGap="space20" marginY="space30">
        <Badge as="span" variant={caseTypeBadges[kase.type]}>
          {labels.type[kase.type]}
        </Badge>
        <Badge as="span" variant={caseStatusBadges[kase.status]} data-testid="flexcord-case-status">
          {labels.status[kase.status]}
        </Badge>
        <Badge as="span" variant={casePriorityBadges[kase.priority]} data-testid="flexcord-case-priority">
          {t('FlexcordCasePanelPriorityBadge', { priority: labels.priority[kase.priority] })}
        </Badge>
        {rated?.rating && (
          <Badge as="span" variant="warning" data-testid="flexcord-case-rating">
            {t('FlexcordCasePanelRated', { rating: ratingText(rated.rating) })}
          </Badge>
        )}
        {(kase.reports ?? 1) > 1 && (
          <Badge as="span" variant="decorative20" data-testid="flexcord-case-reports">
            {kase.reports} reports
          </Badge>
        )}
      </Box>
      <Text as="p" fontWeight="fontWeightSemibold" data-testid="flexcord-case-subject">
        {kase.subject}
      </Text>
    </Box>
  );
}

interface CaseControlsProps {
  kase: Case;
  /** The assignee's name from the bridge; without it, a name read from their identity. */
  assigneeName: string | null;
  /** The agent looking at the panel (plain identity), when the bridge says. */
  viewerId: string | null;
  saving: boolean;
  onUpdate(update: UpdateCaseRequest): Promise<boolean>;
}

function CaseControls({ kase, assigneeName, viewerId, saving, onUpdate }: CaseControlsProps) {
  const mine = kase.assignee !== null && viewerId !== null && kase.assignee === viewerId;
  const statusId = useUID();
  const priorityId = useUID();
  const { t, labels } = useCaseStrings();
  return (
    <Stack orientation="vertical" spacing="space40">
      <Box display="flex" columnGap="space40">
        <Box flexGrow={1}>
          <Label htmlFor={statusId}>{t('FlexcordCasePanelStatus')}</Label>
          <Select
            id={statusId}
            value={kase.status}
            disabled={saving}
            onChange={(event) => {
              const status = CaseStatusSchema.safeParse(event.target.value);
              if (status.success) void onUpdate({ status: status.data });
            }}
          >
            {CaseStatusSchema.options.map((status) => (
              <Option key={status} value={status}>
                {labels.status[status]}
              </Option>
            ))}
          </Select>
        </Box>
        <Box flexGrow={1}>
          <Label htmlFor={priorityId}>{t('FlexcordCasePanelPriority')}</Label>
          <Select
            id={priorityId}
            value={kase.priority}
            disabled={saving}
            onChange={(event) => {
              const priority = CasePrioritySchema.safeParse(event.target.value);
              if (priority.success) void onUpdate({ priority: priority.data });
            }}
          >
            {CasePrioritySchema.options.map((priority) => (
              <Option key={priority} value={priority}>
                {labels.priority[priority]}
              </Option>
            ))}
          </Select>
        </Box>
      </Box>
      <Box display="flex" alignItems="center" columnGap="space40">
        <Text as="span" data-testid="flexcord-case-assignee">
          {kase.assignee
            ? t('FlexcordCasePanelAssignedTo', { name: assigneeName ?? agentName(kase.assignee) })
            : t('FlexcordCasePanelUnassigned')}
        </Text>
        {!mine && (
          <Button
            variant="secondary"
            size="small"
            disabled={saving}
            onClick={() => void onUpdate({ assignee: 'me' })}
          >
            {t('FlexcordCasePanelAssignToMe')}
          </Button>
        )}
      </Box>
    </Stack>
  );
}
