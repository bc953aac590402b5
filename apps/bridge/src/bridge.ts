import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioClientOptions } from '@flexcord/twilio-client';
import type { Express } from 'express';
import twilio from 'twilio';
import { discordAnnouncementLook } from './adapters/discord/announcement-embed.ts';
import { checkAnnouncementsChannel } from './adapters/discord/announcements-channel-check.ts';
import { discordAnswerLook } from './adapters/discord/answer-look.ts';
import { CommunityInteractions } from './adapters/discord/community-interactions.ts';
import {
  createCasePostCloseDeliverer,
  createCasePostDeliverer,
  createCasePostUpdateDeliverer,
} from './adapters/discord/deliver-case-post.ts';
import { createDiscordDeliverer } from './adapters/discord/deliver-discord.ts';
import {
  createDiscordMessageDeleteDeliverer,
  createDiscordMessageEditDeliverer,
} from './adapters/discord/deliver-message-edits.ts';
import { DiscordBot } from './adapters/discord/discord-bot.ts';
import { PrivacyInteractions } from './adapters/discord/privacy-interactions.ts';
import { closedDmFallback } from './adapters/discord/private-threads.ts';
import { SurveyInteractions } from './adapters/discord/survey-interactions.ts';
import { discordSurveyLook } from './adapters/discord/survey-look.ts';
import { OpenAiEmbeddings } from './adapters/embeddings/openai-embeddings.ts';
import { createApp } from './adapters/http/app.ts';
import { FileLinks, fileLinkRoutes } from './adapters/http/file-links.ts';
import { ingestRoutes } from './adapters/http/ingest-routes.ts';
import { createMetrics, type Metrics } from './adapters/http/metrics.ts';
import { pluginApiRoutes } from './adapters/http/plugin-api-routes.ts';
import { webhookRoutes } from './adapters/http/webhook-routes.ts';
import { OUTBOX_KINDS } from './adapters/outbox-kinds.ts';
import { ConversationEvents } from './adapters/twilio/conversation-events.ts';
import {
  createInteractionCloseDeliverer,
  createInteractionTransferDeliverer,
  createTaskAttributesDeliverer,
  createTaskCompleteDeliverer,
} from './adapters/twilio/deliver-flex.ts';
import { createTriageTaskDeliverer } from './adapters/twilio/deliver-triage-task.ts';
import {
  createTwilioAttributesDeliverer,
  createTwilioMessageDeliverer,
  createTwilioMessageRemoveDeliverer,
  createTwilioMessageUpdateDeliverer,
} from './adapters/twilio/deliver-twilio.ts';
import { FlexTokenValidator } from './adapters/twilio/flex-token-validator.ts';
import { createQueueStandings } from './adapters/twilio/queue-standings.ts';
import { TwilioConversations } from './adapters/twilio/twilio-conversations.ts';
import { type Config, configSecrets } from './config.ts';
import { loadAnnouncementsConfig } from './domain/announcements/announcements-config.ts';
import { AnnouncementsService } from './domain/announcements/announcements-service.ts';
import { CannedRepliesService } from './domain/canned-replies/canned-replies-service.ts';
import { CaseService } from './domain/cases/case-service.ts';
import { AgentMessages } from './domain/chat/agent-messages.ts';
import { ChatLifecycle } from './domain/chat/chat-lifecycle.ts';
import { ChatSurvey } from './domain/chat/chat-survey.ts';
import { ChatTranscripts } from './domain/chat/chat-transcripts.ts';
import { DeliveryFailures } from './domain/chat/delivery-failures.ts';
import { MemberMessages } from './domain/chat/member-messages.ts';
import { MessageEdits } from './domain/chat/message-edits.ts';
import { SupportHours } from './domain/chat/support-hours.ts';
import { WaitingRoom } from './domain/chat/waiting-room.ts';
import { CommunityService } from './domain/community/community-service.ts';
import { postFollowsItsCase } from './domain/community/public-posts.ts';
import { SupervisorFiguresService } from './domain/figures/supervisor-figures.ts';
import { ApertiumTranslator, type ArticleTranslator } from './domain/kb/article-translator.ts';
import { KbService } from './domain/kb/kb-service.ts';
import type { SemanticStage } from './domain/kb/semantic-stage.ts';
import { PrivacyService } from './domain/privacy/privacy-service.ts';
import { Retention } from './domain/privacy/retention.ts';
import { HelpTopics } from './domain/topics/help-topics.ts';
import { BotService } from './domain/virtual-agent/bot-service.ts';
import { type Database, openDatabase } from './infrastructure/db/database.ts';
import { migrate } from './infrastructure/db/migrate.ts';
import { findExportFile } from './infrastructure/db/privacy-repository.ts';
import { TableMaintenance } from './infrastructure/db/table-maintenance.ts';
import { createLogger, type Logger, redactSecrets } from './infrastructure/logger.ts';
import { typedDeliverers } from './infrastructure/outbox/deliverers.ts';
import { Outbox } from './infrastructure/outbox/outbox.ts';
import { countDeadLetters, releaseOrphanedLeases } from './infrastructure/outbox/outbox-repository.ts';
import { OutboxWorker } from './infrastructure/outbox/outbox-worker.ts';

