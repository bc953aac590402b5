import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '@flexcord/discord-emulator';
import { REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProvision } from '../src/bin/provision.ts';
import { runSmoke } from '../src/bin/smoke.ts';
import { communityFixture } from './helpers/fixture.ts';
import { ensurePluginBundle } from './helpers/plugin-bundle.ts';
import { type Stack, startStack } from './helpers/stack.ts';

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (stops.length) await stops.pop()?.();
});

beforeAll(() => {
  ensurePluginBundle();
}, 120_000);

/** The bridge running on the emulators, provisioned as `npm run provision` leaves a brand. */
async function provisionedStack(options: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  const stack = await startStack(options);
  stops.push(() => stack.stop());
  const quiet = { out: () => {} };
  for (const side of ['plugin', 'discord']) {
    const run = await runProvision(['--yes', '--only', side, '--env-file', emptyEnvFile()], stack.env, quiet);
    expect(run.exitCode).toBe(0);
  }
  return stack;
}

/** The stack's settings come from the environment; provisioning writes what it learns to this file. */
function emptyEnvFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flexcord-smoke-')), '.env');
  writeFileSync(path, '');
  return path;
}

async function smoke(env: Record<string, string>) {
  const lines: string[] = [];
  const result = await runSmoke(['--env-file', emptyEnvFile()], env, (line) => lines.push(line), {
    gatewayTimeoutMs: 10_000,
  });
  const failed = result.results.filter((check) => !check.ok);
  return { ...result, output: lines.join('\n'), failed };
}

// Starting the stack is the slow part (tens of seconds under load): the stories of one brand share it,
// the ones that break it come last.
describe('npm run smoke', { timeout: 120_000 }, () => {
  let brand: Stack;
  beforeAll(async () => {
    brand = await provisionedStack();
  }, 180_000);

  it('passes every check on a provisioned brand, and says so', async () => {
    const { env } = brand;
    const run = await smoke(env);
    expect(run.failed).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.results.map((check) => check.check)).toEqual([
      'Twilio credentials',
      'Flex workspace',
      'TaskRouter event callback',
      'Conversations service',
      'Studio flow',
      'Flex plugin',
      'Bridge at PUBLIC_BASE_URL',
      'Webhook signature',
      'Discord bot token',
      'Discord application',
      'Bot in the guild',
      'Bot permissions',
      'Slash commands',
      'Gateway intents',
    ]);
    expect(run.output).toContain('same sha256 as the built bundle');
    expect(run.output).toContain('All checks passed.');
  });

  it('says when the bridge checks signatures against another public URL than PUBLIC_BASE_URL', async () => {
    const { env } = brand;
    // The same bridge reached by another name: it signs-checks against its own PUBLIC_BASE_URL.
    const other = env.PUBLIC_BASE_URL?.replace('127.0.0.1', 'localhost') ?? '';
    const run = await smoke({ ...env, PUBLIC_BASE_URL: other });
    expect(run.failed.map((check) => check.check)).toEqual([
      'TaskRouter event callback',
      'Studio flow',
      'Webhook signature',
    ]);
    expect(run.output).toContain('it runs with another auth token or another PUBLIC_BASE_URL');
  });
  it('names a TaskRouter callback and a Studio flow that point away from PUBLIC_BASE_URL, and a missing command, with their fixes', async () => {
    const { env, client, twilio, discord } = brand;
    await client.taskrouter.v1
      .workspaces(twilio.workspaceSid)
      .update({ eventCallbackUrl: 'https://old-host.example.com/webhooks/twilio/taskrouter' });
    const rest = new REST({ api: discord.apiUrl }).setToken(discord.botToken);
    const commands = (await rest.get(Routes.applicationCommands(discord.applicationId))) as {
      id: string;
      name: string;
    }[];
    const helpme = commands.find((command) => command.name === 'helpme');
    await rest.delete(Routes.applicationCommand(discord.applicationId, helpme?.id ?? ''));

    const run = await smoke(env);
    expect(run.exitCode).toBe(1);
    expect(run.failed.map((check) => check.check)).toEqual(['TaskRouter event callback', 'Slash commands']);
    expect(run.output).toContain(
      `✗ TaskRouter event callback: TaskRouter sends its events to https://old-host.example.com/webhooks/twilio/taskrouter, not to ${env.PUBLIC_BASE_URL}/webhooks/twilio/taskrouter`,
    );
    expect(run.output).toContain('fix: Run `npm run provision -- --only twilio`');
    expect(run.output).toContain(
      '✗ Slash commands: /helpme is not registered globally: members cannot use it.',
    );
    expect(run.output).toContain('2 problem(s) to fix.');

    // A bridge answering on another address than PUBLIC_BASE_URL: Studio and the bridge checks say so.
    const moved = await smoke({ ...env, PUBLIC_BASE_URL: 'http://127.0.0.1:9' });
    expect(moved.failed.map((check) => check.check)).toEqual([
      'TaskRouter event callback',
      'Studio flow',
      'Bridge at PUBLIC_BASE_URL',
      'Slash commands',
    ]);
    expect(moved.output).toContain('Nothing healthy answers at http://127.0.0.1:9/healthz');
  });

  it('names the permission and the privileged intent the bot lacks', async () => {
    const guild = communityFixture.guilds?.[0];
    const fixture: Fixture = {
      ...communityFixture,
      guilds: [
        {
          ...(guild as NonNullable<typeof guild>),
          botPermissions: [
            'ViewChannel',
            'SendMessages',
            'SendMessagesInThreads',
            'CreatePublicThreads',
            'CreatePrivateThreads',
            'EmbedLinks',
            'AttachFiles',
            'ReadMessageHistory',
            'ManageChannels',
            'ManageRoles',
          ],
        },
      ],
    };
    const { env } = await provisionedStack({
      discordOptions: { fixture, privilegedIntents: { messageContent: false } },
    });
    // The bridge runs with CHAT_THREADS=off; the brand's .env turns threads on.
    const run = await smoke({ ...env, CHAT_THREADS: 'fallback' });
    expect(run.failed.map((check) => check.check)).toEqual(['Bot permissions', 'Gateway intents']);
    expect(run.output).toContain('✗ Bot permissions: In "Starfall Arena" the bot lacks Manage Threads.');
    expect(run.output).toContain("fix: Give the bot's role Manage Threads (Server Settings → Roles)");
    expect(run.output).toContain('the Message Content intent is off');
    expect(run.output).toContain('Privileged Gateway Intents → turn on Message Content');
  });
});
