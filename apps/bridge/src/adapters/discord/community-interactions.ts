import type { BugSeverity } from '@flexcord/contracts';
import {
  type APIChannel,
  type ButtonInteraction,
  ButtonStyle,
  ChannelType,
  type ChatInputCommandInteraction,
  ComponentType,
  type GuildMember,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  type REST,
  Routes,
} from 'discord.js';
import { maskedLink, postLink } from '../../domain/cases/post-link.ts';
import type { ChatTranscripts } from '../../domain/chat/chat-transcripts.ts';
import { transcriptMarkdown } from '../../domain/chat/transcript-format.ts';
import type { CommunityService, SimilarReport } from '../../domain/community/community-service.ts';
import {
  type BugForm,
  type FeatureForm,
  parseSeverity,
  SEVERITIES,
  severityWord,
  validateBugForm,
} from '../../domain/community/report-forms.ts';
import { t } from '../../domain/i18n/messages.ts';
import { DomainError } from '../../infrastructure/util/domain-errors.ts';
import { safeText } from '../../infrastructure/util/safe-text.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import { memberCaseEmbed, memberCaseListEmbed } from './case-embeds.ts';
import { toDiscordUser } from './discord-user.ts';
import {
  BUG_EDIT_PREFIX,
  BUG_FILE_PREFIX,
  BUG_JOIN_PREFIX,
  bugModal,
  bugModalSeverity,
  FEATURE_MODAL_ID,
  featureModal,
  VOTE_PREFIX,
} from './report-modals.ts';

export interface CommunityOptions {
  community: CommunityService;
  rest: REST;
  /** Role ids that count as moderators (besides Manage Messages). */
  moderatorRoleIds: string[];
  /** Channel ids; unset → the guild's `#bug-report` / `#feature-request`. */
  bugChannelId?: string | undefined;
  featureChannelId?: string | undefined;
  /** A case's kept chats, for `/case number transcript:true`; absent → no transcript is sent. */
  transcripts?: Pick<ChatTranscripts, 'ofCase'>;
  /** Signed links to a transcript's files. */
  fileLink?: (mediaSid: string) => string | null;
}

/** How long /bug waits for its public post before answering without the link. */
const POST_WAIT_MS = 4_000;

/**
 * /bug, /new_feature and /case on Discord: the forms, the moderator check, the channels and the
 * ephemeral answers; the reports themselves are the community service's.
 */
export class CommunityInteractions {
  private readonly channelCache = new Map<string, { channels: APIChannel[]; until: number }>();

  constructor(private readonly options: CommunityOptions) {}

  /** Handles the interaction if it is one of ours; false otherwise. */
  async handle(interaction: Interaction): Promise<boolean> {
    if (interaction.isChatInputCommand()) {
      if (interaction.commandName === 'bug') return this.done(this.onBug(interaction));
      if (interaction.commandName === 'new_feature') return this.done(this.onNewFeature(interaction));
      if (interaction.commandName === 'case') return this.done(this.onCase(interaction));
    }
    if (interaction.isModalSubmit()) {
      const bug = bugModalSeverity(interaction.customId);
      if (bug) return this.done(this.onBugSubmit(interaction, bug.chosen));
      if (interaction.customId === FEATURE_MODAL_ID) return this.done(this.onFeatureSubmit(interaction));
    }
    if (interaction.isButton() && interaction.customId.startsWith(BUG_EDIT_PREFIX))
      return this.done(this.onBugEdit(interaction));
    if (interaction.isButton() && interaction.customId.startsWith(BUG_JOIN_PREFIX))
      return this.done(this.onBugJoin(interaction));
    if (interaction.isButton() && interaction.customId.startsWith(BUG_FILE_PREFIX))
      return this.done(this.onBugFile(interaction));
    if (interaction.isButton() && interaction.customId.startsWith(VOTE_PREFIX))
      return this.done(this.onVote(interaction));
    return false;
  }

  private async done(work: Promise<unknown>): Promise<true> {
    await work;
    return true;
  }

