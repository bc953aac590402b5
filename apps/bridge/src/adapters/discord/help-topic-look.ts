import {
  type APIActionRowComponent,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import { t } from '../../domain/i18n/messages.ts';
import { type HelpTopic, type HelpTopics, topicLanguage } from '../../domain/topics/help-topics.ts';
import { clipCodePoints } from '../../infrastructure/util/safe-text.ts';

// How the help topics look on Discord: /helpme's select menu and a topic's form (a modal), with
// their custom ids. What a topic is and how its answers are checked is the domain's
// (domain/topics/help-topics.ts), which keeps every text within these components' limits.

/** The topic menu under /helpme's ephemeral reply. */
export const TOPIC_MENU_ID = 'flexcord:topic';
/** A topic's form: `flexcord:topic-form:<topic id>`. */
export const TOPIC_FORM_PREFIX = 'flexcord:topic-form:';

/**
 * The topics as a string select (up to 25 options; labels, values and descriptions ≤100).
 * @see https://discord.com/developers/docs/components/reference#string-select
 */
export function topicMenu(
  topics: HelpTopics,
  locale: string | null,
): { content: string; components: APIActionRowComponent<APIStringSelectComponent>[] } {
  const language = topicLanguage(locale);
  return {
    content: t(locale, 'topics.pick'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: TOPIC_MENU_ID,
            placeholder: t(locale, 'topics.placeholder'),
            min_values: 1,
            max_values: 1,
            options: topics.list.map((topic) => ({
              label: topic.label[language],
              value: topic.id,
              ...(topic.description ? { description: topic.description[language] } : {}),
              ...(topic.emoji ? { emoji: { name: topic.emoji } } : {}),
            })),
          },
        ],
      },
    ],
  };
}

/**
 * A topic's form as a modal: its title (or the topic's label) ≤45, one text input per field.
 * @see https://discord.com/developers/docs/components/reference#text-input
 */
export function topicFormModal(
  topic: HelpTopic,
  locale: string | null,
): APIModalInteractionResponseCallbackData {
  const language = topicLanguage(locale);
  const title = topic.form?.title?.[language] ?? topic.label[language];
  return {
    custom_id: `${TOPIC_FORM_PREFIX}${topic.id}`,
    title: clipCodePoints(title, 45),
    components: (topic.form?.fields ?? []).map((field) => ({
      type: ComponentType.ActionRow as const,
      components: [
        {
          type: ComponentType.TextInput as const,
          custom_id: field.id,
          label: field.label[language],
          style: field.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: field.required,
          min_length: field.minLength,
          max_length: field.maxLength,
          ...(field.placeholder ? { placeholder: field.placeholder[language] } : {}),
        },
      ],
    })),
  };
}

/** The topic id of a form's custom id, or null when it is not a topic form. */
export function topicIdOfForm(customId: string): string | null {
  return customId.startsWith(TOPIC_FORM_PREFIX) ? customId.slice(TOPIC_FORM_PREFIX.length) : null;
}
