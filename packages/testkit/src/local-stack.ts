import {
  type DiscordEmulator,
  type DiscordEmulatorOptions,
  startDiscordEmulator,
} from '@flexcord/discord-emulator';
import { connectTwilioToBridge } from '@flexcord/flows';
import { twilioClientOptions } from '@flexcord/twilio-client';
import {
  startTwilioEmulator,
  type TwilioEmulator,
  type TwilioEmulatorOptions,
} from '@flexcord/twilio-emulator';
import twilio, { type Twilio } from 'twilio';
import { freePort } from './free-port.ts';

/** What the stack needs of a bridge it started in this process: a way to stop it. */
export interface StoppableBridge {
  stop(): Promise<void>;
}

/** Starts a bridge in this process from its environment (e.g. `startBridge(loadConfig(env), …)`). */
export type StartBridge<B extends StoppableBridge> = (env: Record<string, string>) => Promise<B>;

export interface LocalStackOptions<B extends StoppableBridge> {
  /** The Discord emulator's options (fixture, shards, rate limits, port…). */
  discord?: DiscordEmulatorOptions;
  /** The Twilio emulator's options; webhook retries start after 100 ms unless said otherwise. */
  twilio?: TwilioEmulatorOptions;
  /** Where the bridge will listen (default `127.0.0.1`); its public URL uses the same host. */
  bridgeHost?: string;
  /** The bridge's port (default: a free one, picked now so its public URL is known). */
  bridgePort?: number;
  /** More of the bridge's environment (NODE_ENV, KB_DIR, DATABASE_URL…), over the stack's. */
  env?: Record<string, string>;
  /**
   * Starts the bridge in this process with the stack's environment. Without it no bridge is
   * started: start one as its own process with {@link startBridgeProcess}(`stack.env`).
   */
  startBridge?: StartBridge<B>;
}

/** The product on loopback: both emulators, the Studio flow deployed, and (optionally) the bridge. */
export interface LocalStack<B extends StoppableBridge = StoppableBridge> {
  discord: DiscordEmulator;
  twilio: TwilioEmulator;
  /** The real twilio-node client on the Twilio emulator: a test's own Twilio console. */
  client: Twilio;
  flowSid: string;
  /** The port and URL the bridge listens on, known before it starts. */
  port: number;
  publicBaseUrl: string;
  /** The bridge's environment: where Discord and Twilio are, its port and public URL, the flow. */
  env: Record<string, string>;
  /** The bridge started in this process (with `startBridge`), else null. */
  bridge: B | null;
  /** Stops the in-process bridge and starts it again with the same environment (a restart). */
  restartBridge(): Promise<B>;
  /** Stops the in-process bridge (if any), then both emulators. */
  stop(): Promise<void>;
}

/**
 * Starts the Discord and Twilio emulators, deploys `flows/discord-inbound.json` through the real
 * Studio API with the bridge's bot URL and points TaskRouter's event callback at the bridge
 * ({@link connectTwilioToBridge}), and — when `startBridge` is given — starts the bridge in this
 * process. Everything listens on loopback; ports are free ones unless the options name them.
 */
export async function startLocalStack<B extends StoppableBridge = StoppableBridge>(
  options: LocalStackOptions<B> = {},
): Promise<LocalStack<B>> {
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const discord = await startDiscordEmulator(options.discord);
    cleanups.push(() => discord.stop());
    const twilioEmulator = await startTwilioEmulator({ webhookRetryDelayMs: 100, ...options.twilio });
    cleanups.push(() => twilioEmulator.stop());

    const host = options.bridgeHost ?? '127.0.0.1';
    const port = options.bridgePort || (await freePort(host));
    const publicBaseUrl = `http://${host}:${port}`;
    const client = twilio(
      twilioEmulator.accountSid,
      twilioEmulator.authToken,
      twilioClientOptions(twilioEmulator.url),
    );
    const flow = await connectTwilioToBridge(client, {
      publicBaseUrl,
      workspaceSid: twilioEmulator.workspaceSid,
      workflowSid: twilioEmulator.workflowSid,
      chatTaskChannelSid: twilioEmulator.chatTaskChannelSid,
    });
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: host,
      PUBLIC_BASE_URL: publicBaseUrl,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_CDN_URL: discord.cdnUrl,
      TWILIO_ACCOUNT_SID: twilioEmulator.accountSid,
      TWILIO_AUTH_TOKEN: twilioEmulator.authToken,
      TWILIO_API_BASE_URL: twilioEmulator.url,
      TWILIO_CONVERSATIONS_SERVICE_SID: twilioEmulator.conversationsServiceSid,
      TWILIO_STUDIO_FLOW_SID: flow.sid,
      ...options.env,
    };

    const start = options.startBridge;
    let bridge = start ? await start(env) : null;
    cleanups.push(async () => {
      await bridge?.stop();
    });

    const stack: LocalStack<B> = {
      discord,
      twilio: twilioEmulator,
      client,
      flowSid: flow.sid,
      port,
      publicBaseUrl,
      env,
      bridge,
      async restartBridge() {
        if (!start) throw new Error('this stack has no in-process bridge: pass startBridge');
        await bridge?.stop();
        bridge = null;
        bridge = await start(env);
        stack.bridge = bridge;
        return bridge;
      },
      stop: stopAll,
    };
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