/** How long readiness waits for the database before it answers 503 (probes give up at ~1 s). */
const READINESS_DB_TIMEOUT_MS = 500;
/**
 * The most header bytes a request may carry (Node's default is 16 KiB): the longest Flex token
 * (`MAX_FLEX_TOKEN_LENGTH`, 8 KiB) and 2 KiB for the rest. Node's parser answers a request past
 * it 431 before any of it becomes a JavaScript string: a flood of oversized tokens would otherwise
 * be copied into the heap several times over per request only to be refused, and V8 lets that
 * garbage pile up (+100–150 MiB of RSS under 50 senders of 12 KB tokens) before a full GC.
 */
const MAX_REQUEST_HEADER_BYTES = 10 * 1024;

export interface BridgeOptions {
  logger?: Logger;
  /** An already-open database (tests share one across restarts); else opened from the config. */
  db?: Database;
  /** Register the slash commands at start (provisioning does it too). Default true. */
  registerCommands?: boolean;
  /** Watch `KB_DIR` and reload on change. Default true outside tests. */
  watchKb?: boolean;
  outbox?: { pollIntervalMs?: number; concurrency?: number; leaseMs?: number };
  /** What "now" is for the support hours and queue notices (tests move it). Default: the wall clock. */
  now?: () => Date;
  /** How often the embedded database's tables are checked for analyze and vacuum. Default 60 s. */
  maintenance?: { intervalMs?: number };
}

export interface RunningBridge {
  url: string;
  port: number;
  /** The HTTP app (its routes are walked by the plugin API's access test). */
  app: Express;
  db: Database;
  kb: KbService;
  cannedReplies: CannedRepliesService;
  cases: CaseService;
  announcements: AnnouncementsService | null;
  discord: DiscordBot;
  outbox: OutboxWorker;
  /** The embedded database's analyze and vacuum (a Postgres server's autovacuum does it there). */
  maintenance: TableMaintenance | null;
  /** Deliveries given up on: listed and replayed by operators (`npm run outbox`). */
  deadLetters: DeliveryFailures;
  metrics: Metrics;
  logger: Logger;
  /** Stops taking work, lets in-flight deliveries finish, closes connections. */
  stop(): Promise<void>;
}

/**
 * Starts the bridge: storage (migrated), the KB, the outbox worker, the Discord gateway and the
 * HTTP server for Twilio's webhooks and the plugin API.
 */
