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
  type ModalSubmitInteraction,
  Options,
  type PartialMessage,
  Partials,
  REST,
  Routes,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { maskedLink } from '../../domain/cases/post-link.ts';
import type { ChatLifecycle } from '../../domain/chat/chat-lifecycle.ts';
import type { MemberMessage, MemberMessages } from '../../domain/chat/member-messages.ts';
import type { MessageEdits } from '../../domain/chat/message-edits.ts';
import { ordinal, t } from '../../domain/i18n/messages.ts';
import {
  type HelpTopic,
  type HelpTopics,
  type TopicSnapshot,
  topicLanguage,
} from '../../domain/topics/help-topics.ts';
import { recordAnswerFeedback } from '../../domain/virtual-agent/kb-answer.ts';
import {
  findOpenConversation,
  listOpenConversations,
  listRecentlyClosedDmCursors,
} from '../../infrastructure/db/conversations-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import { claimEvent } from '../../infrastructure/db/processed-events.ts';
import { retryTransient } from '../../infrastructure/db/transient-errors.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';
import { safeText } from '../../infrastructure/util/safe-text.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import { answerIdOf, isHelpedButton, isTalkToAgentButton } from './answer-look.ts';
import { slashCommands } from './commands.ts';
import { toDiscordUser } from './discord-user.ts';
import { TOPIC_MENU_ID, topicFormModal, topicIdOfForm, topicMenu } from './help-topic-look.ts';
import { openChatThread } from './private-threads.ts';
import { ShardCoordinator } from './shard-coordinator.ts';

export interface DiscordBotOptions {
  token: string;
  applicationId: string;
  apiUrl: string;
  /** Discord's CDN base: where `displayAvatarURL()` and attachment links point. */
  cdnUrl: string;
  guildId?: string | undefined;
  /** Total gateway shards; default what Discord recommends (`GET /gateway/bot`). */
  shardCount?: number | undefined;
  /** How often an instance looks for shards nobody runs (another instance died). */
  shardPollMs?: number;
  /** Private chat threads: off, when DMs are closed (`fallback`), or for every chat (`always`). */
  chatThreads?: 'off' | 'fallback' | 'always';
  /** Where chat threads are opened; unset → the channel /helpme was used in. */
  helpChannelId?: string | undefined;
  /** The brand members read in the greeting; unset → the Discord server's name. */
  brandName?: string | undefined;
  /** The brand's help topics, offered by /helpme before the virtual agent (none: no menu). */
  topics?: HelpTopics;
  db: Database;
  lifecycle: ChatLifecycle;
  memberMessages: MemberMessages;
  edits: MessageEdits;
  logger: Logger;
}

/**
 * After downtime, the DMs of members without an open chat are read when their last chat closed
 * within this many days, at most this many members (newest first): two REST calls each per
 * (re)connect. A member the bridge never chatted with has no DM channel it knows: not read.
 */
const DM_CATCH_UP_DAYS = 30;
const DM_CATCH_UP_MEMBERS = 500;

/**
 * The Discord side of the bridge: real discord.js clients on the gateway (one per shard this
 * instance holds), turning /helpme, the bot's buttons and members' DMs into calls of the chat's
 * lifecycle, and one REST client for everything the bridge sends. Every handler is idempotent by
 * Discord id, so a resumed gateway replaying events changes nothing.
 */
export class DiscordBot {
  /** The REST client every outgoing call shares (one rate-limit state for the whole instance). */
  readonly rest: REST;
  private readonly clients = new Map<number, Client>();
  private coordinator: ShardCoordinator | null = null;
  private readonly interactionHandlers: ((interaction: Interaction) => Promise<boolean>)[] = [];
  /** Set while a new session's catch-up is being queued: live DMs wait for it. */
  private catchUpQueued: Promise<void> | null = null;
  /** Members whose DM is to be read again from history (`after` that message id), and how often it failed. */
  private readonly repairs = new Map<string, { channelId: string; after: string; attempt: number }>();
  private stopped = false;
  /** Private threads known to hold a member's chat (their messages are relayed like DMs). */
  private readonly chatThreads = new RecentMap<string, true>();

