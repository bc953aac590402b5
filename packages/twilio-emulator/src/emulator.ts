import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { EmulatorClock } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import { controlRouter, EmulatorControl } from './control.ts';
import { ConversationsService, conversationsRouter } from './conversations.ts';
import { notFound, twilioErrorMiddleware } from './errors.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { basicAuth } from './http.ts';
import { FlexTokenService, iamRouter } from './iam.ts';
import { InteractionsService, interactionsRouter } from './interactions.ts';
import { MediaService, mcsAuth, mcsCors, mediaRouter } from './media.ts';
import { mountPluginHosting } from './plugin-hosting.ts';
import { flushTraffic, RECORD_DIR_ENV, trafficRecorder } from './recorder.ts';
import { newSid } from './sids.ts';
import { Store } from './store.ts';
import { StudioService, studioRouter } from './studio.ts';
import { type AgentOptions, DEFAULT_AGENTS, TaskRouterService, taskRouterRouter } from './taskrouter.ts';
import { WebhookDispatcher } from './webhooks.ts';

/** Fixed test credentials, used unless others are given (the emulator is loopback-only). */
export const TEST_ACCOUNT_SID = 'ACf1e0c0de0000000000000000000000aa';
export const TEST_AUTH_TOKEN = 'f1e0c0de0000000000000000000000bb';

export interface TwilioEmulatorOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Host to listen on (default 127.0.0.1). */
  host?: string;
  accountSid?: string;
  authToken?: string;
  /** The Flex agents (TaskRouter workers); default Dana and Leo. */
  agents?: AgentOptions[];
  /** Faults to inject from the start, and the randomness seed. */
  faults?: FaultOptions;
  /** Per-attempt timeout of Conversations webhooks and TaskRouter callbacks (Twilio: 5 s). */
  webhookTimeoutMs?: number;
  /** Retries of a webhook that timed out, could not connect or got a 5xx (default 3). */
  webhookRetries?: number;
  /** Delay before the first retry, doubled for each next one (default 1000 ms). */
  webhookRetryDelayMs?: number;
  /** Studio make-http-request timeout (Twilio: 10 s). */
  studioHttpTimeoutMs?: number;
  /** The clock conversations timers and token expiries follow (default: wall time, movable). */
  clock?: EmulatorClock;
  /** How often timers are checked against the clock (default 1000 ms). */
  timerIntervalMs?: number;
  /**
   * Whether Flex adding the accepting agent to the conversation fires the conversation's
   * `onParticipantAdded` webhook (default true). Unverified on a real account: `false` leaves
   * TaskRouter's `reservation.accepted` as the only signal.
   */
  flexAgentJoinWebhooks?: boolean;
  /**
   * Directory to record every REST exchange to (`<pid>.jsonl`, for the conformance suite);
   * default `$TWILIO_EMULATOR_RECORD_DIR`, off when neither is set.
   */
  recordDir?: string;
}

/** A running emulator. */
export interface TwilioEmulator {
  /** Base URL: pass to `twilioClientOptions(url)` so twilio-node talks to the emulator. */
  url: string;
  accountSid: string;
  authToken: string;
  conversationsServiceSid: string;
  workspaceSid: string;
  workflowSid: string;
  /** The one task queue ("Everyone"). */
  taskQueueSid: string;
  chatTaskChannelSid: string;
  control: EmulatorControl;
  app: Express;
  stop(): Promise<void>;
}

