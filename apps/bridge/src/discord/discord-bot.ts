import { discordIdentity } from '@flexcord/contracts';
import {
  type ButtonInteraction,
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
  Routes,
} from 'discord.js';
import { BUTTON_HELPED, BUTTON_TALK_TO_AGENT } from '../bot/bot-replies.ts';
import type { ChatService, MemberMessage } from '../conversations/chat-service.ts';
import { findOpenConversation, listOpenConversations } from '../conversations/conversations-repository.ts';
import { openHandover } from '../conversations/handover.ts';
import { findMember, upsertMember } from '../conversations/members-repository.ts';
import type { Database } from '../db/database.ts';
import { claimEvent } from '../db/processed-events.ts';
import { t } from '../i18n/messages.ts';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS } from '../outbox/deliver-discord.ts';
import { discordMessageItems, twilioMessageItems } from '../outbox/outbox-items.ts';
import { enqueue } from '../outbox/outbox-repository.ts';
import { slashCommands } from './commands.ts';
import { toDiscordUser } from './discord-user.ts';

export interface DiscordBotOptions {
  token: string;
  applicationId: string;
  apiUrl: string;
  guildId?: string | undefined;
  db: Database;
  chat: ChatService;
  logger: Logger;
  kick(): void;
}

/**
 * The Discord side of the bridge: the real discord.js client on the gateway, handling /helpme,
 * the bot's buttons and members' DMs. Every handler is idempotent by Discord id, so a resumed
 * gateway replaying events changes nothing.
 */
export class DiscordBot {
  readonly client: Client;
  private readyOnce: Promise<void>;
  private readonly interactionHandlers: ((interaction: Interaction) => Promise<boolean>)[] = [];