  constructor(private readonly options: DiscordBotOptions) {
    this.rest = new REST({ api: options.apiUrl, cdn: options.cdnUrl }).setToken(options.token);
  }

  /** A guild's name as this instance's gateway connections know it (null when none has it). */
  guildName(guildId: string): string | null {
    for (const client of this.clients.values()) {
      const guild = client.guilds.cache.get(guildId);
      if (guild) return guild.name;
    }
    return null;
  }

  /** Another feature's interactions (it answers true for the ones it handled). */
  addInteractionHandler(handler: (interaction: Interaction) => Promise<boolean>): void {
    this.interactionHandlers.push(handler);
  }

  /** Shards this instance runs now. */
  get shards(): number[] {
    return this.coordinator?.shards ?? [];
  }

  /** Every shard this instance holds is connected (an instance holding none still serves webhooks). */
  get isReady(): boolean {
    return this.coordinator !== null && [...this.clients.values()].every((client) => client.isReady());
  }

  /** Logs in the shards this instance can hold, and keeps looking for shards nobody holds. */
  async start(): Promise<void> {
    const gateway = (await this.rest.get(Routes.gatewayBot())) as { shards: number };
    const shardCount = this.options.shardCount ?? Math.max(1, gateway.shards);
    this.coordinator = new ShardCoordinator({
      db: this.options.db,
      logger: this.options.logger,
      shardCount,
      pollMs: this.options.shardPollMs ?? 5_000,
      start: (shard) => this.startShard(shard, shardCount),
      stop: (shard) => this.stopShard(shard),
    });
    await this.coordinator.start();
  }

