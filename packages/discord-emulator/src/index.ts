import type { AddressInfo } from 'node:net';
import { createControl, type EmulatorControl } from './control.ts';
import { EmulatorCore } from './core.ts';
import { type DiscordEmulatorOptions, resolveOptions } from './options.ts';
import { createEmulatorServer } from './server.ts';

/** A running emulator. */
export interface DiscordEmulator {
  /** HTTP base, e.g. `http://127.0.0.1:4100`. */
  url: string;
  /** `${url}/api`: pass as discord.js `rest.api`. */
  apiUrl: string;
  /**
   * The CDN base (Discord's `https://cdn.discordapp.com`): attachments and avatars are served under
   * it. Pass as discord.js `rest.cdn` so `user.displayAvatarURL()` points here.
   */
  cdnUrl: string;
  /** The gateway websocket URL `GET /gateway/bot` reports. */
  gatewayUrl: string;
  /** The control API from code (the same functions `/_emulator` serves). */
  control: EmulatorControl;
  botToken: string;
  applicationId: string;
  /** The bot user's id (the application id). */
  botUserId: string;
  /** The JSONL file REST exchanges are recorded in (the `record` option), or null when off. */
  recordFile: string | null;
  /** Closes the gateway, event streams and the HTTP server. */
  stop(): Promise<void>;
}

/**
 * Starts a Discord emulator on loopback: REST v10, the gateway, and the control API. Point discord.js
 * at it with `new Client({ intents, partials: [Partials.Channel], rest: { api: emulator.apiUrl } })`
 * and `client.login(emulator.botToken)`.
 *
 * @see https://discord.com/developers/docs/reference
 */
export async function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const resolved = resolveOptions(options);
  const core = new EmulatorCore(resolved);
  const control = createControl(core);
  const server = createEmulatorServer(core, control);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  core.listenUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  if (options.fixture) control.seed(options.fixture);
  return {
    url: core.url,
    apiUrl: `${core.url}/api`,
    cdnUrl: core.url,
    gatewayUrl: core.gatewayUrl,
    control,
    botToken: resolved.botToken,
    applicationId: resolved.applicationId,
    botUserId: resolved.applicationId,
    recordFile: core.recorder?.file ?? null,
    stop: async () => {
      core.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type {
  ChannelTreeNode,
  EmulatorControl,
  InteractionOutcome,
  InteractionReport,
  MemberMessage,
  MessageFilter,
} from './control.ts';
export type { RequestLogEntry } from './core.ts';
export { ControlError, DiscordApiError } from './errors.ts';
export type { EmulatorEvent, FeedEntry } from './events.ts';
export type { ActiveFault, FaultRule, RandomFaultOptions } from './faults.ts';
export type {
  Fixture,
  FixtureChannel,
  FixtureGuild,
  FixtureMember,
  FixtureOverwrite,
  FixturePermissions,
  FixtureRole,
  FixtureTag,
  FixtureUser,
  SeedResult,
} from './fixture-types.ts';
export type { GatewayDropMode, GatewayDropOptions, GatewaySessionInfo } from './gateway.ts';
export type {
  AttachmentInput,
  CommandInvocation,
  ComponentUse,
  ModalSubmission,
  OptionValue,
} from './interactions.ts';
export type { DiscordEmulatorOptions } from './options.ts';
export {
  RATE_LIMIT_PRESETS,
  type RateLimitInput,
  type RateLimitOptions,
  type RateLimitPreset,
  type RateLimitRule,
} from './rate-limits.ts';
export type { RecordedExchange } from './recorder.ts';
export {
  DISCORD_EPOCH,
  SnowflakeGenerator,
  shardForGuild,
  snowflakeAt,
  snowflakeTimestamp,
} from './snowflake.ts';
export type { InitialResponse, RecordedMessage } from './state.ts';
