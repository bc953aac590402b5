import type { Case, CaseEvent } from '@flexcord/contracts';
import type { APIEmbed } from 'discord.js';
import { statusLabel } from '../../domain/cases/case-status-label.ts';
import { t } from '../../domain/i18n/messages.ts';
import { clipCodePoints, codePoints } from '../../infrastructure/util/safe-text.ts';

const STATUS_COLOURS = { open: 0x5865f2, pending: 0xfee75c, resolved: 0x57f287, closed: 0x4f545c } as const;

/** The public embed of a bug or feature case, as posted in #bug-report / #feature-request. */
export function publicCaseEmbed(found: Case): APIEmbed {
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  let description = '';
  if (found.details.kind === 'bug') {
    description = found.details.whatHappened;
    fields.push(
      { name: 'Steps to reproduce', value: clip(found.details.steps || '—', 1024) },
      { name: 'Expected vs actual', value: clip(found.details.expectedVsActual || '—', 1024) },
      { name: 'Severity', value: found.details.severity, inline: true },
    );
  } else if (found.details.kind === 'feature') {
    description = found.details.description;
    fields.push({ name: 'Why it matters', value: clip(found.details.whyItMatters || '—', 1024) });
  }
  fields.push(
    {
      name: 'Status',
      value: statusLabel(found, null),
      inline: true,
    },
    { name: 'Reported by', value: found.member.displayName, inline: true },
  );
  if (found.type === 'feature') fields.push({ name: 'Votes', value: String(found.votes ?? 0), inline: true });
  if ((found.reports ?? 1) > 1) fields.push({ name: 'Reports', value: String(found.reports), inline: true });
  return {
    title: clip(`${found.type === 'bug' ? 'Bug' : 'Feature'} #${found.number}: ${found.subject}`, 256),
    description: clip(description, 4000),
    color: STATUS_COLOURS[found.status],
    fields,
    timestamp: found.createdAt,
  };
}

const EVENT_LABELS: Partial<Record<CaseEvent['type'], string>> = {
  created: 'Opened',
  handover_requested: 'Asked for an agent',
  conversation_linked: 'New chat linked',
  agent_joined: 'Agent joined',
  agent_left: 'Agent left',
  conversation_ended: 'Chat ended',
  status_changed: 'Status changed',
  priority_changed: 'Priority changed',
  assigned: 'Assigned',
  public_post: 'Posted publicly',
  marked_duplicate: 'Closed as a duplicate',
  duplicate_merged: 'A duplicate was merged in',
  reporter_added: 'Another member reported it too',
};

/** A member's view of one of their cases: its fields and its public timeline (never internal notes). */
export function memberCaseEmbed(found: Case, timeline: CaseEvent[], locale: string | null): APIEmbed {
  const lines = timeline
    .filter((event) => event.visibility === 'public')
    .slice(-15)
    .map((event) => {
      const when = `<t:${Math.floor(Date.parse(event.createdAt) / 1000)}:f>`;
      const label = EVENT_LABELS[event.type] ?? event.type;
      const detail =
        event.type === 'status_changed'
          ? ` → ${String(event.data.to)}`
          : event.type === 'agent_joined'
            ? `: ${event.actor.name}`
            : '';
      return `${when} ${label}${detail}`;
    });
  return {
    title: clip(t(locale, 'case.detailTitle', { caseNumber: found.number, subject: found.subject }), 256),
    color: STATUS_COLOURS[found.status],
    fields: [
      { name: t(locale, 'case.fieldType'), value: found.type, inline: true },
      { name: t(locale, 'case.fieldStatus'), value: statusLabel(found, locale), inline: true },
      { name: t(locale, 'case.fieldPriority'), value: found.priority, inline: true },
      { name: t(locale, 'case.fieldTimeline'), value: clip(lines.join('\n') || '—', 1024) },
      ...(found.publicPost ? [{ name: 'Post', value: found.publicPost.url }] : []),
    ],
  };
}

/** The member's case list as one embed. */
export function memberCaseListEmbed(cases: Case[], locale: string | null): APIEmbed {
  return {
    title: t(locale, 'case.listTitle'),
    color: 0x5865f2,
    description: clip(
      cases
        .slice(0, 20)
        .map(
          (item) =>
            `**#${item.number}** · ${item.type} · ${statusLabel(item, locale)} · ${clip(item.subject, 60)} · <t:${Math.floor(Date.parse(item.updatedAt) / 1000)}:R>`,
        )
        .join('\n'),
      4000,
    ),
  };
}

/** `text` within `max` code points (Discord's unit), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return codePoints(text) <= max ? text : `${clipCodePoints(text, max - 1)}…`;
}