export async function startBridge(config: Config, options: BridgeOptions = {}): Promise<RunningBridge> {
  redactSecrets(configSecrets(config));
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const ownsDb = !options.db;
  const db =
    options.db ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      pgliteDir: config.PGLITE_DIR,
      onConnectionError: (error, context) => logger.warn({ err: error }, context),
    }));
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const maintenance =
    db.kind === 'pglite'
      ? new TableMaintenance({ db, logger, intervalMs: options.maintenance?.intervalMs ?? 60_000 })
      : null;
  const kb = new KbService(db, config.KB_DIR, logger, {
    translator: kbTranslator(config.KB_TRANSLATION, logger),
    semantic: kbSemanticStage(config, logger),
  });
  const figures = new SupervisorFiguresService(db, kb);
  const metrics = createMetrics({
    deadLetters: () => countDeadLetters(db),
    figures: (days) => figures.figures(days),
  });
  await kb.reload();
  const cannedReplies = new CannedRepliesService(db, config.CANNED_REPLIES_DIR, logger);
  await cannedReplies.seedFromFiles();
  if (options.watchKb ?? config.NODE_ENV !== 'test') kb.watch();

  const client = twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, {
    // A request gives up after 15 s: a post whose attempt stopped saying it is in flight (its
    // process died) is over before the 30 s a later attempt waits (outbox/post-intent.ts).
    ...twilioClientOptions(config.TWILIO_API_BASE_URL, { autoRetry: true, maxRetries: 5, timeout: 15_000 }),
  });
  const base = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const conversations = new TwilioConversations({
    client,
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    serviceSid: config.TWILIO_CONVERSATIONS_SERVICE_SID,
    webhookUrl: `${base}/webhooks/twilio/conversations`,
    flowSid: config.TWILIO_STUDIO_FLOW_SID,
    timers: {
      inactive: config.TWILIO_CONVERSATION_INACTIVE_TIMER,
      closed: config.TWILIO_CONVERSATION_CLOSED_TIMER,
    },
    apiBaseUrl: config.TWILIO_API_BASE_URL,
  });

  const outbox = new Outbox(OUTBOX_KINDS);
  const cases = new CaseService({ db, outbox });
  const deliveryFailures = new DeliveryFailures({ db, outbox, cases });
  const now = options.now ?? (() => new Date());
  const hours = new SupportHours(config.SUPPORT_HOURS, config.SUPPORT_HOURS_OVERRIDE);
  const topics = new HelpTopics(config.HELP_TOPICS);
  const topicHours = new Map(
    topics.list.flatMap((topic) =>
      topic.routing?.supportHours
        ? [[topic.id, new SupportHours(topic.routing.supportHours, config.SUPPORT_HOURS_OVERRIDE)] as const]
        : [],
    ),
  );
  const survey = new ChatSurvey({
    db,
    look: discordSurveyLook,
    outbox,
    cases,
    enabled: config.SURVEY === 'on',
    expiryMinutes: config.SURVEY_EXPIRY_MINUTES,
    now,
  });
  const transcripts = new ChatTranscripts({
    db,
    channel: conversations,
    logger,
    retentionDays: config.TRANSCRIPT_RETENTION_DAYS,
    now,
  });
  const privacy = new PrivacyService({
    db,
    outbox,
    cases,
    hashKey: config.TWILIO_AUTH_TOKEN,
    requestsPerWindow: config.PRIVACY_REQUESTS_PER_WINDOW,
    windowHours: config.PRIVACY_WINDOW_HOURS,
    now,
  });
  const retention = new Retention({
    db,
    logger,
    transcripts,
    privacy,
    caseRetentionDays: config.CASE_RETENTION_DAYS,
    fileRetentionDays: config.FILE_RETENTION_DAYS,
    intervalMs: config.TRANSCRIPT_PURGE_INTERVAL_SECONDS * 1000,
    now,
  });
  const fileLinks = new FileLinks(config.TWILIO_AUTH_TOKEN, config.PUBLIC_BASE_URL);
  const lifecycle = new ChatLifecycle({
    db,
    outbox,
    channel: conversations,
    cases,
    logger,
    hours,
    topicHours,
    now,
    queueUpdateMs: config.QUEUE_UPDATE_SECONDS * 1000,
    survey,
  });
  const waitingRoom = new WaitingRoom({
    db,
    lifecycle,
    // One statistics read per queue and pass of the waiting room, however many wait in it.
    standings: createQueueStandings(client, { cacheMs: (config.QUEUE_POLL_SECONDS * 1000) / 2 }),
    logger,
    now,
    intervalMs: config.QUEUE_POLL_SECONDS * 1000,
  });
  const memberMessages = new MemberMessages({ db, outbox, lifecycle });
  const agentMessages = new AgentMessages({
    db,
    outbox,
    channel: conversations,
    lifecycle,
    logger,
    ...(config.AGENT_AUTHOR_FORMAT.trim()
      ? {
          agentAuthor: {
            format: config.AGENT_AUTHOR_FORMAT,
            brand: (guildId: string | null) =>
              config.BRAND_NAME ?? (guildId ? discord.guildName(guildId) : null) ?? 'Support',
          },
        }
      : {}),
    discordUploadLimitBytes: Math.round(config.DISCORD_UPLOAD_LIMIT_MB * 1024 * 1024),
  });
  const edits = new MessageEdits({ db, outbox });
  const discord = new DiscordBot({
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    apiUrl: config.DISCORD_API_URL,
    cdnUrl: config.DISCORD_CDN_URL,
    guildId: config.DISCORD_GUILD_ID,
    shardCount: config.DISCORD_SHARD_COUNT,
    shardPollMs: config.DISCORD_SHARD_POLL_SECONDS * 1000,
    brandName: config.BRAND_NAME,
    topics,
    chatThreads: config.CHAT_THREADS,
    helpChannelId: config.HELP_CHANNEL_ID,
    db,
    lifecycle,
    memberMessages,
    edits,
    logger,
  });
  const worker = new OutboxWorker({
    db,
    logger,
    ...options.outbox,
    deliverers: typedDeliverers(OUTBOX_KINDS, {
      'discord.message': createDiscordDeliverer(
        discord.rest,
        { twilio: conversations, exports: (exportId) => findExportFile(db, exportId) },
        config.CHAT_THREADS !== 'off' && config.HELP_CHANNEL_ID
          ? {
              closedDms: closedDmFallback({
                rest: discord.rest,
                lifecycle,
                helpChannelId: config.HELP_CHANNEL_ID,
                logger,
              }),
            }
          : {},
      ),
      'twilio.message': createTwilioMessageDeliverer(conversations, db),
      'twilio.conversation-attributes': createTwilioAttributesDeliverer(conversations, db),
      'discord.case-post': createCasePostDeliverer(discord.rest, cases, config.FORUM_TAGS),
      'discord.case-post-update': createCasePostUpdateDeliverer(discord.rest, cases, config.FORUM_TAGS),
      'discord.case-post-close': createCasePostCloseDeliverer(discord.rest, cases, config.FORUM_TAGS),
      'twilio.message-update': createTwilioMessageUpdateDeliverer(conversations, db),
      'twilio.message-remove': createTwilioMessageRemoveDeliverer(conversations, db),
      'discord.message-edit': createDiscordMessageEditDeliverer(discord.rest, db),
      'discord.message-delete': createDiscordMessageDeleteDeliverer(discord.rest, db),
      'twilio.task-complete': createTaskCompleteDeliverer(client),
      'twilio.interaction-close': createInteractionCloseDeliverer(client),
      'twilio.interaction-transfer': createInteractionTransferDeliverer(client),
      'twilio.triage-task': createTriageTaskDeliverer(client, cases),
      'twilio.task-attributes': createTaskAttributesDeliverer(client),
      'twilio.transcript-keep': (payload) => transcripts.keep(payload.conversationSid),
    }),
    onDelivered: (row, _ms) => {
      metrics.deliveries.inc({ kind: row.kind, result: 'delivered' });
      metrics.deliveryLatency.observe(
        { kind: row.kind },
        (Date.now() - new Date(row.created_at).getTime()) / 1000,
      );
    },
    onDeadLetter: (tx, row, error) => deliveryFailures.deadLettered(tx, row, error),
    onFailed: (row, _error, final) =>
      metrics.deliveries.inc({ kind: row.kind, result: final ? 'dead' : 'retry' }),
  });
  outbox.onEnqueued((stream) => worker.kick(stream));
  const bot = new BotService({ db, kb, outbox, lifecycle, look: discordAnswerLook(topics), topics });
  const events = new ConversationEvents({ lifecycle, agentMessages, edits });
  cases.onChange(postFollowsItsCase(outbox));
  const community = new CommunityService({
    db,
    outbox,
    cases,
    kb,
    triage:
      config.TRIAGE_ROUTING === 'task' && config.TRIAGE_WORKSPACE_SID && config.TRIAGE_WORKFLOW_SID
        ? {
            workspaceSid: config.TRIAGE_WORKSPACE_SID,
            workflowSid: config.TRIAGE_WORKFLOW_SID,
            taskChannel: config.TRIAGE_TASK_CHANNEL,
          }
        : undefined,
    bugCooldownSeconds: config.BUG_COOLDOWN_SECONDS,
  });
  const communityInteractions = new CommunityInteractions({
    community,
    rest: discord.rest,
    moderatorRoleIds: config.MODERATOR_ROLE_IDS,
    bugChannelId: config.BUG_REPORT_CHANNEL_ID,
    featureChannelId: config.FEATURE_REQUEST_CHANNEL_ID,
    transcripts,
    fileLink: (mediaSid) => fileLinks.link(mediaSid),
  });
  discord.addInteractionHandler((interaction) => communityInteractions.handle(interaction));
  const privacyInteractions = new PrivacyInteractions(privacy, logger);
  discord.addInteractionHandler((interaction) => privacyInteractions.handle(interaction));
  const surveyInteractions = new SurveyInteractions(survey);
  discord.addInteractionHandler((interaction) => surveyInteractions.handle(interaction));
  const tokens = new FlexTokenValidator({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    apiBaseUrl: config.TWILIO_API_BASE_URL,
    cacheSeconds: config.FLEX_TOKEN_CACHE_SECONDS,
  });

  const announcementsConfig = config.ANNOUNCEMENTS_CONFIG
    ? loadAnnouncementsConfig(config.ANNOUNCEMENTS_CONFIG)
    : null;
  const announcements = announcementsConfig
    ? new AnnouncementsService({
        db,
        logger,
        outbox,
        look: discordAnnouncementLook,
        config: announcementsConfig,
      })
    : null;

  // Ready only once everything below has started (commands registered, feeds running).
  let started = false;
  const app = createApp({
    logger,
    metrics,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    routers: [
      webhookRoutes({
        authToken: config.TWILIO_AUTH_TOKEN,
        publicBaseUrl: config.PUBLIC_BASE_URL,
        bot,
        events,
        metrics,
      }),
      pluginApiRoutes({
        cases,
        kb,
        tokens,
        corsOrigins: config.CORS_ORIGINS,
        lifecycle,
        dispositions: config.WRAPUP_DISPOSITIONS,
        supervisorRoles: config.SUPERVISOR_ROLES,
        figures,
        authFailuresPerMinute: config.API_AUTH_FAILURES_PER_MINUTE,
        authTrackedAddresses: config.API_AUTH_TRACKED_ADDRESSES,
        transcripts,
        fileLinks,
        cannedReplies,
        privacy,
        privacyAdminRoles: config.PRIVACY_ADMIN_ROLES,
      }),
      fileLinkRoutes({ links: fileLinks, download: (mediaSid) => conversations.downloadMedia(mediaSid) }),
      ...(announcements && config.ANNOUNCEMENTS_INGEST_SECRET
        ? [
            ingestRoutes({
              secret: config.ANNOUNCEMENTS_INGEST_SECRET,
              now: () => new Date(),
              ingest: (item) => announcements.ingest(item),
            }),
          ]
        : []),
    ],
    readiness: async () => {
      // Within a probe's patience even while the database hangs.
      const database = await db.ping(READINESS_DB_TIMEOUT_MS);
      const checks = { database, discord: discord.isReady, started, shards: discord.shards };
      return { ready: database && discord.isReady && started, checks };
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = createServer({ maxHeaderSize: MAX_REQUEST_HEADER_BYTES }, app);
    listening.once('error', reject);
    listening.listen(config.PORT, config.HOST, () => {
      listening.off('error', reject);
      resolve(listening);
    });
  });
  const port = (server.address() as AddressInfo).port;

  if (db.kind === 'pglite') await releaseOrphanedLeases(db);
  worker.start();
  const caughtUp = await agentMessages.catchUp();
  if (caughtUp) logger.info({ caughtUp }, 'relayed Twilio events missed while away');
  await discord.start();
  if (options.registerCommands ?? true) await discord.registerCommands();
  if (announcements && announcementsConfig) {
    announcements.start();
    const problems = await checkAnnouncementsChannel(
      discord.rest,
      config.DISCORD_GUILD_ID,
      announcementsConfig.channel,
      { botUserId: config.DISCORD_APPLICATION_ID, moderatorRoleIds: config.MODERATOR_ROLE_IDS },
    ).catch((error: unknown) => [`could not check the announcements channel: ${String(error)}`]);
    for (const problem of problems) logger.warn({ problem }, 'announcements channel is not team-only');
  }
  waitingRoom.start();
  retention.start();
  maintenance?.start();
  started = true;
  logger.info({ port, publicBaseUrl: config.PUBLIC_BASE_URL }, 'bridge started');

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    db,
    kb,
    cannedReplies,
    cases,
    announcements,
    discord,
    outbox: worker,
    maintenance,
    deadLetters: deliveryFailures,
    metrics,
    logger,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await waitingRoom.stop();
      retention.stop();
      await maintenance?.stop();
      await discord.stop();
      await announcements?.stop();
      await worker.stop();
      kb.close();
      if (ownsDb) await db.close();
    },
  };
}

