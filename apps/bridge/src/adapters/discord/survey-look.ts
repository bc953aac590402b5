import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import { COMMENT_MAX, type SurveyLook } from '../../domain/chat/chat-survey.ts';
import { t } from '../../domain/i18n/messages.ts';

// How the satisfaction survey looks on Discord: five buttons, then "Add a comment" and its modal.
// What the survey records, once, and when it closes is the domain's (domain/chat/chat-survey.ts).

/** `survey:rate:<conversationSid>:<1-5>`: one of the survey's rating buttons. */
export const SURVEY_RATE_PREFIX = 'survey:rate:';
/** `survey:comment:<conversationSid>`: "Add a comment", which opens the comment modal. */
export const SURVEY_COMMENT_PREFIX = 'survey:comment:';
/** `survey:modal:<conversationSid>`: the comment modal. */
export const SURVEY_MODAL_PREFIX = 'survey:modal:';
export const SURVEY_COMMENT_FIELD = 'comment';
/** The survey's five buttons, 1 (poor) to 5 (great). */
export function ratingButtons(conversationSid: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [1, 2, 3, 4, 5].map((rating) => ({
      type: ComponentType.Button,
      style: rating >= 4 ? ButtonStyle.Success : ButtonStyle.Secondary,
      label: `${rating} ★`,
      custom_id: `${SURVEY_RATE_PREFIX}${conversationSid}:${rating}`,
    })),
  };
}

/** After a rating: the "Add a comment" button in place of the five. */
export function commentButton(
  conversationSid: string,
  locale: string | null,
): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: t(locale, 'survey.addComment'),
        custom_id: `${SURVEY_COMMENT_PREFIX}${conversationSid}`,
      },
    ],
  };
}

export function commentModal(
  conversationSid: string,
  locale: string | null,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${SURVEY_MODAL_PREFIX}${conversationSid}`,
    title: t(locale, 'survey.commentTitle'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: SURVEY_COMMENT_FIELD,
            label: t(locale, 'survey.commentLabel'),
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: COMMENT_MAX,
          },
        ],
      },
    ],
  };
}

/** The survey on Discord: the five rating buttons under the question. */
export const discordSurveyLook: SurveyLook = {
  ratingPrompt: (conversationSid) => ({ components: [ratingButtons(conversationSid)] }),
};
