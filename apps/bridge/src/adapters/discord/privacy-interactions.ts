import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  ComponentType,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import { t } from '../../domain/i18n/messages.ts';
import {
  ChatStillOpenError,
  PrivacyRateLimitedError,
  type PrivacyService,
} from '../../domain/privacy/privacy-service.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';

/** The confirmation's buttons (ephemeral: only the member who ran `/privacy delete` sees them). */
export const PRIVACY_ERASE_ID = 'flexcord:privacy:erase';
export const PRIVACY_CANCEL_ID = 'flexcord:privacy:cancel';

/**
 * `/privacy export` and `/privacy delete` on Discord, answered ephemerally in the member's language:
 * the export is sent as a file through the outbox; the erasure is confirmed with buttons first.
 */
export class PrivacyInteractions {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly logger: Logger,
  ) {}

  /** Handles the interaction if it is one of ours; false otherwise. */
  async handle(interaction: Interaction): Promise<boolean> {
    if (interaction.isChatInputCommand() && interaction.commandName === 'privacy') {
      const sub = interaction.options.getSubcommand(false);
      if (sub === 'export') await this.onExport(interaction);
      else await this.onDelete(interaction);
      return true;
    }
    if (interaction.isButton() && interaction.customId === PRIVACY_ERASE_ID) {
      await this.onErase(interaction);
      return true;
    }
    if (interaction.isButton() && interaction.customId === PRIVACY_CANCEL_ID) {
      await interaction.update({ content: t(interaction.locale, 'privacy.cancelled'), components: [] });
      return true;
    }
    return false;
  }

  private async onExport(interaction: ChatInputCommandInteraction): Promise<void> {
    const locale = interaction.locale;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      await this.privacy.export(interaction.user.id, { source: 'discord' }, { send: true, locale });
      await interaction.editReply({
        content: t(locale, 'privacy.exportSending'),
        allowedMentions: NO_MENTIONS,
      });
    } catch (error) {
      await interaction.editReply({
        content: refusal(error, locale, this.logger),
        allowedMentions: NO_MENTIONS,
      });
    }
  }

  private async onDelete(interaction: ChatInputCommandInteraction): Promise<void> {
    const locale = interaction.locale;
    const buttons: APIActionRowComponent<APIButtonComponent> = {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          custom_id: PRIVACY_ERASE_ID,
          label: t(locale, 'privacy.deleteButton'),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: PRIVACY_CANCEL_ID,
          label: t(locale, 'privacy.cancelButton'),
        },
      ],
    };
    await interaction.reply({
      flags: MessageFlags.Ephemeral,
      content: t(locale, 'privacy.deleteConfirm'),
      components: [buttons],
      allowedMentions: NO_MENTIONS,
    });
  }

  private async onErase(interaction: ButtonInteraction): Promise<void> {
    const locale = interaction.locale;
    await interaction.deferUpdate();
    let content: string;
    try {
      const outcome = await this.privacy.erase(interaction.user.id, { source: 'discord' });
      content = t(locale, outcome.erased ? 'privacy.deleted' : 'privacy.nothing');
    } catch (error) {
      content = refusal(error, locale, this.logger);
    }
    await interaction.editReply({ content, components: [], allowedMentions: NO_MENTIONS });
  }
}

/**
 * A refusal the member reads. Anything unexpected is the bridge's failure: the member reads that
 * something went wrong, and the error is logged.
 */
function refusal(error: unknown, locale: string, logger: Logger): string {
  if (error instanceof PrivacyRateLimitedError)
    return t(locale, 'privacy.rateLimited', {
      hours: Math.max(1, Math.ceil(error.retryAfterSeconds / 3600)),
    });
  if (error instanceof ChatStillOpenError) return t(locale, 'privacy.chatOpen');
  logger.error({ err: error }, 'privacy request failed');
  return t(locale, 'error.generic');
}
