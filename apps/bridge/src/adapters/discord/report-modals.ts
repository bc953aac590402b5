import type { BugSeverity } from '@flexcord/contracts';
import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord.js';
import { type BugForm, SEVERITIES, severityWord } from '../../domain/community/report-forms.ts';
import { t } from '../../domain/i18n/messages.ts';

// How the /bug and /new_feature forms look on Discord (modals) and the custom ids of their buttons.
// What a report holds and how it is checked is the domain's (domain/community/report-forms.ts).

export const BUG_MODAL_ID = 'flexcord:bug-modal';
export const FEATURE_MODAL_ID = 'flexcord:feature-modal';
export const BUG_EDIT_PREFIX = 'flexcord:bug-edit:';
/** "Is it one of these?" → "Add me to #12": `flexcord:bug-join:<draft id>:<case number>`. */
export const BUG_JOIN_PREFIX = 'flexcord:bug-join:';
/** "Is it one of these?" → "No, file mine": `flexcord:bug-file:<draft id>`. */
export const BUG_FILE_PREFIX = 'flexcord:bug-file:';
/** The +1 button on a feature request's post: `flexcord:vote:<case number>`. */
export const VOTE_PREFIX = 'flexcord:vote:';

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

/**
 * The /bug modal's custom id: `flexcord:bug-modal`, or `flexcord:bug-modal:<severity>` when the
 * member already chose the severity (the /bug command's `severity` option).
 */
export function bugModalId(severity?: BugSeverity | null): string {
  return severity ? `${BUG_MODAL_ID}:${severity}` : BUG_MODAL_ID;
}

/**
 * Whether a modal's custom id is the /bug modal's, and the severity it carries (null: the member
 * typed it in the form). A severity that is no choice's value is not taken.
 */
export function bugModalSeverity(customId: string): { chosen: BugSeverity | null } | null {
  if (customId === BUG_MODAL_ID) return { chosen: null };
  if (!customId.startsWith(`${BUG_MODAL_ID}:`)) return null;
  const value = customId.slice(BUG_MODAL_ID.length + 1);
  return { chosen: SEVERITIES.find((severity) => severity === value) ?? null };
}

/**
 * The /bug modal, prefilled with what the member typed before when they fix a refused report. With
 * the severity already chosen (from the command's choices, in the member's language), the form
 * does not ask for it again: it travels in the modal's custom id.
 */
export function bugModal(
  locale: string | null,
  draft?: Partial<BugForm>,
  chosen?: BugSeverity | null,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: bugModalId(chosen),
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
      ...(chosen
        ? []
        : [
            input(
              'severity',
              t(locale, 'bug.fieldSeverity'),
              TextInputStyle.Short,
              { min: 3, max: 10, required: true },
              draft?.severity ?? severityWord(locale, 'medium'),
            ),
          ]),
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