/** The KB's semantic stage: the brand's embeddings service when configured, else none. */
function kbSemanticStage(config: Config, logger: Logger): SemanticStage | null {
  if (!config.KB_EMBEDDINGS_URL || !config.KB_EMBEDDINGS_MODEL) return null;
  const embedder = new OpenAiEmbeddings({
    url: config.KB_EMBEDDINGS_URL,
    model: config.KB_EMBEDDINGS_MODEL,
    apiKey: config.KB_EMBEDDINGS_API_KEY,
    languages: config.KB_EMBEDDINGS_LANGUAGES === 'en' ? ['en'] : 'any',
  });
  logger.info({ model: embedder.model }, 'KB semantic stage on');
  return { embedder, queryTimeoutMs: config.KB_EMBEDDINGS_TIMEOUT_MS };
}

/** The KB's translation stage: apertium when installed (and not turned off), else none, said once in the log. */
function kbTranslator(setting: 'auto' | 'off', logger: Logger): ArticleTranslator | null {
  if (setting === 'off') return null;
  if (ApertiumTranslator.available()) return new ApertiumTranslator();
  logger.warn(
    'KB translation off: apertium-eng-spa is not installed (apt-get install apertium-eng-spa); each article is searched in its own language and the glossary only',
  );
  return null;
}
