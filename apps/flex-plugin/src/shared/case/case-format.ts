import type { CaseEvent, CasePriority, CaseStage, CaseStatus, CaseType } from '@flexcord/contracts';
import type { BadgeProps } from '@twilio-paste/core/badge';
import { type Translate, useStrings } from '../../agent/strings.ts';
import { CASE_STRINGS, type CaseStringKey } from './case-strings.ts';

type BadgeVariants = BadgeProps['variant'];
export type CaseTranslate = Translate<CaseStringKey>;

const TYPE_KEYS: Record<CaseType, CaseStringKey> = {
  support: 'FlexcordCaseTypeSupport',
  bug: 'FlexcordCaseTypeBug',
  feature: 'FlexcordCaseTypeFeature',
};
const STATUS_KEYS: Record<CaseStatus, CaseStringKey> = {
  open: 'FlexcordCaseStatusOpen',
  pending: 'FlexcordCaseStatusPending',
  resolved: 'FlexcordCaseStatusResolved',
  closed: 'FlexcordCaseStatusClosed',
};
const STAGE_KEYS: Record<CaseStage, CaseStringKey> = {
  open: 'FlexcordCaseStageOpen',
  investigating: 'FlexcordCaseStageInvestigating',
  planned: 'FlexcordCaseStagePlanned',
  fixed: 'FlexcordCaseStageFixed',
  wont_fix: 'FlexcordCaseStageWontFix',
};
const PRIORITY_KEYS: Record<CasePriority, CaseStringKey> = {
  low: 'FlexcordCasePriorityLow',
  normal: 'FlexcordCasePriorityNormal',
  high: 'FlexcordCasePriorityHigh',
  urgent: 'FlexcordCasePriorityUrgent',
};

const labelsOf = <V extends string>(keys: Record<V, CaseStringKey>, t: CaseTranslate) =>
  Object.fromEntries(Object.entries(keys).map(([value, key]) => [value, t(key as CaseStringKey)])) as Record<
    V,
    string
  >;

/** A case's type, status, stage and priority as the agent reads them, in the agent's language. */
export interface CaseLabels {
  type: Record<CaseType, string>;
  status: Record<CaseStatus, string>;
  stage: Record<CaseStage, string>;
  priority: Record<CasePriority, string>;
}

export function caseLabels(t: CaseTranslate): CaseLabels {
  return {
    type: labelsOf(TYPE_KEYS, t),
    status: labelsOf(STATUS_KEYS, t),
    stage: labelsOf(STAGE_KEYS, t),
    priority: labelsOf(PRIORITY_KEYS, t),
  };
}

/** The case panel's translator and labels, for a component. */
export function useCaseStrings(): { t: CaseTranslate; labels: CaseLabels } {
  const t = useStrings(CASE_STRINGS);
  return { t, labels: caseLabels(t) };
}

export const caseTypeBadges: Record<CaseType, BadgeVariants> = {
  support: 'neutral',
  bug: 'error',
  feature: 'new',
};

export const caseStatusBadges: Record<CaseStatus, BadgeVariants> = {
  open: 'new',
  pending: 'warning',
  resolved: 'success',
  closed: 'neutral',
};