  constructor(private readonly options: DiscordBotOptions) {
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      rest: { api: options.apiUrl },
    });
    this.readyOnce = new Promise((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    this.client.on(Events.Error, (error) => options.logger.error({ err: error }, 'discord client error'));
    this.client.on(Events.MessageCreate, (message) => this.guard('message', () => this.onMessage(message)));
    this.client.on(Events.InteractionCreate, (interaction) =>
      this.guard('interaction', () => this.onInteraction(interaction)),
    );
    // Every new gateway session (not a resume, which replays what was missed) reads the DMs again.
    this.client.on(Events.ShardReady, () => this.guard('catch-up', () => this.catchUp()));
  }

  /** Another feature's interactions (it answers true for the ones it handled). */
  addInteractionHandler(handler: (interaction: Interaction) => Promise<boolean>): void {
    this.interactionHandlers.push(handler);
  }

  get rest() {
    return this.client.rest;
  }

  get isReady(): boolean {
    return this.client.isReady();
  }

  async start(): Promise<void> {
    await this.client.login(this.options.token);
    await this.readyOnce;
  }

  async registerCommands(): Promise<void> {
    const { applicationId, guildId } = this.options;
    const route = guildId
      ? Routes.applicationGuildCommands(applicationId, guildId)
      : Routes.applicationCommands(applicationId);
    await this.client.rest.put(route, { body: slashCommands() });
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  private guard(what: string, work: () => Promise<unknown>): void {
    work().catch((error: unknown) =>
      this.options.logger.error({ err: error, what }, 'discord handler failed'),
    );
  }

  private async onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.channel.type !== ChannelType.DM) return;
    await this.relay(message);
  }

  private relay(message: Message): Promise<unknown> {
    const member: MemberMessage = {
      id: message.id,
      channelId: message.channelId,
      author: toDiscordUser(message.author),
      content: message.content,
      attachments: [...message.attachments.values()].map((file) => ({
        url: file.url,
        filename: file.name,
        contentType: file.contentType ?? 'application/octet-stream',
      })),
    };
    return this.options.chat.queue.run(message.author.id, () => this.options.chat.relayMemberMessage(member));
  }

  /**
   * After (re)connecting, relays DM messages members wrote while the bridge was away: the gateway
   * does not replay them to a new session.
   */
  private async catchUp(): Promise<void> {
    for (const conversation of await listOpenConversations(this.options.db)) {
      if (!conversation.last_discord_message_id) continue;
      const channel = await this.client.channels.fetch(conversation.dm_channel_id).catch(() => null);
      if (!channel || channel.type !== ChannelType.DM) continue;
      let after = conversation.last_discord_message_id;
      let relayed = 0;
      for (;;) {
        const page = await channel.messages.fetch({ after, limit: 100, cache: false });
        const ordered = [...page.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
        for (const message of ordered) {
          if (message.author.bot) continue;
          await this.relay(message);
          relayed += 1;
        }
        if (page.size < 100 || !ordered.length) break;
        after = ordered[ordered.length - 1]!.id;
      }
      if (relayed)
        this.options.logger.info({ conversationSid: conversation.sid, count: relayed }, 'caught up on DMs');
    }
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    for (const handler of this.interactionHandlers) if (await handler(interaction)) return;
    if (interaction.isChatInputCommand() && interaction.commandName === 'helpme')
      return this.onHelpme(interaction);
    if (interaction.isButton() && interaction.customId === BUTTON_TALK_TO_AGENT)
      return this.onTalkToAgent(interaction);
    if (interaction.isButton() && interaction.customId === BUTTON_HELPED) return this.onHelped(interaction);
  }

  private async claim(key: string): Promise<boolean> {
    return this.options.db.transaction((tx) => claimEvent(tx, key));
  }

  /** /helpme: open (or reuse) the member's chat and greet them in a DM; say so ephemerally. */
  private async onHelpme(interaction: ChatInputCommandInteraction): Promise<void> {
    if (!(await this.claim(`discord:interaction:${interaction.id}`))) return;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const user = toDiscordUser(interaction.user);
    const locale = interaction.locale;
    const topic = interaction.options.getString('topic');
    const reply = await this.options.chat.queue.run(user.id, async () => {
      await upsertMember(this.options.db, user, locale);
      const dm = await interaction.user.createDM();
      try {
        await dm.send({
          content: topic
            ? t(locale, 'helpme.greetingTopic', { name: user.displayName, topic })
            : t(locale, 'helpme.greeting', { name: user.displayName }),
          allowedMentions: NO_MENTIONS,
          nonce: `hm${interaction.id}`.slice(0, 25),
          enforceNonce: true,
        });
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === 50007) return t(locale, 'helpme.dmClosed');
        throw error;
      }
      const { conversation, created } = await this.options.chat.ensureChat({
        user,
        dmChannelId: dm.id,
        guildId: interaction.guildId,
        locale,
        topic,
      });
      if (created && conversation.case_number) {
        await this.options.db.transaction((tx) =>
          enqueue(
            tx,
            discordMessageItems(`helpme:${interaction.id}:linked`, {
              channelId: dm.id,
              content: t(locale, 'helpme.linkedCase', { caseNumber: conversation.case_number! }),
            }),
          ),
        );
        this.options.kick();
      }
      return t(locale, 'helpme.dmSent');
    });
    await interaction.editReply({ content: reply });
  }

  /** "Talk to an agent": open the handover and post the request into the chat so the flow sends it to Flex. */
  private async onTalkToAgent(interaction: ButtonInteraction): Promise<void> {
    const key = `discord:interaction:${interaction.id}`;
    await interaction.update({ components: [] });
    const user = toDiscordUser(interaction.user);
    await this.options.chat.queue.run(user.id, async () => {
      const { conversation: open } = await this.options.chat.ensureChat({
        user,
        dmChannelId: interaction.channelId,
        guildId: null,
        locale: interaction.locale,
      });
      await this.options.db.transaction(async (tx) => {
        if (!(await claimEvent(tx, key))) return;
        const conversation = await findOpenConversation(tx, user.id);
        const member = await findMember(tx, user.id);
        if (!conversation || !member || conversation.sid !== open.sid) return;
        const locale = conversation.locale ?? interaction.locale;
        if (conversation.phase === 'handover' || conversation.phase === 'queued') {
          await enqueue(
            tx,
            discordMessageItems(`${key}:waiting`, {
              channelId: conversation.dm_channel_id,
              content: t(locale, 'handover.alreadyWaiting', { caseNumber: conversation.case_number ?? '?' }),
            }),
          );
          return;
        }
        if (conversation.phase !== 'bot') return;
        await openHandover(tx, { conversation, member, source: 'button', phase: 'handover', eventKey: key });
        await enqueue(
          tx,
          twilioMessageItems(`${key}:request`, {
            conversationSid: conversation.sid,
            author: discordIdentity(user.id),
            body: t(locale, 'handover.request'),
            attributes: { handover: { source: 'button' } },
          }),
        );
      });
      this.options.kick();
    });
  }

  private async onHelped(interaction: ButtonInteraction): Promise<void> {
    await interaction.update({ components: [] });
    await interaction.followUp({
      content: t(interaction.locale, 'bot.thanks'),
      allowedMentions: NO_MENTIONS,
    });
  }
}
