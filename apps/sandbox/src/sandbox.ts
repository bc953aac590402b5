import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  connectTwilioToBridge,
  createLogger,
  loadConfig,
  migrate,
  openDatabase,
  type RunningBridge,
  startBridge,
} from '@flexcord/bridge';
import { type DiscordEmulator, startDiscordEmulator } from '@flexcord/discord-emulator';
import { twilioClientOptions } from '@flexcord/twilio-client';
import { startTwilioEmulator, type TwilioEmulator } from '@flexcord/twilio-emulator';
import twilio from 'twilio';
import { AnnouncementsFeed } from './announcements-feed.ts';
import { ensureBundles, PLUGIN_BUNDLE } from './bundles.ts';
import { REPO_ROOT, type SandboxConfig, sourceOf } from './config.ts';
import { checkPortFree, freePort } from './ports.ts';
import { closeStaleChats } from './stale-chats.ts';
import type { WorldView } from './web/shared/world-view.ts';
import { bundleWeb } from './web-bundle.ts';
import { createWebApp, listen } from './web-server.ts';
import { IDS, MEMBERS, starfallFixture } from './world.ts';

export interface RunningSandbox {
  /** The page: member client and agent desktop. */
  url: string;
  bridgeUrl: string;
  discord: DiscordEmulator;
  twilio: TwilioEmulator;
  bridge: RunningBridge;
  feed: AnnouncementsFeed;
  /** What happened to the previous run's data (chats closed on restart). */
  restored: { chats: number; deliveries: number };
  /** Stops the web server, the bridge and both emulators, and closes the database. */
  stop(): Promise<void>;
}

export interface SandboxOptions {
  log?: (line: string) => void;
}

/**
 * Starts the whole product on loopback: the Discord emulator seeded with Starfall Arena, the Twilio
 * emulator with the Studio flow from `flows/` deployed through the real Studio API, the bridge on
 * PGlite under `dataDir`, and the web page.
 */
export async function startSandbox(
  config: SandboxConfig,
  options: SandboxOptions = {},
): Promise<RunningSandbox> {
  const log = options.log ?? (() => undefined);
  const { host } = config;
  await checkPortFree(config.webPort, host, 'web page', sourceOf('webPort'));
  await checkPortFree(config.bridgePort, host, 'bridge', sourceOf('bridgePort'));
  await checkPortFree(config.discordPort, host, 'Discord emulator', sourceOf('discordPort'));
  await checkPortFree(config.twilioPort, host, 'Twilio emulator', sourceOf('twilioPort'));

  ensureBundles(log);
  const bundle = await bundleWeb();

  const pgliteDir = join(config.dataDir, 'pglite');
  if (config.reset) {
    rmSync(pgliteDir, { recursive: true, force: true });
    log(`--reset: removed ${pgliteDir}`);
  }
  const sandboxDir = join(config.dataDir, 'sandbox');
  mkdirSync(sandboxDir, { recursive: true });

  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const discord = await startDiscordEmulator({ fixture: starfallFixture, port: config.discordPort, host });
    cleanups.push(() => discord.stop());
    const twilioEmulator = await startTwilioEmulator({
      port: config.twilioPort,
      host,
      webhookRetryDelayMs: 200,
    });
    cleanups.push(() => twilioEmulator.stop());

    const bridgePort = config.bridgePort || (await freePort(host));
    const bridgeUrl = `http://${host}:${bridgePort}`;

    const world: WorldView = {
      guild: { id: IDS.guild, name: 'Starfall Arena' },
      members: MEMBERS,
      bot: { id: discord.botUserId, username: 'Flexcord' },
      discordUrl: discord.url,
      discordCdnUrl: discord.cdnUrl,
      twilioUrl: twilioEmulator.url,
      bridgeUrl,
      taskQueueSid: twilioEmulator.taskQueueSid,
    };
    const feed = new AnnouncementsFeed();
    const web: Server = await listen(
      createWebApp({ world, feed, bundle, pluginBundle: PLUGIN_BUNDLE }),
      config.webPort,
      host,
    );
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          web.close(() => resolve());
          web.closeAllConnections();
        }),
    );
    const webPort = (web.address() as AddressInfo).port;
    const url = `http://${host === '127.0.0.1' ? 'localhost' : host}:${webPort}`;
    feed.siteUrl = url;

    // Twilio's side, as an operator would set it up: the flow through the Studio API, and
    // TaskRouter's event callback pointed at the bridge.
    const client = twilio(
      twilioEmulator.accountSid,
      twilioEmulator.authToken,
      twilioClientOptions(twilioEmulator.url),
    );
    const flow = await connectTwilioToBridge(client, {
      publicBaseUrl: bridgeUrl,
      workspaceSid: twilioEmulator.workspaceSid,
      workflowSid: twilioEmulator.workflowSid,
      chatTaskChannelSid: twilioEmulator.chatTaskChannelSid,
    });

    const announcementsConfig = join(sandboxDir, 'announcements.json');
    writeFileSync(
      announcementsConfig,
      `${JSON.stringify(
        {
          channel: IDS.channels.announcements,
          sources: [
            {
              id: 'starfall-news',
              type: 'feed',
              name: 'Starfall news',
              url: `http://127.0.0.1:${webPort}/feed/news.xml`,
              intervalSeconds: config.feedIntervalSeconds,
            },
          ],
        },
        null,
        2,
      )}\n`,
    );

    const bridgeConfig = loadConfig({
      NODE_ENV: 'development',
      LOG_LEVEL: config.logLevel,
      PORT: String(bridgePort),
      HOST: host,
      PUBLIC_BASE_URL: bridgeUrl,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_CDN_URL: discord.cdnUrl,
      TWILIO_ACCOUNT_SID: twilioEmulator.accountSid,
      TWILIO_AUTH_TOKEN: twilioEmulator.authToken,
      TWILIO_API_BASE_URL: twilioEmulator.url,
      TWILIO_CONVERSATIONS_SERVICE_SID: twilioEmulator.conversationsServiceSid,
      TWILIO_STUDIO_FLOW_SID: flow.sid,
      PGLITE_DIR: pgliteDir,
      KB_DIR: join(REPO_ROOT, 'apps/bridge/kb'),
      CORS_ORIGINS: [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`].join(','),
      MODERATOR_ROLE_IDS: IDS.roles.moderator,
      // "I'm the Starfall support assistant"; agent messages signed "Dana · Starfall Support".
      BRAND_NAME: 'Starfall',
      AGENT_AUTHOR_FORMAT: '-# {agent} · {brand} Support',
      BUG_REPORT_CHANNEL_ID: IDS.channels.bugReport,
      FEATURE_REQUEST_CHANNEL_ID: IDS.channels.featureRequest,
      BUG_COOLDOWN_SECONDS: '15',
      ANNOUNCEMENTS_CONFIG: announcementsConfig,
    });

    const db = await openDatabase({ pgliteDir });
    cleanups.push(() => db.close());
    await migrate(db);
    const restored = await closeStaleChats(db);
    if (restored.chats) log(`closed ${restored.chats} chat(s) left open by the previous run`);

    const bridge = await startBridge(bridgeConfig, { db, logger: createLogger(config.logLevel) });
    cleanups.push(() => bridge.stop());

    return {
      url,
      bridgeUrl,
      discord,
      twilio: twilioEmulator,
      bridge,
      feed,
      restored,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