export const casePriorityBadges: Record<CasePriority, BadgeVariants> = {
  low: 'neutral',
  normal: 'info',
  high: 'warning',
  urgent: 'error',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

/**
 * An agent's Flex identity as a person reads it, never an e-mail address. Flex identities spell
 * characters other than letters and digits as `_XX` (hex): `dana_2Esmith_40example_2Ecom` is
 * `dana.smith@example.com`, read as `Dana Smith` (the bridge's `agentNameFromIdentity` does the same).
 * A name that is not an address stays as it is.
 */
export function agentName(identity: string): string {
  const plain = identity.replace(/_([0-9A-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  const at = plain.indexOf('@');
  if (at < 0) return plain;
  const words = plain
    .slice(0, at)
    .split(/[._-]+/)
    .filter(Boolean);
  if (!words.length) return plain;
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');
}

function text(data: CaseEvent['data'], key: string): string | null {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function label(labels: Record<string, string>, value: string | null): string | null {
  return value === null ? null : (labels[value] ?? value);
}

/**
 * One line saying what a timeline entry was. Reads the event's `data` as the bridge writes it:
 * `{from, to}` for status, priority and assignee changes, `{body}` for notes, `{url}` for public
 * posts; a missing field only shortens the line.
 */
export function describeEvent(event: CaseEvent, t: CaseTranslate): string {
  const who = event.actor.kind === 'agent' ? agentName(event.actor.name) : event.actor.name;
  const { data } = event;
  const labels = caseLabels(t);
  switch (event.type) {
    case 'created':
      return t('FlexcordEventCreated', { who });
    case 'handover_requested':
      return t('FlexcordEventHandoverRequested', { who });
    case 'waiting_for_hours':
      return t('FlexcordEventWaitingForHours');
    case 'routed_at_opening':
      return t('FlexcordEventRoutedAtOpening');
    case 'conversation_linked':
      return t('FlexcordEventConversationLinked');
    case 'chat_moved_to_thread':
      return t('FlexcordEventChatMovedToThread');
    case 'agent_joined':
      return t(data.took === true ? 'FlexcordEventAgentTook' : 'FlexcordEventAgentJoined', { who });
    case 'agent_left':
      return t('FlexcordEventAgentLeft', { who });
    case 'conversation_ended':
      return t(data.by === 'timer' ? 'FlexcordEventEndedByTimer' : 'FlexcordEventEnded');
    case 'transferred': {
      const to = text(data, 'to');
      return to ? t('FlexcordEventTransferredTo', { who, to }) : t('FlexcordEventTransferred', { who });
    }
    case 'wrapped_up': {
      const disposition = text(data, 'disposition');
      return disposition
        ? t('FlexcordEventWrappedUpAs', { who, disposition: dispositionLabel(disposition, t) })
        : t('FlexcordEventWrappedUp', { who });
    }
    case 'status_changed':
      return changeLine(t, who, 'FlexcordFieldStatus', labels.status, data);
    case 'priority_changed':
      return changeLine(t, who, 'FlexcordFieldPriority', labels.priority, data);
    case 'assigned': {
      const assignee = text(data, 'to');
      return assignee
        ? t('FlexcordEventAssignedTo', { who, to: agentName(assignee) })
        : t('FlexcordEventUnassigned', { who });
    }
    case 'note':
      return t('FlexcordEventNote', { who });
    case 'public_post':
      return t('FlexcordEventPublicPost');
    case 'stage_changed':
      return changeLine(t, who, 'FlexcordFieldStage', labels.stage, data);
    case 'official_reply':
      return t('FlexcordEventOfficialReply', { who });
    case 'voted':
      return t('FlexcordEventVoted', { who });
    case 'marked_duplicate':
      return t('FlexcordEventMarkedDuplicate', { who, of: String(data.of ?? '?') });
    case 'duplicate_merged':
      return t('FlexcordEventDuplicateMerged', {
        who,
        duplicate: String(data.duplicate ?? '?'),
        reports: String(data.reports ?? '?'),
      });
    case 'triage_task_created':
      return t('FlexcordEventTriageTask');
    case 'reporter_added':
      return t('FlexcordEventReporterAdded', { who, reports: String(data.reports ?? '?') });
    case 'delivery_failed': {
      const reason = text(data, 'reason');
      const toAgent = text(data, 'to') === 'agent';
      if (reason)
        return t(toAgent ? 'FlexcordEventDeliveryFailedAgentWhy' : 'FlexcordEventDeliveryFailedMemberWhy', {
          reason,
        });
      return t(toAgent ? 'FlexcordEventDeliveryFailedAgent' : 'FlexcordEventDeliveryFailedMember');
    }
    case 'delivery_replayed':
      return t('FlexcordEventDeliveryReplayed');
    case 'survey_answered':
      return t('FlexcordEventSurveyAnswered', { who, rating: String(data.rating ?? '?') });
    case 'survey_commented':
      return t('FlexcordEventSurveyCommented', { who, comment: text(data, 'comment') ?? '' });
    case 'member_data_erased':
      return t('FlexcordEventMemberDataErased');
  }
}

function changeLine(
  t: CaseTranslate,
  who: string,
  field: CaseStringKey,
  labels: Record<string, string>,
  data: CaseEvent['data'],
): string {
  const from = label(labels, text(data, 'from'));
  const to = label(labels, text(data, 'to'));
  const what = t(field);
  if (from && to) return t('FlexcordChangeFromTo', { who, what, from, to });
  if (to) return t('FlexcordChangeTo', { who, what, to });
  return t('FlexcordChange', { who, what });
}

/** A disposition code as a person reads it: `follow_up` → "Follow-up needed" for the built-in ones. */
export function dispositionLabel(code: string, t: CaseTranslate): string {
  const known: Record<string, CaseStringKey> = {
    resolved: 'FlexcordDispositionResolved',
    follow_up: 'FlexcordDispositionFollowUp',
    duplicate: 'FlexcordDispositionDuplicate',
    spam: 'FlexcordDispositionSpam',
  };
  const key = known[code];
  if (key) return t(key);
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The text of a note event (`data.body`) or a wrap-up's note (`data.note`), if it has one. */
export function noteBody(event: CaseEvent): string | null {
  if (event.type === 'wrapped_up') return text(event.data, 'note');
  return event.type === 'note' ? text(event.data, 'body') : null;
}

/** The link of a public-post event (`data.url`), if it has one. */
export function eventUrl(event: CaseEvent): string | null {
  return text(event.data, 'url');
}
