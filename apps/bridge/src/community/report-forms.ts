import type { BugSeverity, CasePriority } from '@flexcord/contracts';
import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord.js';
import { catalogs, type MessageKey, t } from '../i18n/messages.ts';

export const BUG_MODAL_ID = 'flexcord:bug-modal';
export const FEATURE_MODAL_ID = 'flexcord:feature-modal';
export const BUG_EDIT_PREFIX = 'flexcord:bug-edit:';
/** "Is it one of these?" → "Add me to #12": `flexcord:bug-join:<draft id>:<case number>`. */
export const BUG_JOIN_PREFIX = 'flexcord:bug-join:';
/** "Is it one of these?" → "No, file mine": `flexcord:bug-file:<draft id>`. */
export const BUG_FILE_PREFIX = 'flexcord:bug-file:';
/** The +1 button on a feature request's post: `flexcord:vote:<case number>`. */
export const VOTE_PREFIX = 'flexcord:vote:';

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

const SEVERITIES: readonly BugSeverity[] = ['low', 'medium', 'high', 'critical'];
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

function input(
  customId: string,
  label: string,
  style: TextInputStyle,
  limits: { min: number; max: number; required: boolean },
  value?: string,
) {
  return {
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id: customId,
        label: label.slice(0, 45),
        style,
        min_length: limits.min,
        max_length: limits.max,
        required: limits.required,
        ...(value ? { value: value.slice(0, limits.max) } : {}),
      },
    ],
  };
}

/** The /bug modal, prefilled with what the member typed before when they fix a refused report. */
export function bugModal(
  locale: string | null,
  draft?: Partial<BugForm>,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: BUG_MODAL_ID,
    title: t(locale, 'bug.modalTitle'),
    components: [
      input(
        'title',
        t(locale, 'bug.fieldTitle'),
        TextInputStyle.Short,
        { min: 5, max: 100, required: true },
        draft?.title,
      ),
      input(
        'whatHappened',
        t(locale, 'bug.fieldWhatHappened'),
        TextInputStyle.Paragraph,
        { min: 10, max: 1500, required: true },
        draft?.whatHappened,
      ),
      input(
        'steps',
        t(locale, 'bug.fieldSteps'),
        TextInputStyle.Paragraph,
        { min: 0, max: 1500, required: false },
        draft?.steps,
      ),
      input(
        'expectedVsActual',
        t(locale, 'bug.fieldExpected'),
        TextInputStyle.Paragraph,
        { min: 0, max: 1000, required: false },
        draft?.expectedVsActual,
      ),
      input(
        'severity',
        t(locale, 'bug.fieldSeverity'),
        TextInputStyle.Short,
        { min: 3, max: 10, required: true },
        draft?.severity ?? severityWord(locale, 'medium'),
      ),
    ],
  };
}

export function featureModal(locale: string | null): APIModalInteractionResponseCallbackData {
  return {
    custom_id: FEATURE_MODAL_ID,
    title: t(locale, 'feature.modalTitle'),
    components: [
      input('title', t(locale, 'feature.fieldTitle'), TextInputStyle.Short, {
        min: 5,
        max: 100,
        required: true,
      }),
      input('description', t(locale, 'feature.fieldDescription'), TextInputStyle.Paragraph, {
        min: 10,
        max: 2000,
        required: true,
      }),
      input('whyItMatters', t(locale, 'feature.fieldWhy'), TextInputStyle.Paragraph, {
        min: 0,
        max: 1000,
        required: false,
      }),
    ],
  };
}

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
