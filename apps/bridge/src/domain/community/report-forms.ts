import type { BugSeverity, CasePriority } from '@flexcord/contracts';
import { catalogs, type MessageKey, t } from '../i18n/messages.ts';

/** What a member fills in to file a bug or a feature request; how the form looks is the adapter's. */
export interface BugForm {
  title: string;
  whatHappened: string;
  steps: string;
  expectedVsActual: string;
  severity: string;
}

export interface FeatureForm {
  title: string;
  description: string;
  whyItMatters: string;
}

export const SEVERITIES: readonly BugSeverity[] = ['low', 'medium', 'high', 'critical'];
const SEVERITY_KEYS: Record<BugSeverity, MessageKey> = {
  low: 'severity.low',
  medium: 'severity.medium',
  high: 'severity.high',
  critical: 'severity.critical',
};

/** Lower case without accents: "Crítica" and "critica" are one word. */
const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();

/** A severity typed in any language the bot speaks ("alta", "High", "crítica"), or null. */
export function parseSeverity(text: string): BugSeverity | null {
  const typed = folded(text);
  return (
    SEVERITIES.find((severity) =>
      Object.values(catalogs).some((catalog) => folded(catalog[SEVERITY_KEYS[severity]]) === typed),
    ) ?? null
  );
}

/** A severity in the member's language, as the form shows it. */
export function severityWord(locale: string | null, severity: BugSeverity): string {
  return t(locale, SEVERITY_KEYS[severity]);
}
export const SEVERITY_PRIORITY: Record<BugSeverity, CasePriority> = {
  low: 'low',
  medium: 'normal',
  high: 'high',
  critical: 'urgent',
};

/**
 * Checks a submitted bug form server-side (a modal's limits are only the client's): returns the
 * normalised report, or the reason it was refused, in the member's language.
 */
export function validateBugForm(
  form: BugForm,
  locale: string | null,
): { ok: true; severity: BugSeverity } | { ok: false; reason: string } {
  if (form.title.trim().length < 5) {
    return { ok: false, reason: t(locale, 'bug.tooShort', { field: t(locale, 'bug.fieldTitle'), min: 5 }) };
  }
  if (form.whatHappened.trim().length < 10) {
    return {
      ok: false,
      reason: t(locale, 'bug.tooShort', { field: t(locale, 'bug.fieldWhatHappened'), min: 10 }),
    };
  }
  const severity = parseSeverity(form.severity);
  if (!severity) return { ok: false, reason: t(locale, 'bug.invalidSeverity') };
  return { ok: true, severity };
}
