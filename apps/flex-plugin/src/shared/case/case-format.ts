import type { CaseEvent, CasePriority, CaseStage, CaseStatus, CaseType } from '@flexcord/contracts';
import type { BadgeProps } from '@twilio-paste/core/badge';

type BadgeVariants = BadgeProps['variant'];

export const caseTypeLabels: Record<CaseType, string> = {
  support: 'Support',
  bug: 'Bug report',
  feature: 'Feature request',
};
export const caseTypeBadges: Record<CaseType, BadgeVariants> = {
  support: 'neutral',
  bug: 'error',
  feature: 'new',
};

export const caseStatusLabels: Record<CaseStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
};
export const caseStatusBadges: Record<CaseStatus, BadgeVariants> = {
  open: 'new',
  pending: 'warning',
  resolved: 'success',
  closed: 'neutral',
};

export const caseStageLabels: Record<CaseStage, string> = {
  open: 'Open',
  investigating: 'Investigating',
  planned: 'Planned',
  fixed: 'Fixed',
  wont_fix: "Won't fix",
};

export const casePriorityLabels: Record<CasePriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
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
 * An agent's Flex identity as a person reads it. Flex identities spell characters other than letters
 * and digits as `_XX` (hex): `dana_40example_2Ecom` is `dana@example.com`.
 */
export function agentName(identity: string): string {
  return identity.replace(/_([0-9A-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
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
export function describeEvent(event: CaseEvent): string {
  const who = event.actor.kind === 'agent' ? agentName(event.actor.name) : event.actor.name;
  const { data } = event;
  switch (event.type) {
    case 'created':
      return `Case opened by ${who}`;
    case 'handover_requested':
      return `${who} asked to talk to an agent`;
    case 'waiting_for_hours':
      return 'Asked outside the support hours: waiting for the team to be back';
    case 'routed_at_opening':
      return 'Support hours opened: the chat went to the queue';
    case 'conversation_linked':
      return 'Chat linked to the case';
    case 'chat_moved_to_thread':
      return "The member's DMs are closed: the chat continues in a private thread";
    case 'agent_joined':
      return data.took === true ? `${who} took the chat` : `${who} joined the chat`;
    case 'agent_left':
      return `${who} left the chat`;
    case 'conversation_ended':
      return data.by === 'timer' ? 'Chat closed by Twilio after a while without messages' : 'Chat ended';
    case 'transferred': {
      const to = text(data, 'to');
      return to ? `${who} transferred the chat to ${to}` : `${who} transferred the chat`;
    }
    case 'wrapped_up': {
      const disposition = text(data, 'disposition');
      return disposition
        ? `${who} wrapped up the chat: ${dispositionLabel(disposition)}`
        : `${who} wrapped up the chat`;
    }
    case 'status_changed':
      return changeLine(who, 'status', caseStatusLabels, data);
    case 'priority_changed':
      return changeLine(who, 'priority', casePriorityLabels, data);
    case 'assigned': {
      const assignee = text(data, 'to');
      return assignee ? `${who} assigned the case to ${agentName(assignee)}` : `${who} unassigned the case`;
    }
    case 'note':
      return `Internal note by ${who}`;
    case 'public_post':
      return 'Posted publicly in the server';
    case 'stage_changed':
      return changeLine(who, 'stage', caseStageLabels, data);
    case 'official_reply':
      return `Official reply by ${who}`;
    case 'voted':
      return `${who} voted for the request`;
    case 'marked_duplicate':
      return `${who} closed it as a duplicate of #${String(data.of ?? '?')}`;
    case 'duplicate_merged':
      return `${who} merged duplicate #${String(data.duplicate ?? '?')} into it (${String(data.reports ?? '?')} reports)`;
    case 'triage_task_created':
      return 'Sent to the triage queue as a task';
    case 'reporter_added':
      return `${who} reported it too (${String(data.reports ?? '?')} reports)`;
    case 'delivery_failed': {
      const reason = text(data, 'reason');
      const to = text(data, 'to') === 'agent' ? 'to the agent' : 'to the member';
      return `A message could not be delivered ${to}${reason ? `: ${reason}` : ''}`;
    }
    case 'delivery_replayed':
      return 'An undelivered message was sent again';
    case 'survey_answered':
      return `${who} rated the chat ${String(data.rating ?? '?')}/5`;
    case 'survey_commented':
      return `${who} commented on the chat: “${text(data, 'comment') ?? ''}”`;
  }
}

function changeLine(
  who: string,
  what: string,
  labels: Record<string, string>,
  data: CaseEvent['data'],
): string {
  const from = label(labels, text(data, 'from'));
  const to = label(labels, text(data, 'to'));
  if (from && to) return `${who} changed the ${what} from ${from} to ${to}`;
  if (to) return `${who} changed the ${what} to ${to}`;
  return `${who} changed the ${what}`;
}

/** A disposition code as a person reads it: `follow_up` → "Follow-up needed" for the built-in ones. */
export function dispositionLabel(code: string): string {
  const known: Record<string, string> = {
    resolved: 'Resolved',
    follow_up: 'Follow-up needed',
    duplicate: 'Duplicate',
    spam: 'Spam',
  };
  const words = code.replace(/_/g, ' ');
  return known[code] ?? words.charAt(0).toUpperCase() + words.slice(1);
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
