import type { Case, CaseStage, CaseStatus } from '@flexcord/contracts';
import { type MessageKey, t } from '../i18n/messages.ts';

const STATUS_LABEL_KEYS: Record<CaseStatus, MessageKey> = {
  open: 'status.open',
  pending: 'status.pending',
  resolved: 'status.resolved',
  closed: 'status.closed',
};

export const STAGE_LABEL_KEYS: Record<CaseStage, MessageKey> = {
  open: 'stage.open',
  investigating: 'stage.investigating',
  planned: 'stage.planned',
  fixed: 'stage.fixed',
  wont_fix: 'stage.wont_fix',
};

/**
 * The one status a person reads for a case, wherever they read it (the forum post's tag and embed,
 * `/case`, the member's notices, the case panel): a report's stage while it is open, else its
 * status — a duplicate closed into another report reads "closed", never the stage it had.
 */
export type ShownStatus = { kind: 'stage'; stage: CaseStage } | { kind: 'status'; status: CaseStatus };

export function shownStatus(found: Pick<Case, 'status' | 'stage' | 'duplicateOf'>): ShownStatus {
  if (found.duplicateOf) return { kind: 'status', status: 'closed' };
  if (found.stage) return { kind: 'stage', stage: found.stage };
  return { kind: 'status', status: found.status };
}

/** {@link shownStatus} in words, in `locale`: "investigating", "duplicate of #12", "pendiente"… */
export function statusLabel(
  found: Pick<Case, 'status' | 'stage' | 'duplicateOf'>,
  locale: string | null,
): string {
  if (found.duplicateOf) return t(locale, 'status.duplicateOf', { caseNumber: found.duplicateOf });
  const shown = shownStatus(found);
  return shown.kind === 'stage'
    ? t(locale, STAGE_LABEL_KEYS[shown.stage])
    : t(locale, STATUS_LABEL_KEYS[shown.status]);
}
