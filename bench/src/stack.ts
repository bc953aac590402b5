import { fileURLToPath } from 'node:url';
import { BRIDGE_WEBHOOK_FILTERS, discordIdentity } from '@flexcord/contracts';
import type { DiscordEmulator, Fixture } from '@flexcord/discord-emulator';
import { startLocalStack } from '@flexcord/testkit';
import type { TwilioEmulator, TwilioEmulatorOptions } from '@flexcord/twilio-emulator';
import type { Twilio } from 'twilio';
import { until } from './stats.ts';

/** The bridge's shipped KB, so the bot answers as in production. */
export const BRIDGE_KB_DIR = fileURLToPath(new URL('../../apps/bridge/kb', import.meta.url));

/** Discord's limits out of the way, so a relay benchmark measures the relay (the ceiling has its own run). */
export const NO_RATE_LIMITS = {
  perRoute: { limit: 1_000_000_000, windowMs: 1_000 },
  routes: {},
  global: null,
} as const;

/** A member's chat with an agent, ready to relay both ways. */
export interface Chat {
  user: string;
  userId: string;
  conversationSid: string;
}

/**
 * Both emulators on loopback with the shipped Studio flow deployed and TaskRouter's callback set,
 * and the environment a bridge (or the baseline) process needs. Bridge members get their chats
 * through the bridge itself; baseline members get theirs straight from the REST API,
 * so the two never share a conversation or a DM. Each group of members (`p0…`, `x0…`) belongs to one pass.
 */
export interface BenchStack {
  discord: DiscordEmulator;
  twilio: TwilioEmulator;
  client: Twilio;
  flowSid: string;
  env: Record<string, string>;
  publicBaseUrl: string;
  /** Members by group: each bridge pass and the baseline get members of their own. */
  users(group: string): string[];
  stop(): Promise<void>;
}

export async function startBenchStack(
  members: number,
  groups: string[],
  options: { twilio?: TwilioEmulatorOptions } = {},
): Promise<BenchStack> {
  const usersOf = (group: string) => Array.from({ length: members }, (_, i) => `${group}${i}`);
  const users = groups.flatMap(usersOf);
  const fixture: Fixture = {
    users: users.map((username) => ({ username, global_name: username.toUpperCase(), locale: 'en-US' })),
    guilds: [{ name: 'Bench Arena', members: users.map((user) => ({ user })), channels: [{ name: 'help' }] }],
  };
  const local = await startLocalStack({
    discord: { fixture, rateLimits: NO_RATE_LIMITS },
    ...(options.twilio ? { twilio: options.twilio } : {}),
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', KB_DIR: BRIDGE_KB_DIR },
  });
  return {
    discord: local.discord,
    twilio: local.twilio,
    client: local.client,
    flowSid: local.flowSid,
    env: local.env,
    publicBaseUrl: local.publicBaseUrl,
    users: usersOf,
    stop: () => local.stop(),
  };
}

/**
 * Brings a member to a live agent through the bridge, as a member would: /helpme, "agent", and
 * the agent accepting the task.
 */
export async function chatThroughBridge(stack: BenchStack, user: string): Promise<Chat> {
  const { discord, twilio: emulator } = stack;
  const userId = discord.control.user(user).id;
  await discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
  await discord.control.waitForMessage({ dmWith: user, contains: 'support assistant' }, 15_000);
  discord.control.sendMessage({ user, content: 'agent please' });
  await discord.control.waitForMessage({ dmWith: user, contains: 'Connecting you to an agent' }, 15_000);
  let taskSid = '';
  await until(
    () => {
      const task = emulator.control
        .tasks()
        .find(
          (candidate) =>
            candidate.attributes.discordUserId === userId && candidate.assignmentStatus !== 'canceled',
        );
      taskSid = task?.sid ?? '';
      return Boolean(task);
    },
    `the Flex task of ${user}`,
    15_000,
  );
  const task = emulator.control.task(taskSid);
  // Dana may hold it already (TaskRouter offered it to her and a callback accepted it).
  if (task.assignmentStatus !== 'assigned') emulator.control.acceptTask(taskSid, 'Dana');
  await discord.control.waitForMessage({ dmWith: user, contains: 'joined the chat' }, 15_000);
  return { user, userId, conversationSid: String(task.attributes.conversationSid) };
}

/**
 * A chat for the baseline, made with the REST API the way the bridge makes one (participant, the
 * bridge webhook and the Studio webhook), so Twilio sends the baseline the same webhooks.
 */
export async function chatForBaseline(stack: BenchStack, user: string): Promise<Chat> {
  const userId = stack.discord.control.user(user).id;
  const service = stack.client.conversations.v1.services(stack.twilio.conversationsServiceSid);
  const conversation = await service.conversations.create({
    uniqueName: `baseline-${userId}`,
    friendlyName: `Baseline: ${user}`,
    attributes: JSON.stringify({ channelType: 'discord' }),
  });
  const handle = service.conversations(conversation.sid);
  await handle.participants.create({ identity: discordIdentity(userId) });
  await handle.webhooks.create({
    target: 'webhook',
    'configuration.url': `${stack.publicBaseUrl}/webhooks/twilio/conversations`,
    'configuration.method': 'post',
    'configuration.filters': [...BRIDGE_WEBHOOK_FILTERS],
  });
  await handle.webhooks.create({
    target: 'studio',
    'configuration.flowSid': stack.flowSid,
    'configuration.replayAfter': 0,
  });
  return { user, userId, conversationSid: conversation.sid };
}