  private async startShard(shard: number, shardCount: number): Promise<void> {
    const threads = (this.options.chatThreads ?? 'off') !== 'off';
    const client = new Client({
      // Chats in private threads are guild messages: reading them takes the Message Content intent.
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.DirectMessages,
        ...(threads ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : []),
      ],
      // Messages are not cached: edits and deletions arrive as partial messages.
      partials: [Partials.Channel, Partials.Message],
      // The bridge never reads past messages from discord.js's cache (catch-up fetches with
      // `cache: false`); by default it keeps 200 per DM channel, memory that grows with members.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      shards: [shard],
      shardCount,
      rest: { api: this.options.apiUrl, cdn: this.options.cdnUrl },
    });
    client.on(Events.Error, (error) =>
      this.options.logger.error({ err: error, shard }, 'discord client error'),
    );
    client.on(Events.MessageCreate, (message) => this.guard('message', () => this.onMessage(message)));
    client.on(Events.MessageUpdate, (_old, message) => this.guard('edit', () => this.onEdit(message)));
    client.on(Events.MessageDelete, (message) => this.guard('delete', () => this.onDelete(message)));
    client.on(Events.InteractionCreate, (interaction) =>
      this.guard('interaction', () => this.onInteraction(interaction)),
    );
    // Every new session of the DM shard (not a resume, which replays what was missed) reads the DMs again.
    // On the READY dispatch itself, before any later dispatch of the session is handled, so no live
    // DM of the new session can overtake the catch-up.
    if (shard === 0)
      client.on(Events.Raw, (packet: { t?: string | null }) => {
        if (packet.t === 'READY') this.guard('catch-up', () => this.catchUp(client));
      });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    this.clients.set(shard, client);
    await client.login(this.options.token);
    await ready;
  }

  private async stopShard(shard: number): Promise<void> {
    const client = this.clients.get(shard);
    this.clients.delete(shard);
    await client?.destroy();
  }

  async registerCommands(): Promise<void> {
    const { applicationId, guildId } = this.options;
    const route = guildId
      ? Routes.applicationGuildCommands(applicationId, guildId)
      : Routes.applicationCommands(applicationId);
    await this.rest.put(route, { body: slashCommands() });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.coordinator?.stop();
    for (const shard of [...this.clients.keys()]) await this.stopShard(shard);
  }

  private guard(what: string, work: () => Promise<unknown>): void {
    work().catch((error: unknown) =>
      this.options.logger.error({ err: error, what }, 'discord handler failed'),
    );
  }

  private async onMessage(message: Message): Promise<void> {
    if (message.author.bot) return;
    // After a new session, live DMs wait until each chat's catch-up is queued ahead of them.
    if (this.catchUpQueued) await this.catchUpQueued;
    if (message.channel.type !== ChannelType.DM && !(await this.isChatThread(message))) return;
    const member = toMemberMessage(message);
    await this.options.lifecycle.memberQueue.run(member.author.id, () => this.relayLive(member));
  }

  /** A message in a private thread that holds this member's open chat. */
  private async isChatThread(message: Message): Promise<boolean> {
    if (message.channel.type !== ChannelType.PrivateThread) return false;
    if (this.chatThreads.has(message.channelId)) return true;
    const chat = await findOpenConversation(this.options.db, message.author.id);
    if (chat?.dm_channel_id !== message.channelId) return false;
    this.chatThreads.remember(message.channelId, true);
    return true;
  }

  /** A member edited a DM message: the Conversation follows, after the message itself was relayed. */
  private async onEdit(message: Message | PartialMessage): Promise<void> {
    if (!isChatPlace(message) || message.author?.bot || !message.editedTimestamp) return;
    const authorId = message.author?.id;
    const content = message.content === null ? null : safeText(message.content);
    if (!authorId || content === null) return;
    await this.options.lifecycle.memberQueue.run(authorId, () =>
      retryTransient(() =>
        this.options.edits.memberEdited({
          discordMessageId: message.id,
          content,
          editedAt: new Date(message.editedTimestamp!).toISOString(),
        }),
      ),
    );
  }

  private async onDelete(message: Message | PartialMessage): Promise<void> {
    if (!isChatPlace(message) || message.author?.bot) return;
    await retryTransient(() => this.options.edits.memberDeleted({ discordMessageId: message.id }));
  }

  /**
   * A live DM, relayed with retries through database blips. One that still fails is not skipped:
   * the member's DM is read again from history from that message on (see {@link repair}), and
   * their later live DMs wait for that, so a chat's messages keep their order and none is lost.
   */
  private async relayLive(member: MemberMessage): Promise<void> {
    if (this.repairs.has(member.author.id)) return; // the repair reads it from history, in order
    try {
      await this.relayWithRetries(member);
    } catch (error) {
      this.options.logger.error(
        { err: error, discordUserId: member.author.id, messageId: member.id },
        'member message not relayed yet: its DM will be read again from this message on',
      );
      this.scheduleRepair(member.author.id, member.channelId, justBefore(member.id));
    }
  }

  private relayWithRetries(member: MemberMessage): Promise<unknown> {
    return retryTransient(() => this.options.memberMessages.relay(member), {
      deadlineMs: RELAY_RETRY_MS,
      onRetry: (error, attempt) =>
        this.options.logger.warn(
          { err: error, attempt, messageId: member.id },
          'member message: database busy, retrying',
        ),
    });
  }

  /**
   * Relays, in order, every member message of a DM channel after `after` (a message id), from
   * Discord's history. Throws {@link HistoryRelayError} naming where to resume if one fails.
   */
  private async relayHistory(
    client: Client,
    channelId: string,
    after: string,
    options: { dmOnly?: boolean } = {},
  ): Promise<number> {
    const channel = await client.channels.fetch(channelId).catch(() => null);
    if (!channel || (channel.type !== ChannelType.DM && channel.type !== ChannelType.PrivateThread)) return 0;
    // A closed chat's private thread is no place to start a new one from.
    if (options.dmOnly && channel.type !== ChannelType.DM) return 0;
    let relayed = 0;
    for (;;) {
      const page = await channel.messages.fetch({ after, limit: 100, cache: false });
      const ordered = [...page.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      for (const message of ordered) {
        if (message.author.bot) continue;
        try {
          await this.relayWithRetries(toMemberMessage(message));
        } catch (error) {
          throw new HistoryRelayError(justBefore(message.id), error);
        }
        relayed += 1;
      }
      if (page.size < 100 || !ordered.length) break;
      after = ordered[ordered.length - 1]!.id;
    }
    return relayed;
  }

  /** Reads a member's DM again from `after` on, soon, and again with backoff until it succeeds. */
  private scheduleRepair(userId: string, channelId: string, after: string): void {
    const current = this.repairs.get(userId);
    if (current) {
      if (BigInt(after) < BigInt(current.after)) current.after = after;
      return;
    }
    const state = { channelId, after, attempt: 0 };
    this.repairs.set(userId, state);
    const attempt = () => {
      state.attempt += 1;
      const delay = Math.min(30_000, 500 * 2 ** (state.attempt - 1));
      const timer = setTimeout(() => {
        void this.options.lifecycle.memberQueue
          .run(userId, () => this.repair(userId, state))
          .then(
            () => this.repairs.delete(userId),
            (error: unknown) => {
              if (error instanceof HistoryRelayError) state.after = error.resumeAfter;
              this.options.logger.warn({ err: error, discordUserId: userId }, 'DM repair failed, will retry');
              if (!this.stopped) attempt();
            },
          );
      }, delay);
      timer.unref();
    };
    attempt();
  }

  private async repair(userId: string, state: { channelId: string; after: string }): Promise<void> {
    const client = this.clients.get(0);
    if (!client?.isReady()) throw new Error('the DM shard is not connected');
    const relayed = await this.relayHistory(client, state.channelId, state.after);
    this.options.logger.info({ discordUserId: userId, count: relayed }, 'DM read again from history');
  }

  /**
   * After (re)connecting, relays DM messages members wrote while the bridge was away: the gateway
   * does not replay them to a new session. Each chat's catch-up runs in its member's queue, queued
   * before any live DM of the new session (they wait on {@link catchUpQueued}), so a member's
   * missed messages reach the Conversation before what they write now.
   */
  private async catchUp(client: Client): Promise<void> {
    let queued!: () => void;
    this.catchUpQueued = new Promise<void>((resolve) => {
      queued = resolve;
    });
    let conversations: Awaited<ReturnType<typeof listOpenConversations>>;
    let closed: Awaited<ReturnType<typeof listRecentlyClosedDmCursors>>;
    try {
      // Until the database answers: letting live DMs through first would skip what was missed.
      conversations = await retryTransient(() => listOpenConversations(this.options.db));
      closed = await retryTransient(() =>
        listRecentlyClosedDmCursors(this.options.db, DM_CATCH_UP_DAYS, DM_CATCH_UP_MEMBERS),
      );
    } catch (error) {
      this.catchUpQueued = null;
      queued();
      throw error;
    }
    // Members without an open chat who wrote while the bridge was away: what they wrote opens a
    // new chat, as it would have live. A bot cannot list its DM channels (READY's
    // `private_channels` and `GET /users/@me/channels` are empty for bots: discord-api-docs#615,
    // #2770), so only the DM channels of the bridge's recent chats are read.
    const reopened = closed.map((cursor) =>
      this.options.lifecycle.memberQueue
        .run(cursor.discord_user_id, () =>
          this.relayHistory(client, cursor.dm_channel_id, cursor.last_discord_message_id, { dmOnly: true }),
        )
        .then(
          (count) => {
            if (count)
              this.options.logger.info(
                { discordUserId: cursor.discord_user_id, count },
                'caught up on DMs of a member without an open chat',
              );
          },
          (error: unknown) => {
            this.options.logger.warn(
              { err: error, discordUserId: cursor.discord_user_id },
              'DM catch-up failed, will retry',
            );
            this.scheduleRepair(
              cursor.discord_user_id,
              cursor.dm_channel_id,
              error instanceof HistoryRelayError ? error.resumeAfter : cursor.last_discord_message_id,
            );
          },
        ),
    );
    const runs = conversations
      .filter((conversation) => conversation.last_discord_message_id)
      .map((conversation) =>
        this.options.lifecycle.memberQueue
          .run(conversation.discord_user_id, () =>
            this.relayHistory(client, conversation.dm_channel_id, conversation.last_discord_message_id!),
          )
          .then(
            (count) => {
              if (count)
                this.options.logger.info({ conversationSid: conversation.sid, count }, 'caught up on DMs');
            },
            (error: unknown) => {
              this.options.logger.warn(
                { err: error, conversationSid: conversation.sid },
                'DM catch-up failed, will retry',
              );
              this.scheduleRepair(
                conversation.discord_user_id,
                conversation.dm_channel_id,
                error instanceof HistoryRelayError
                  ? error.resumeAfter
                  : conversation.last_discord_message_id!,
              );
            },
          ),
      );
    this.catchUpQueued = null;
    queued();
    await Promise.all([...runs, ...reopened]);
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    for (const handler of this.interactionHandlers) if (await handler(interaction)) return;
    if (interaction.isChatInputCommand() && interaction.commandName === 'helpme')
      return this.onHelpme(interaction);
    if (interaction.isStringSelectMenu() && interaction.customId === TOPIC_MENU_ID)
      return this.onTopicPicked(interaction);
    if (interaction.isModalSubmit() && topicIdOfForm(interaction.customId) !== null)
      return this.onTopicForm(interaction, topicIdOfForm(interaction.customId)!);
    if (interaction.isButton() && isTalkToAgentButton(interaction.customId))
      return this.onTalkToAgent(interaction);
    if (interaction.isButton() && isHelpedButton(interaction.customId)) return this.onHelped(interaction);
  }

  private async claim(key: string): Promise<boolean> {
    return this.options.db.transaction((tx) => claimEvent(tx, key));
  }

  /**
   * /helpme: open (or reuse) the member's chat and greet them in a DM; say so ephemerally. With
   * help topics configured (and no free-text topic given), the reply offers them first.
   */
  private async onHelpme(interaction: ChatInputCommandInteraction): Promise<void> {
    // Each step is retried alone through a database blip: the claim, once it committed, must not
    // be taken again by a retry of the whole command (that would read as a duplicate).
    if (!(await this.claimInteraction(interaction.id))) return;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const topic = safeText(interaction.options.getString('topic') ?? '') || null;
    const topics = this.options.topics;
    const reply = await this.options.lifecycle.memberQueue.run(interaction.user.id, async () => {
      const live = await this.liveChatReply(interaction);
      if (live) return { content: live };
      if (topics?.configured && !topic) return topicMenu(topics, interaction.locale);
      return { content: await this.startChat(interaction, { topic }) };
    });
    await interaction.editReply(reply);
  }

  /** A topic picked in /helpme's menu: its canned answer, its form, or the chat about it. */
  private async onTopicPicked(interaction: StringSelectMenuInteraction): Promise<void> {
    const locale = interaction.locale;
    const topic = this.options.topics?.get(interaction.values[0]);
    if (topic?.form) {
      // A modal is the first answer to the interaction; nothing to claim (no effect before submit).
      await interaction.showModal(topicFormModal(topic, locale));
      return;
    }
    if (!(await this.claimInteraction(interaction.id))) return;
    await interaction.deferUpdate();
    if (!topic) {
      await interaction.editReply({ content: t(locale, 'topics.unknown'), components: [] });
      return;
    }
    if (topic.answer) {
      // The canned answer resolves the question: no chat, no case.
      const content = `${topic.answer[topicLanguage(locale)]}\n\n${t(locale, 'topics.answerFooter')}`;
      await interaction.editReply({ content, components: [], allowedMentions: NO_MENTIONS });
      return;
    }
    await interaction.editReply({
      content: await this.startTopicChat(interaction, topic, {}),
      components: [],
    });
  }

  /** A topic's form submitted: the chat about it, with the answers kept for the case. */
  private async onTopicForm(interaction: ModalSubmitInteraction, topicId: string): Promise<void> {
    if (!(await this.claimInteraction(interaction.id))) return;
    const locale = interaction.locale;
    if (interaction.isFromMessage()) await interaction.deferUpdate();
    else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const topics = this.options.topics;
    const topic = topics?.get(topicId);
    if (!topics || !topic) {
      await interaction.editReply({ content: t(locale, 'topics.unknown'), components: [] });
      return;
    }
    const given: Record<string, string> = {};
    for (const field of interaction.fields.fields.values())
      if ('value' in field && typeof field.value === 'string') given[field.customId] = safeText(field.value);
    const checked = topics.checkAnswers(topic, given, locale);
    if (!checked.ok) {
      await interaction.editReply({
        content: t(locale, 'topics.formInvalid', { field: checked.field }),
        components: [],
      });
      return;
    }
    await interaction.editReply({
      content: await this.startTopicChat(interaction, topic, checked.answers),
      components: [],
    });
  }

  private startTopicChat(
    interaction: HelpInteraction,
    topic: HelpTopic,
    answers: Record<string, string>,
  ): Promise<string> {
    const topics = this.options.topics!;
    const about = {
      topic: topic.label[topicLanguage(interaction.locale)],
      helpTopic: topics.snapshot(topic, answers),
    };
    return this.options.lifecycle.memberQueue.run(interaction.user.id, async () => {
      const live = await this.liveChatReply(interaction);
      if (live) return live;
      // A chat with the bot already open: it is about this topic from now on.
      const noted = await retryTransient(() =>
        this.options.lifecycle.chooseTopic(interaction.user.id, about),
      );
      // Picked in the chat itself (the bot offered the topics there): say so there, no second greeting.
      if (noted?.dmChannelId === interaction.channelId)
        return t(interaction.locale, 'topics.noted', { topic: about.topic });
      return this.startChat(interaction, about);
    });
  }

  private claimInteraction(id: string): Promise<boolean> {
    return retryTransient(() => this.claim(`discord:interaction:${id}`), {
      deadlineMs: INTERACTION_RETRY_MS,
    });
  }

  /** Where the member's live chat with a person is (or that they wait for one), or null when none. */
  private async liveChatReply(interaction: HelpInteraction): Promise<string | null> {
    const locale = interaction.locale;
    const live = await this.options.lifecycle.liveChat(interaction.user.id);
    if (!live) return null;
    // The chat lives in the member's DM or in a private thread of the server: point to that one.
    const inThread = await this.isThread(interaction, live.dmChannelId);
    const link = inThread
      ? `<#${live.dmChannelId}>`
      : maskedLink(t(locale, 'helpme.dmLink'), `https://discord.com/channels/@me/${live.dmChannelId}`);
    const agent = live.agent ?? t(locale, 'helpme.anAgent');
    const caseNumber = live.caseNumber ?? '?';
    if (live.phase === 'agent')
      return t(locale, inThread ? 'helpme.withAgentThread' : 'helpme.withAgent', { agent, link });
    const waiting = t(locale, inThread ? 'helpme.waitingThread' : 'helpme.waiting', { caseNumber, link });
    return live.position
      ? `${waiting}\n${t(locale, 'queue.position', { ordinal: ordinal(locale, live.position), position: live.position })}`
      : waiting;
  }

  /**
   * Opens (or reuses) the member's chat in their DM or a private thread and greets them there;
   * returns the ephemeral reply. Runs in the member's queue.
   */
  private async startChat(
    interaction: HelpInteraction,
    about: { topic: string | null; helpTopic?: TopicSnapshot },
  ): Promise<string> {
    const user = toDiscordUser(interaction.user);
    const locale = interaction.locale;
    const { topic } = about;
    const greeting = {
      content: topic
        ? t(locale, 'helpme.greetingTopic', { name: user.displayName, topic })
        : t(locale, 'helpme.greeting', {
            name: user.displayName,
            brand: this.options.brandName ?? interaction.guild?.name ?? 'Flexcord',
          }),
      allowed_mentions: NO_MENTIONS,
      nonce: `hm${interaction.id}`.slice(0, 25),
      enforce_nonce: true,
    };
    const start = (dmChannelId: string, thread?: { reason: 'dms_closed' | 'configured' }) =>
      retryTransient(() =>
        this.options.lifecycle.startFromHelpme({
          interactionId: interaction.id,
          user,
          dmChannelId,
          guildId: interaction.guildId,
          locale,
          topic,
          ...(about.helpTopic ? { helpTopic: about.helpTopic } : {}),
          ...(thread ? { thread } : {}),
        }),
      );
    const threads = this.options.chatThreads ?? 'off';
    if (threads !== 'always') {
      const dm = await interaction.user.createDM();
      try {
        await this.rest.post(Routes.channelMessages(dm.id), { body: greeting });
        await start(dm.id);
        return t(locale, 'helpme.dmSent');
      } catch (error) {
        if (!(error instanceof DiscordAPIError && error.code === 50007)) throw error;
        if (threads === 'off') return t(locale, 'helpme.dmClosed');
      }
    }
    const reason = threads === 'always' ? 'configured' : 'dms_closed';
    const parent = this.options.helpChannelId ?? interaction.channelId;
    let threadId: string;
    try {
      if (!parent) throw new Error('no channel to open a thread in');
      threadId = await openChatThread(this.rest, {
        parentChannelId: parent,
        userId: user.id,
        name: `Support · ${user.displayName}`,
      });
    } catch (error) {
      this.options.logger.warn({ err: error, channelId: parent }, 'could not open a private chat thread');
      return t(locale, 'helpme.threadUnavailable');
    }
    this.chatThreads.remember(threadId, true);
    await this.rest.post(Routes.channelMessages(threadId), { body: greeting });
    await start(threadId, { reason });
    return t(locale, reason === 'configured' ? 'helpme.threadSent' : 'helpme.threadDmsClosed', {
      channel: threadId,
    });
  }

  /** Whether a chat's channel is a (private) thread rather than a DM; asked of Discord, cached by discord.js. */
  private async isThread(interaction: HelpInteraction, channelId: string): Promise<boolean> {
    if (this.chatThreads.has(channelId)) return true;
    const channel = await interaction.client.channels.fetch(channelId).catch(() => null);
    return channel?.isThread() ?? false;
  }

  /** "Talk to an agent": the chat's lifecycle opens the handover. */
  private async onTalkToAgent(interaction: ButtonInteraction): Promise<void> {
    await interaction.update({ components: [] });
    await recordAnswerFeedback(this.options.db, answerIdOf(interaction.customId), 'agent');
    const user = toDiscordUser(interaction.user);
    // Claimed inside its transaction: a retry after one that committed changes nothing.
    await this.options.lifecycle.memberQueue.run(user.id, () =>
      retryTransient(() =>
        this.options.lifecycle.requestAgentByButton({
          eventKey: `discord:interaction:${interaction.id}`,
          user,
          dmChannelId: interaction.channelId,
          locale: interaction.locale,
        }),
      ),
    );
  }

  private async onHelped(interaction: ButtonInteraction): Promise<void> {
    await interaction.update({ components: [] });
    const language = await recordAnswerFeedback(this.options.db, answerIdOf(interaction.customId), 'helped');
    await interaction.followUp({
      content: t(language ?? interaction.locale, 'bot.thanks'),
      allowedMentions: NO_MENTIONS,
    });
  }
}