  /** The form; a severity chosen from the command's list is kept, and not asked again. */
  private async onBug(interaction: ChatInputCommandInteraction): Promise<void> {
    const value = interaction.options.getString('severity');
    const chosen = SEVERITIES.find((severity) => severity === value) ?? null;
    await interaction.showModal(bugModal(interaction.locale, undefined, chosen));
  }

  private async onBugEdit(interaction: ButtonInteraction): Promise<void> {
    const draft = await this.options.community.bugDraft(interaction.customId.slice(BUG_EDIT_PREFIX.length));
    // A severity the member had right (chosen, or typed in either language) is not asked again.
    const chosen = draft ? parseSeverity(draft.severity) : null;
    await interaction.showModal(bugModal(interaction.locale, draft ?? undefined, chosen));
  }

  /** The +1 button of a feature request's post: one vote per member, told back with the count. */
  private async onVote(interaction: ButtonInteraction): Promise<void> {
    const locale = interaction.locale;
    const suffix = interaction.customId.slice(VOTE_PREFIX.length);
    // The bridge writes `flexcord:vote:<case number>`; anything else (a forged or mangled id) is
    // answered, never left to fail in the member's client.
    const caseNumber = /^[1-9]\d{0,9}$/.test(suffix) ? Number(suffix) : Number.NaN;
    if (!(caseNumber <= 2_147_483_647)) {
      await interaction.reply({ flags: MessageFlags.Ephemeral, content: t(locale, 'vote.unknownButton') });
      return;
    }
    try {
      const outcome = await this.options.community.vote(caseNumber, toDiscordUser(interaction.user));
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, outcome.counted ? 'vote.counted' : 'vote.already', { votes: outcome.votes }),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'case.notFound', { caseNumber }),
      });
    }
  }

  private async onBugSubmit(interaction: ModalSubmitInteraction, chosen: BugSeverity | null): Promise<void> {
    const { community } = this.options;
    const locale = interaction.locale;
    const form: BugForm = {
      title: field(interaction, 'title'),
      whatHappened: field(interaction, 'whatHappened'),
      steps: field(interaction, 'steps'),
      expectedVsActual: field(interaction, 'expectedVsActual'),
      severity: chosen ? severityWord(locale, chosen) : field(interaction, 'severity'),
    };
    const verdict = validateBugForm(form, locale);
    if (!verdict.ok) {
      // Keep what was typed: the edit button reopens the modal prefilled from this draft.
      await community.saveBugDraft(interaction.id, form);
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'bug.invalid', { reason: verdict.reason }),
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Primary,
                custom_id: `${BUG_EDIT_PREFIX}${interaction.id}`,
                label: t(locale, 'bug.edit'),
              },
            ],
          },
        ],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const guildId = interaction.guildId;
    if (!guildId) {
      await interaction.reply({ flags: MessageFlags.Ephemeral, content: t(locale, 'error.notInGuild') });
      return;
    }
    const channel = await this.communityChannel(guildId, this.options.bugChannelId, 'bug-report');
    if (!channel) {
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'community.noChannel', { channel: 'bug-report' }),
      });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // Open reports like this one first: the member may add themselves instead. What they typed
    // is kept as a draft, so "No, file mine" files it as it is.
    const similar = await community.similarOpenBugs(form);
    if (similar.length) {
      await community.saveBugDraft(interaction.id, form);
      await interaction.editReply(similarAnswer(interaction.id, similar, locale));
      return;
    }
    await this.fileBug(interaction, {
      interactionId: interaction.id,
      guildId,
      channelId: channel.id,
      form,
      severity: verdict.severity,
    });
  }

  /** Files a validated bug report and edits the deferred answer with its number and link. */
  private async fileBug(
    interaction: ModalSubmitInteraction | ButtonInteraction,
    input: {
      interactionId: string;
      guildId: string;
      channelId: string;
      form: BugForm;
      severity: BugSeverity;
    },
  ): Promise<void> {
    const { community } = this.options;
    const locale = interaction.locale;
    const outcome = await community.fileReport({
      interactionId: input.interactionId,
      user: toDiscordUser(interaction.user),
      locale,
      guildId: input.guildId,
      channelId: input.channelId,
      report: { type: 'bug', form: input.form, severity: input.severity },
    });
    if (!outcome) return;
    if ('cooldown' in outcome) {
      await interaction.editReply({
        content: t(locale, 'bug.cooldown', { seconds: outcome.cooldown }),
        components: [],
      });
      return;
    }
    const post = await community.waitForPost(outcome.postKey, POST_WAIT_MS);
    await interaction.editReply({
      content: post
        ? t(locale, 'bug.filed', { caseNumber: outcome.caseNumber, link: postLink(post, outcome.caseNumber) })
        : t(locale, 'bug.filedPending', { caseNumber: outcome.caseNumber }),
      components: [],
    });
  }

  /** "Add me to #12": counted on that report instead of filing a new one. */
  private async onBugJoin(interaction: ButtonInteraction): Promise<void> {
    const locale = interaction.locale;
    const caseNumber = Number(interaction.customId.slice(BUG_JOIN_PREFIX.length).split(':')[1]);
    try {
      const joined = await this.options.community.joinReport(
        caseNumber,
        toDiscordUser(interaction.user),
        locale,
      );
      const vars = {
        caseNumber,
        subject: joined.case.subject,
        reports: joined.reports,
        link: postLink(joined.case.publicPost, caseNumber),
      };
      await interaction.update({
        content: t(locale, joined.added ? 'similar.added' : 'similar.alreadyReporter', vars).trim(),
        components: [],
        allowedMentions: NO_MENTIONS,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'similar.notOpen', { caseNumber }),
      });
    }
  }

  /** "No, file mine": the kept draft is filed as it was typed. */
  private async onBugFile(interaction: ButtonInteraction): Promise<void> {
    const { community } = this.options;
    const locale = interaction.locale;
    const draftId = interaction.customId.slice(BUG_FILE_PREFIX.length);
    const form = await community.bugDraft(draftId);
    const verdict = form ? validateBugForm(form, locale) : null;
    const guildId = interaction.guildId;
    if (!form || !verdict?.ok || !guildId) {
      await interaction.reply({ flags: MessageFlags.Ephemeral, content: t(locale, 'similar.draftGone') });
      return;
    }
    const channel = await this.communityChannel(guildId, this.options.bugChannelId, 'bug-report');
    if (!channel) {
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'community.noChannel', { channel: 'bug-report' }),
      });
      return;
    }
    await interaction.deferUpdate();
    // Claimed by the modal's id: a second click files nothing more.
    await this.fileBug(interaction, {
      interactionId: draftId,
      guildId,
      channelId: channel.id,
      form,
      severity: verdict.severity,
    });
  }

  /** Moderators only: Manage Messages or a configured moderator role, checked on every use. */
  private isModerator(interaction: ChatInputCommandInteraction | ModalSubmitInteraction): boolean {
    if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)) return true;
    const member = interaction.member;
    const roles =
      member && 'roles' in member
        ? Array.isArray(member.roles)
          ? member.roles
          : [...(member as GuildMember).roles.cache.keys()]
        : [];
    return roles.some((role) => this.options.moderatorRoleIds.includes(role));
  }

  private async onNewFeature(interaction: ChatInputCommandInteraction): Promise<void> {
    if (!this.isModerator(interaction)) {
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(interaction.locale, 'feature.refused'),
      });
      return;
    }
    await interaction.showModal(featureModal(interaction.locale));
  }

  private async onFeatureSubmit(interaction: ModalSubmitInteraction): Promise<void> {
    const locale = interaction.locale;
    const guildId = interaction.guildId;
    if (!guildId || !this.isModerator(interaction)) {
      await interaction.reply({ flags: MessageFlags.Ephemeral, content: t(locale, 'feature.refused') });
      return;
    }
    const form: FeatureForm = {
      title: field(interaction, 'title'),
      description: field(interaction, 'description'),
      whyItMatters: field(interaction, 'whyItMatters'),
    };
    const channel = await this.communityChannel(guildId, this.options.featureChannelId, 'feature-request');
    if (!channel) {
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'community.noChannel', { channel: 'feature-request' }),
      });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const outcome = await this.options.community.fileReport({
      interactionId: interaction.id,
      user: toDiscordUser(interaction.user),
      locale,
      guildId,
      channelId: channel.id,
      report: { type: 'feature', form },
    });
    if (!outcome || 'cooldown' in outcome) return;
    const post = await this.options.community.waitForPost(outcome.postKey, POST_WAIT_MS);
    await interaction.editReply({
      content: post
        ? t(locale, 'feature.filed', {
            caseNumber: outcome.caseNumber,
            link: postLink(post, outcome.caseNumber),
          })
        : t(locale, 'feature.filedPending', { caseNumber: outcome.caseNumber }),
    });
  }

  /** /case: the member's own cases, or one of them with its public timeline. */
  private async onCase(interaction: ChatInputCommandInteraction): Promise<void> {
    const { community } = this.options;
    const locale = interaction.locale;
    const number = interaction.options.getInteger('number');
    if (number === null) {
      const cases = await community.memberCases(interaction.user.id);
      await interaction.reply(
        cases.length
          ? { flags: MessageFlags.Ephemeral, embeds: [memberCaseListEmbed(cases, locale)] }
          : { flags: MessageFlags.Ephemeral, content: t(locale, 'case.none') },
      );
      return;
    }
    const found = await community.memberCase(interaction.user.id, number);
    // Another member's case reads exactly like a missing one: no existence leak.
    if (!found) {
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        content: t(locale, 'case.notFound', { caseNumber: number }),
      });
      return;
    }
    const embeds = [memberCaseEmbed(found.case, found.timeline, locale)];
    const { transcripts } = this.options;
    if (!interaction.options.getBoolean('transcript') || !transcripts) {
      await interaction.reply({ flags: MessageFlags.Ephemeral, embeds });
      return;
    }
    const chats = await transcripts.ofCase(number, {
      fileLink: this.options.fileLink ?? (() => null),
      forMember: true,
    });
    if (!chats.length) {
      await interaction.reply({
        flags: MessageFlags.Ephemeral,
        embeds,
        content: t(locale, 'case.transcriptNone', { caseNumber: number }),
      });
      return;
    }
    const markdown = transcriptMarkdown({ caseNumber: number, subject: found.case.subject, chats });
    await interaction.reply({
      flags: MessageFlags.Ephemeral,
      embeds,
      content: t(locale, 'case.transcriptAttached', { caseNumber: number }),
      files: [{ attachment: Buffer.from(markdown, 'utf8'), name: `case-${number}-transcript.md` }],
    });
  }

  private async communityChannel(
    guildId: string,
    configuredId: string | undefined,
    name: string,
  ): Promise<APIChannel | null> {
    const now = Date.now();
    let cached = this.channelCache.get(guildId);
    if (!cached || cached.until < now) {
      const channels = (await this.options.rest.get(Routes.guildChannels(guildId))) as APIChannel[];
      cached = { channels, until: now + 60_000 };
      this.channelCache.set(guildId, cached);
    }
    return (
      cached.channels.find((channel) =>
        configuredId
          ? channel.id === configuredId
          : channel.name === name &&
            (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildText),
      ) ?? null
    );
  }
}

function field(interaction: ModalSubmitInteraction, id: string): string {
  try {
    return safeText(interaction.fields.getTextInputValue(id) ?? '');
  } catch {
    return '';
  }
}

/** "Is it one of these?": the similar open reports, a button to join each, and one to file anyway. */
function similarAnswer(draftId: string, similar: SimilarReport[], locale: string) {
  const lines = similar.map((report) =>
    report.url
      ? `• ${maskedLink(`#${report.caseNumber} ${report.subject}`, report.url)}`
      : `• **#${report.caseNumber}** ${report.subject}`,
  );
  return {
    content: `${t(locale, 'similar.intro')}\n${lines.join('\n')}`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          ...similar.map((report) => ({
            type: ComponentType.Button as const,
            style: ButtonStyle.Primary as const,
            custom_id: `${BUG_JOIN_PREFIX}${draftId}:${report.caseNumber}`,
            label: t(locale, 'similar.addMe', { caseNumber: report.caseNumber }),
          })),
          {
            type: ComponentType.Button as const,
            style: ButtonStyle.Secondary as const,
            custom_id: `${BUG_FILE_PREFIX}${draftId}`,
            label: t(locale, 'similar.fileMine'),
          },
        ],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}