/** The emulator's Express app and its parts, not listening (`startTwilioEmulator` listens). */
export function createTwilioEmulator(options: TwilioEmulatorOptions = {}) {
  const clock = options.clock ?? new EmulatorClock();
  const accountSid = options.accountSid ?? TEST_ACCOUNT_SID;
  const authToken = options.authToken ?? TEST_AUTH_TOKEN;
  const store = new Store(() => clock.now());
  let baseUrl = 'http://127.0.0.1';
  const dispatcher = new WebhookDispatcher({
    authToken,
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    retries: options.webhookRetries ?? 3,
    retryDelayMs: options.webhookRetryDelayMs ?? 1000,
    now: () => clock.now(),
    onUpdate: (delivery) =>
      store.emit('delivery', {
        id: delivery.id,
        kind: delivery.kind,
        eventType: delivery.eventType,
        url: delivery.url,
        status: delivery.status,
        attempts: delivery.attempts.length,
        conversationSid: delivery.conversationSid,
      }),
  });
  const ctx: EmulatorContext = {
    store,
    clock,
    dispatcher,
    accountSid,
    authToken,
    conversationsServiceSid: newSid('IS'),
    messagingServiceSid: newSid('MG'),
    participantRoleSid: newSid('RL'),
    baseUrl: () => baseUrl,
  };
  const conversations = new ConversationsService(ctx);
  const taskRouter = new TaskRouterService(ctx, options.agents ?? DEFAULT_AGENTS);
  const interactions = new InteractionsService(ctx, conversations, taskRouter, {
    agentJoinWebhooks: options.flexAgentJoinWebhooks ?? true,
  });
  const studio = new StudioService(ctx, conversations, interactions, {
    httpTimeoutMs: options.studioHttpTimeoutMs ?? 10_000,
  });
  const media = new MediaService(ctx);
  const tokens = new FlexTokenService(ctx);
  const faults = new FaultInjector(options.faults);
  const control = new EmulatorControl({
    ctx,
    conversations,
    taskRouter,
    interactions,
    studio,
    media,
    tokens,
    faults,
  });

  const ids = {
    accountSid,
    authToken,
    conversationsServiceSid: ctx.conversationsServiceSid,
    workspaceSid: taskRouter.workspaceSid,
    workflowSid: taskRouter.workflowSid,
    taskQueueSid: taskRouter.taskQueueSid,
    chatTaskChannelSid: taskRouter.chatTaskChannelSid,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.raw({ type: () => true, limit: '100mb' }));
  app.use(
    '/_emulator',
    controlRouter(control, () => ({ url: baseUrl, ...ids, agents: control.agents() }), media),
  );
  const recorder = trafficRecorder(options.recordDir ?? process.env[RECORD_DIR_ENV]);
  if (recorder) app.use(recorder);
  app.use(faults.middleware());
  const auth = basicAuth(accountSid, authToken);
  mountPluginHosting(app, ctx, auth);
  const conversationsApi = conversationsRouter(conversations, ctx);
  app.use('/conversations/v1/Services/:serviceSid', auth, conversationsApi);
  app.use('/conversations/v1', auth, conversationsApi);
  app.use('/studio/v2', auth, studioRouter(studio, ctx));
  app.use('/flex-api/v1', auth, interactionsRouter(interactions, taskRouter, ctx));
  app.use('/taskrouter/v1', auth, taskRouterRouter(taskRouter, ctx));
  app.use('/iam/v1', auth, iamRouter(tokens, ctx));
  app.use('/mcs/v1', mcsCors, mcsAuth(auth, tokens), mediaRouter(media, ctx));
  app.use((req, _res, next) => next(notFound(req.path)));
  app.use(twilioErrorMiddleware);

  const timers = setInterval(() => {
    conversations.checkTimers();
    taskRouter.checkStepTimeouts();
  }, options.timerIntervalMs ?? 1000);
  timers.unref();

  return {
    app,
    control,
    ids,
    /** Tells the emulator the base URL it is reachable at (for paging and media links). */
    setBaseUrl(url: string) {
      baseUrl = url.replace(/\/+$/, '');
    },
    dispose() {
      if (recorder) flushTraffic();
      clearInterval(timers);
      dispatcher.stop();
    },
  };
}

/**
 * Starts the Twilio emulator on loopback: Conversations, Studio, Flex Interactions, TaskRouter,
 * IAM and Media, plus the control API under `/_emulator`.
 *
 * @example
 * const emulator = await startTwilioEmulator();
 * const client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
 */
export async function startTwilioEmulator(options: TwilioEmulatorOptions = {}): Promise<TwilioEmulator> {
  const emulator = createTwilioEmulator(options);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const listening = emulator.app.listen(options.port ?? 0, host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${urlHost}:${port}`;
  emulator.setBaseUrl(url);
  return {
    url,
    ...emulator.ids,
    control: emulator.control,
    app: emulator.app,
    async stop() {
      emulator.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