/** The interactions that start a chat: /helpme, a topic picked in its menu, a topic's form. */
type HelpInteraction = ChatInputCommandInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

/** Discord wants a first answer to an interaction within 3 s: the claim before it may retry this long. */
const INTERACTION_RETRY_MS = 2_000;

/** How long a DM's relay waits out a database blip before its chat is repaired from history instead. */
const RELAY_RETRY_MS = 20_000;

/**
 * Where a member's chat can be: their DM or a private thread. An edit or deletion elsewhere, or of a
 * message never relayed, finds no relayed copy and changes nothing.
 */
function isChatPlace(message: Message | PartialMessage): boolean {
  return message.channel.type === ChannelType.DM || message.channel.type === ChannelType.PrivateThread;
}

/** The id just before `id`: reading history `after` it starts with that message. */
function justBefore(id: string): string {
  return (BigInt(id) - 1n).toString();
}

function toMemberMessage(message: Message): MemberMessage {
  return {
    id: message.id,
    channelId: message.channelId,
    author: toDiscordUser(message.author),
    content: safeText(message.content),
    attachments: [...message.attachments.values()].map((file) => ({
      url: file.url,
      filename: safeText(file.name),
      contentType: file.contentType ?? 'application/octet-stream',
    })),
  };
}

/** A history read stopped at a message it could not relay; `resumeAfter` reads from that one on. */
class HistoryRelayError extends Error {
  constructor(
    readonly resumeAfter: string,
    cause: unknown,
  ) {
    super(`relaying from history stopped: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'HistoryRelayError';
  }
}
