import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DiscordEmulator } from '@flexcord/discord-emulator';
import { type BridgeProcess, startBridgeProcess, startLocalStack } from '@flexcord/testkit';
import { type AgentOptions, DEFAULT_AGENTS, type TwilioEmulator } from '@flexcord/twilio-emulator';
import { AnnouncementsFeed } from './announcements-feed.ts';
import { ensureBundles, PLUGIN_BUNDLE } from './bundles.ts';
import { REPO_ROOT, type SandboxConfig, sourceOf } from './config.ts';
import { DEMO_TOPICS } from './demo-topics.ts';
import { checkPortFree } from './ports.ts';
import { provisionTopics } from './provisioned-topics.ts';
import { type ReleasedPlugin, releasePlugin } from './released-plugin.ts';
import type { WorldView } from './web/shared/world-view.ts';
import { bundleWeb } from './web-bundle.ts';
import { createWebApp, listen } from './web-server.ts';
import { IDS, MEMBERS, starfallFixture } from './world.ts';

/** Dana and Leo take chats; Maya supervises (the Figures view is hers) and starts Offline, so she is offered none. */
const SANDBOX_AGENTS: AgentOptions[] = [
  ...DEFAULT_AGENTS,
  { name: 'Maya', email: 'maya@example.com', roles: ['agent', 'supervisor'], available: false },
];

export interface RunningSandbox {
  /** The page: member client and agent desktop. */
  url: string;
  bridgeUrl: string;
  discord: DiscordEmulator;
  twilio: TwilioEmulator;
  /** The bridge, in its own process as in production (`apps/bridge/src/bin/main.ts`). */
  bridge: BridgeProcess;
  /** The plugin as `npm run provision` released it into the Twilio emulator; the agent desktop loads it. */
  plugin: ReleasedPlugin;
  feed: AnnouncementsFeed;
  /** Stops the web server, the bridge (SIGTERM: it closes its database) and both emulators. */
  stop(): Promise<void>;
}

export interface SandboxOptions {
  log?: (line: string) => void;
}

/**
 * Starts the whole product on loopback: the Discord emulator seeded with Starfall Arena, the Twilio
 * emulator with the Studio flow from `flows/` deployed through the real Studio API (the testkit's
 * local stack), the web page, and the bridge as production runs it — its own process, configured
 * from the environment, on PGlite under `dataDir`. The plugin is released into the Twilio emulator by
 * `npm run provision -- --only plugin`, and the agent desktop loads it from where that release says. At start the bridge closes the chats a previous
 * run left open, whose Conversations the new Twilio emulator never had.
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
    // Twilio's side, as an operator would set it up: the flow through the Studio API, and
    // TaskRouter's event callback pointed at the bridge.
    const local = await startLocalStack({
      discord: { fixture: starfallFixture, port: config.discordPort, host },
      twilio: { port: config.twilioPort, host, webhookRetryDelayMs: 200, agents: SANDBOX_AGENTS },
      bridgeHost: host,
      bridgePort: config.bridgePort,
    });
    cleanups.push(() => local.stop());
    const { discord, twilio: twilioEmulator, publicBaseUrl: bridgeUrl } = local;
    // Released while the bridge starts; the start waits for both.
    const releasing = releasePlugin(local, log);
    releasing.catch(() => undefined);

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
      createWebApp({ world, feed, bundle, pluginBundle: PLUGIN_BUNDLE, releasedPlugin: releasing }),
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

    // The demo brand's help topics, and the chat workflow's routing (the topics' filters, a reopened
    // case to its last agent first) provisioned into Flex before the first chat.
    const topicsFile = join(sandboxDir, 'help-topics.json');
    writeFileSync(topicsFile, `${JSON.stringify(DEMO_TOPICS, null, 2)}\n`);
    await provisionTopics(local, config.topics === 'on' ? topicsFile : undefined, log);

    const bridge = await startBridgeProcess({
      env: {
        ...local.env,
        NODE_ENV: 'development',
        LOG_LEVEL: config.logLevel,
        PGLITE_DIR: pgliteDir,
        KB_DIR: join(REPO_ROOT, 'apps/bridge/kb'),
        // A few shared canned replies (greeting, case follow-up, more details, closing) in EN and ES.
        CANNED_REPLIES_DIR: join(REPO_ROOT, 'apps/bridge/canned-replies'),
        CORS_ORIGINS: [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`].join(','),
        MODERATOR_ROLE_IDS: IDS.roles.moderator,
        // A member whose DMs are closed (the member pane's settings) is helped in a private thread of #help.
        CHAT_THREADS: 'fallback',
        HELP_CHANNEL_ID: IDS.channels.help,
        // "I'm the Starfall support assistant"; agent messages signed "Dana · Starfall Support".
        BRAND_NAME: 'Starfall',
        AGENT_AUTHOR_FORMAT: '-# {agent} · {brand} Support',
        BUG_REPORT_CHANNEL_ID: IDS.channels.bugReport,
        FEATURE_REQUEST_CHANNEL_ID: IDS.channels.featureRequest,
        BUG_COOLDOWN_SECONDS: '15',
        ANNOUNCEMENTS_CONFIG: announcementsConfig,
        ...supportHoursEnv(config.hours),
        ...(config.topics === 'on' ? { HELP_TOPICS: topicsFile } : {}),
        // Queue positions show within a couple of seconds; a member is told at most every 30 s.
        QUEUE_POLL_SECONDS: '2',
      },
      url: bridgeUrl,
      inheritEnv: false,
      // Its logs go to the terminal, as when it runs on its own.
      onOutput: (text) => process.stdout.write(text),
    });
    cleanups.push(() => bridge.stop());
    const plugin = await releasing;

    return { url, bridgeUrl, discord, twilio: twilioEmulator, bridge, plugin, feed, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The demo brand's support hours: weekdays 9:00–18:00 in Madrid. */
const DEMO_HOURS = {
  timeZone: 'Europe/Madrid',
  label: 'CET',
  weekly: {
    mon: '09:00-18:00',
    tue: '09:00-18:00',
    wed: '09:00-18:00',
    thu: '09:00-18:00',
    fri: '09:00-18:00',
  },
};

/** The bridge's support-hours settings for the sandbox's `--hours` mode. */
function supportHoursEnv(mode: 'open' | 'closed' | 'schedule'): Record<string, string> {
  if (mode === 'open') return {};
  return {
    SUPPORT_HOURS: JSON.stringify(DEMO_HOURS),
    SUPPORT_HOURS_OVERRIDE: mode === 'closed' ? 'closed' : 'schedule',
  };
}
