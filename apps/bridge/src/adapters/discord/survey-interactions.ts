import {
  type ButtonInteraction,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { ChatSurvey, SurveyOutcome } from '../../domain/chat/chat-survey.ts';
import { t } from '../../domain/i18n/messages.ts';
import { safeText } from '../../infrastructure/util/safe-text.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import {
  commentButton,
  commentModal,
  SURVEY_COMMENT_FIELD,
  SURVEY_COMMENT_PREFIX,
  SURVEY_MODAL_PREFIX,
  SURVEY_RATE_PREFIX,
} from './survey-look.ts';

/**
 * The survey's buttons and comment modal in the member's DM: a rating replaces the five buttons
 * with "Add a comment"; a repeated or late click, or someone else's, gets a polite ephemeral answer.
 */
export class SurveyInteractions {
  constructor(private readonly survey: ChatSurvey) {}

  /** Handles the interaction if it is the survey's; false otherwise. */
  async handle(interaction: Interaction): Promise<boolean> {
    if (interaction.isButton() && interaction.customId.startsWith(SURVEY_RATE_PREFIX)) {
      await this.onRate(interaction);
      return true;
    }
    if (interaction.isButton() && interaction.customId.startsWith(SURVEY_COMMENT_PREFIX)) {
      await interaction.showModal(
        commentModal(interaction.customId.slice(SURVEY_COMMENT_PREFIX.length), interaction.locale),
      );
      return true;
    }
    if (interaction.isModalSubmit() && interaction.customId.startsWith(SURVEY_MODAL_PREFIX)) {
      await this.onComment(interaction);
      return true;
    }
    return false;
  }

  private async onRate(interaction: ButtonInteraction): Promise<void> {
    const [conversationSid = '', rating = ''] = interaction.customId
      .slice(SURVEY_RATE_PREFIX.length)
      .split(':');
    const outcome = await this.survey.rate({
      conversationSid,
      userId: interaction.user.id,
      rating: Number(rating),
    });
    if (outcome.result !== 'recorded') return this.refuse(interaction, outcome);
    await interaction.update({
      content: t(outcome.locale ?? interaction.locale, 'survey.thanks', { rating: outcome.rating }),
      components: [commentButton(conversationSid, outcome.locale ?? interaction.locale)],
      allowedMentions: NO_MENTIONS,
    });
  }

  private async onComment(interaction: ModalSubmitInteraction): Promise<void> {
    const conversationSid = interaction.customId.slice(SURVEY_MODAL_PREFIX.length);
    const outcome = await this.survey.comment({
      conversationSid,
      userId: interaction.user.id,
      comment: safeText(interaction.fields.getTextInputValue(SURVEY_COMMENT_FIELD)),
    });
    if (outcome.result !== 'recorded') return this.refuse(interaction, outcome);
    const locale = outcome.locale ?? interaction.locale;
    if (interaction.isFromMessage()) {
      await interaction.update({
        content: t(locale, 'survey.thanksComment', { rating: outcome.rating }),
        components: [],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    await interaction.reply({ flags: MessageFlags.Ephemeral, content: t(locale, 'survey.commentSaved') });
  }

  private async refuse(
    interaction: ButtonInteraction | ModalSubmitInteraction,
    outcome: Exclude<SurveyOutcome, { result: 'recorded' }>,
  ): Promise<void> {
    const locale = interaction.locale;
    const key =
      outcome.result === 'closed'
        ? 'survey.closed'
        : outcome.result === 'not_yours'
          ? 'survey.notYours'
          : outcome.result === 'already'
            ? 'survey.already'
            : 'survey.closed';
    await interaction.reply({ flags: MessageFlags.Ephemeral, content: t(locale, key) });
  }
}
