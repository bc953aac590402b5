import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DiscordEmulator, type Fixture, startDiscordEmulator } from '@flexcord/discord-emulator';
import {
  DISCORD_INBOUND_FLOW,
  DISCORD_INBOUND_FLOW_NAME,
  deployFlow,
  renderFlowDefinition,
} from '@flexcord/flows';
import { twilioClientOptions } from '@flexcord/twilio-client';
import { createTwilioEmulator, emulatedRuntimeUrl } from '@flexcord/twilio-emulator';
import {
  type APIChannel,
  type APIRole,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
  REST,
  Routes,
} from 'discord.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import twilio, { type Twilio } from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runProvision } from '../src/bin/provision.ts';
import { parseEnvFile } from '../src/provision/env-file.ts';
import { ANNOUNCEMENTS_EVERYONE_DENY } from '../src/provision/plan-announcements.ts';
import { ProvisionError } from '../src/provision/provision-errors.ts';
import { SEVERITY_TAGS, STATUS_TAGS } from './helpers/fixture.ts';
import { ensurePluginBundle } from './helpers/plugin-bundle.ts';

let bundlePath = '';
beforeAll(() => {
  bundlePath = ensurePluginBundle();
}, 120_000);

const PUBLIC_BASE_URL = 'https://flexcord.example.com';

/**
 * The Twilio emulator plus stand-ins for the two Conversations account endpoints it does not
 * serve (`/v1/Configuration` and `/v1/Services`), so an account with or without a Flex default
 * Conversations service can be played.
 */
async function startTwilioAccount(options: { flexDefaultService?: boolean } = {}) {
  const emulator = createTwilioEmulator({ webhookRetries: 0 });
  const { accountSid, authToken } = emulator.ids;
  const services: { sid: string; friendly_name: string }[] = options.flexDefaultService
    ? [{ sid: emulator.ids.conversationsServiceSid, friendly_name: 'Flex Conversations Service' }]
    : [];
  const auth = (req: Request, res: Response, next: NextFunction) => {
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (req.headers.authorization === expected) return next();
    res.status(401).json({ code: 20003, message: 'Authenticate', more_info: '', status: 401 });
  };
  const service = (found: (typeof services)[number]) => ({
    ...found,
    account_sid: accountSid,
    date_created: new Date().toISOString(),
    date_updated: new Date().toISOString(),
    url: `https://conversations.twilio.com/v1/Services/${found.sid}`,
    links: {},
  });
  const app = express();
  app.get('/conversations/v1/Configuration', auth, (_req, res) => {
    res.json({
      account_sid: accountSid,
      default_chat_service_sid: options.flexDefaultService ? emulator.ids.conversationsServiceSid : null,
      url: 'https://conversations.twilio.com/v1/Configuration',
      links: {},
    });
  });
  app.get('/conversations/v1/Services', auth, (_req, res) => {
    res.json({
      services: services.map(service),
      meta: {
        key: 'services',
        page: 0,
        page_size: 50,
        first_page_url: '',
        previous_page_url: null,
        next_page_url: null,
        url: '',
      },
    });
  });
  app.post('/conversations/v1/Services', auth, express.urlencoded({ extended: false }), (req, res) => {
    const created = {
      sid: `IS${'0'.repeat(31)}${services.length + 1}`,
      friendly_name: String(req.body.FriendlyName),
    };
    services.push(created);
    res.status(201).json(service(created));
  });
  app.get('/conversations/v1/Services/:sid', auth, (req, res) => {
    const found = services.find((candidate) => candidate.sid === req.params.sid);
    if (found) res.json(service(found));
    else res.status(404).json({ code: 20404, message: 'Not found', more_info: '', status: 404 });
  });
  app.use(emulator.app);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emulator.setBaseUrl(url);
  const client: Twilio = twilio(accountSid, authToken, twilioClientOptions(url));
  return {
    ...emulator.ids,
    url,
    client,
    services,
    async stop() {
      emulator.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
type TwilioAccount = Awaited<ReturnType<typeof startTwilioAccount>>;

/** A brand-new community: members and a Moderator role, no channels the bridge uses. */
const emptyGuild: Fixture = {
  users: [{ username: 'pixelpat' }, { username: 'maude' }],
  guilds: [
    {
      name: 'Starfall Arena',
      roles: [{ name: 'Moderator' }, { name: 'Artists', permissions: ['AttachFiles'] }],
      members: [{ user: 'pixelpat' }, { user: 'maude', roles: ['Moderator'] }],
      channels: [{ name: 'general' }],
    },
  ],
};

const ENV_HEADER = '# Flexcord — production\n# keep this comment\nLOG_LEVEL=info  # inline comment\n\n';

function envFileFor(twilioAccount: TwilioAccount, discord: DiscordEmulator, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'flexcord-provision-'));
  const path = join(dir, '.env');
  writeFileSync(
    path,
    `${ENV_HEADER}PUBLIC_BASE_URL=${PUBLIC_BASE_URL}\n` +
      `TWILIO_ACCOUNT_SID=${twilioAccount.accountSid}\nTWILIO_AUTH_TOKEN=${twilioAccount.authToken}\n` +
      `TWILIO_API_BASE_URL=${twilioAccount.url}\n# The SIDs provisioning writes:\nTWILIO_CONVERSATIONS_SERVICE_SID=\nTWILIO_STUDIO_FLOW_SID=\n\n` +
      `DISCORD_TOKEN=${discord.botToken}\nDISCORD_APPLICATION_ID=${discord.applicationId}\nDISCORD_API_URL=${discord.apiUrl}\n${extra}`,
  );
  return path;
}

async function provision(envFile: string, ...flags: string[]) {
  const lines: string[] = [];
  const result = await runProvision(
    ['--env-file', envFile, ...flags],
    {},
    { out: (line) => lines.push(line) },
  );
  return { ...result, output: lines.join('\n') };
}

function writes(discord: DiscordEmulator) {
  return discord.control.requests().filter((request) => request.method !== 'GET');
}

function channelNamed(discord: DiscordEmulator, guildId: string, name: string): APIChannel | undefined {
  const flat = (nodes: ReturnType<DiscordEmulator['control']['channelTree']>): APIChannel[] =>
    nodes.flatMap(({ children, ...channel }) => [channel as APIChannel, ...flat(children)]);
  return flat(discord.control.channelTree(guildId)).find((channel) => channel.name === name);
}

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

async function start(fixture: Fixture, twilioOptions: { flexDefaultService?: boolean } = {}) {
  const discord = await startDiscordEmulator({ fixture });
  stops.push(() => discord.stop());
  const account = await startTwilioAccount(twilioOptions);
  stops.push(() => account.stop());
  const guildId = Object.values(discord.control.guilds())[0]?.id ?? '';
  return { discord, account, guildId };
}

describe('npm run provision', () => {
  it('sets up empty accounts, then a second run changes nothing and says so', async () => {
    const { discord, account, guildId } = await start(emptyGuild);
    const envFile = envFileFor(account, discord);

    const first = await provision(envFile, '--yes');
    expect(first.exitCode).toBe(0);
    expect(
      first.plan.map((action) => [action.resource.split(' (')[0]?.split(' in ')[0], action.action]),
    ).toEqual([
      ['Conversations service', 'create'],
      [`Studio flow "${DISCORD_INBOUND_FLOW_NAME}"`, 'create'],
      ['TaskRouter event callback', 'create'],
      ['Workflow "Assign to Anyone"', 'update'],
      [envFile, 'update'],
      [`Plugin version ${pluginVersion()}`, 'create'],
      ['Flex plugin plugin-flexcord release', 'create'],
      ['Slash commands', 'create'],
      ['#announcements', 'create'],
      ['#bug-report', 'create'],
      ['#feature-request', 'create'],
      ['Moderator roles', 'update'],
    ]);
    expect(first.output).toContain('Done: 12 change(s) applied.');

    // Twilio: a "Flexcord" service, the flow published with the bridge's URL and Flex's routing, the callback.
    expect(account.services.map((service) => service.friendly_name)).toEqual(['Flexcord']);
    const [flow] = await account.client.studio.v2.flows.list();
    expect(flow?.friendlyName).toBe(DISCORD_INBOUND_FLOW_NAME);
    const published = await account.client.studio.v2.flows(flow?.sid ?? '').fetch();
    expect(published.status).toBe('published');
    const definition = JSON.stringify(published.definition);
    expect(definition).toContain(`${PUBLIC_BASE_URL}/webhooks/twilio/bot`);
    expect(definition).toContain(account.workflowSid);
    expect(definition).toContain(account.chatTaskChannelSid);
    const workspace = await account.client.taskrouter.v1.workspaces(account.workspaceSid).fetch();
    expect(workspace.eventCallbackUrl).toBe(`${PUBLIC_BASE_URL}/webhooks/twilio/taskrouter`);
    expect(workspace.eventsFilter).toContain('reservation.accepted');
    // Known Agent Routing: a reopened case's task goes to its last agent first, then to the queue.
    await expectLastAgentFirst(account);

    // Discord: global commands, the three channels, the moderator role.
    expect(
      discord.control
        .commands()
        .map((command) => command.name)
        .sort(),
    ).toEqual(['bug', 'case', 'helpme', 'new_feature', 'privacy']);
    const announcements = channelNamed(discord, guildId, 'announcements');
    expect(announcements?.type).toBe(ChannelType.GuildText);
    const overwrites =
      announcements && 'permission_overwrites' in announcements ? announcements.permission_overwrites : [];
    const everyone = overwrites?.find((overwrite) => overwrite.id === guildId);
    expect(BigInt(everyone?.deny ?? '0') & ANNOUNCEMENTS_EVERYONE_DENY).toBe(ANNOUNCEMENTS_EVERYONE_DENY);
    const botOverwrite = overwrites?.find((overwrite) => overwrite.id === discord.botUserId);
    expect(botOverwrite?.type).toBe(OverwriteType.Member);
    expect(BigInt(botOverwrite?.allow ?? '0') & PermissionFlagsBits.SendMessages).toBe(
      PermissionFlagsBits.SendMessages,
    );
    // Moderators post in #announcements; members read it (Discord refuses their message: 50013).
    expect(first.plan.find((action) => action.resource.startsWith('#announcements'))?.detail).toContain(
      '@everyone may not post, the bot, @Moderator may',
    );
    expect(
      discord.control.sendMessage({
        user: 'maude',
        channel: announcements?.id ?? '',
        content: 'Patch notes are up',
      }).content,
    ).toBe('Patch notes are up');
    expect(() =>
      discord.control.sendMessage({ user: 'pixelpat', channel: announcements?.id ?? '', content: 'hi' }),
    ).toThrow(/50013/);
    const bugs = channelNamed(discord, guildId, 'bug-report');
    expect(bugs?.type).toBe(ChannelType.GuildForum);
    expect(bugs && 'available_tags' in bugs ? bugs.available_tags.map((tag) => tag.name) : []).toEqual([
      ...STATUS_TAGS,
      ...SEVERITY_TAGS,
    ]);
    const features = channelNamed(discord, guildId, 'feature-request');
    expect(
      features && 'available_tags' in features ? features.available_tags.map((tag) => tag.name) : [],
    ).toEqual(STATUS_TAGS);

    // .env: the SIDs and the moderator roles written, everything else kept.
    const text = readFileSync(envFile, 'utf8');
    expect(text.startsWith(ENV_HEADER)).toBe(true);
    expect(text).toContain('# The SIDs provisioning writes:\n');
    const env = parseEnvFile(text);
    expect(env.TWILIO_CONVERSATIONS_SERVICE_SID).toBe(account.services[0]?.sid);
    expect(env.TWILIO_STUDIO_FLOW_SID).toBe(flow?.sid);
    const roles = (await new REST({ api: discord.apiUrl })
      .setToken(discord.botToken)
      .get(Routes.guildRoles(guildId))) as APIRole[];
    expect(env.MODERATOR_ROLE_IDS).toBe(roles.find((role) => role.name === 'Moderator')?.id);
    expect(env.LOG_LEVEL).toBe('info');

    const writesBefore = writes(discord).length;
    const second = await provision(envFile, '--yes');
    expect(second.exitCode).toBe(0);
    expect(second.plan.every((action) => action.action === 'unchanged')).toBe(true);
    expect(second.output).toContain('Everything is already set up: nothing to change.');
    expect(writes(discord)).toHaveLength(writesBefore);
    expect((await account.client.studio.v2.flows(flow?.sid ?? '').fetch()).revision).toBe(published.revision);
    expect(readFileSync(envFile, 'utf8')).toBe(text);
  });

  it('fills only the gaps of a partly set-up account', async () => {
    const fixture: Fixture = {
      guilds: [
        {
          name: 'Starfall Arena',
          roles: [{ name: 'Mod' }],
          channels: [
            {
              name: 'announcements',
              type: 'announcement',
              permission_overwrites: [
                { role: '@everyone', deny: ['SendMessages', 'SendMessagesInThreads', 'CreatePublicThreads'] },
                {
                  member: 'Flexcord',
                  allow: ['ViewChannel', 'SendMessages', 'SendMessagesInThreads', 'EmbedLinks'],
                },
              ],
            },
            { name: 'bug-report', type: 'forum', tags: [...STATUS_TAGS, 'low'].map((name) => ({ name })) },
          ],
        },
      ],
    };
    const { discord, account, guildId } = await start(fixture, { flexDefaultService: true });
    const old = await deployFlow(account.client, {
      friendlyName: DISCORD_INBOUND_FLOW_NAME,
      definition: renderFlowDefinition(DISCORD_INBOUND_FLOW, {
        FLEXCORD_BOT_URL: 'https://old-host.example.com/webhooks/twilio/bot',
        FLEX_WORKFLOW_SID: account.workflowSid,
        FLEX_CHAT_TASK_CHANNEL_SID: account.chatTaskChannelSid,
      }),
    });
    await account.client.taskrouter.v1
      .workspaces(account.workspaceSid)
      .update({ eventCallbackUrl: 'https://crm.example.com/taskrouter-events' });
    const bugTags = (channelNamed(discord, guildId, 'bug-report') as { available_tags: { id: string }[] })
      .available_tags;
    const envFile = envFileFor(account, discord, `DISCORD_GUILD_ID=${guildId}\n`);

    const run = await provision(envFile, '--yes');
    const byResource = Object.fromEntries(run.plan.map((action) => [action.resource, action]));
    expect(byResource['Conversations service']?.action).toBe('unchanged');
    expect(byResource['Conversations service']?.detail).toContain("the account's default");
    expect(byResource[`Studio flow "${DISCORD_INBOUND_FLOW_NAME}"`]?.action).toBe('update');
    expect(byResource['TaskRouter event callback (Flex Task Assignment)']?.action).toBe('unchanged');
    expect(run.output).toContain('sends its events to https://crm.example.com/taskrouter-events');
    expect(run.output).toContain('--force');
    expect(byResource[`Slash commands (guild ${guildId})`]?.action).toBe('create');
    // Admin-only before: the moderator role (found by its name) is allowed to post too.
    expect(byResource['#announcements in "Starfall Arena"']).toMatchObject({
      action: 'update',
      detail: expect.stringContaining('allow @Mod Send Messages (in Threads)'),
    });
    expect(byResource['#bug-report in "Starfall Arena"']).toMatchObject({
      action: 'update',
      detail: expect.stringContaining('add tags medium, high, critical'),
    });
    expect(byResource['#feature-request in "Starfall Arena"']?.action).toBe('create');

    // The flow got a new revision under the same SID; the foreign callback is untouched.
    const flow = await account.client.studio.v2.flows(old.sid).fetch();
    expect(flow.revision).toBe(old.revision + 1);
    expect(JSON.stringify(flow.definition)).toContain(`${PUBLIC_BASE_URL}/webhooks/twilio/bot`);
    expect((await account.client.studio.v2.flows.list()).length).toBe(1);
    expect(
      (await account.client.taskrouter.v1.workspaces(account.workspaceSid).fetch()).eventCallbackUrl,
    ).toBe('https://crm.example.com/taskrouter-events');
    expect(account.services).toHaveLength(1);
    // Existing tags keep their ids (posts that carry them stay tagged).
    const tags = (
      channelNamed(discord, guildId, 'bug-report') as { available_tags: { id: string; name: string }[] }
    ).available_tags;
    expect(tags.slice(0, bugTags.length).map((tag) => tag.id)).toEqual(bugTags.map((tag) => tag.id));
    expect(tags.map((tag) => tag.name)).toEqual([...STATUS_TAGS, 'low', 'medium', 'high', 'critical']);
    expect(discord.control.commands(guildId)).toHaveLength(5);
    const env = parseEnvFile(readFileSync(envFile, 'utf8'));
    expect(env.TWILIO_CONVERSATIONS_SERVICE_SID).toBe(account.conversationsServiceSid);
    expect(env.TWILIO_STUDIO_FLOW_SID).toBe(old.sid);

    // --force takes the callback over; then nothing is left to do.
    const forced = await provision(envFile, '--yes', '--force', '--only', 'twilio');
    expect(forced.applied.map((action) => action.resource)).toEqual([
      'TaskRouter event callback (Flex Task Assignment)',
    ]);
    expect(
      (await account.client.taskrouter.v1.workspaces(account.workspaceSid).fetch()).eventCallbackUrl,
    ).toBe(`${PUBLIC_BASE_URL}/webhooks/twilio/taskrouter`);
    const again = await provision(envFile, '--yes');
    expect(again.applied).toEqual([]);
    expect(again.output).toContain('nothing to change');
  });

  it("gives the forums the brand's own tag names (FORUM_TAGS), keeping the tags they have", async () => {
    const fixture: Fixture = {
      guilds: [
        {
          name: 'Starfall Arena',
          roles: [{ name: 'Moderator' }],
          channels: [
            {
              name: 'bug-report',
              type: 'forum',
              tags: [...STATUS_TAGS, ...SEVERITY_TAGS].map((name) => ({ name })),
            },
          ],
        },
      ],
    };
    const { discord, account, guildId } = await start(fixture);
    const envFile = envFileFor(
      account,
      discord,
      `DISCORD_GUILD_ID=${guildId}\nFORUM_TAGS=planned=On the roadmap, wont_fix=Not planned\n`,
    );
    const run = await provision(envFile, '--yes', '--only', 'discord');
    const byResource = Object.fromEntries(run.plan.map((action) => [action.resource, action]));
    expect(byResource['#bug-report in "Starfall Arena"']).toMatchObject({
      action: 'update',
      detail: expect.stringContaining('add tags On the roadmap, Not planned'),
    });
    const tags = (channelNamed(discord, guildId, 'bug-report') as { available_tags: { name: string }[] })
      .available_tags;
    expect(tags.map((tag) => tag.name)).toEqual([
      ...STATUS_TAGS,
      ...SEVERITY_TAGS,
      'On the roadmap',
      'Not planned',
    ]);

    writeFileSync(
      envFile,
      `${readFileSync(envFile, 'utf8')}FORUM_TAGS=fixed=A tag name far longer than twenty\n`,
    );
    await expect(provision(envFile, '--yes', '--only', 'discord')).rejects.toThrow(
      /FORUM_TAGS.*longer than Discord's 20/s,
    );
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const { discord, account, guildId } = await start(emptyGuild);
    const envFile = envFileFor(account, discord);
    const before = readFileSync(envFile, 'utf8');

    const run = await provision(envFile, '--dry-run');
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatch(/Side\s+Resource\s+Action\s+Detail/);
    expect(run.output).toContain('Dry run: 12 change(s) planned, nothing was changed.');
    expect(await account.client.flexApi.v1.plugins.list()).toEqual([]);
    expect(await account.client.studio.v2.flows.list()).toEqual([]);
    expect(account.services).toEqual([]);
    expect(
      (await account.client.taskrouter.v1.workspaces(account.workspaceSid).fetch()).eventCallbackUrl,
    ).toBeFalsy();
    expect(writes(discord)).toEqual([]);
    expect(channelNamed(discord, guildId, 'bug-report')).toBeUndefined();
    expect(readFileSync(envFile, 'utf8')).toBe(before);
  });

  it('refuses to change anything without --yes when there is no terminal to ask on', async () => {
    const { discord, account } = await start(emptyGuild);
    const envFile = envFileFor(account, discord);
    await expect(provision(envFile)).rejects.toMatchObject({ code: 'NOT_CONFIRMED' });
    expect(writes(discord)).toEqual([]);
    expect(await account.client.studio.v2.flows.list()).toEqual([]);
  });

  it('names bad Twilio credentials (20003) and changes nothing on either side', async () => {
    const { discord, account } = await start(emptyGuild);
    const envFile = envFileFor(account, discord, `TWILIO_AUTH_TOKEN=${'f'.repeat(32)}\n`);
    const error = await provision(envFile, '--yes').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error).toMatchObject({ code: 'TWILIO_AUTH', status: 401 });
    expect((error as Error).message).toContain('20003');
    expect((error as Error).message).toContain('TWILIO_AUTH_TOKEN');
    expect((error as Error).message).not.toContain('f'.repeat(32));
    expect(writes(discord)).toEqual([]);
  });

  it('names the permission a bot without Manage Channels lacks, before creating anything', async () => {
    const fixture: Fixture = {
      guilds: [{ ...emptyGuild.guilds![0]!, botPermissions: ['ViewChannel', 'SendMessages', 'ManageRoles'] }],
    };
    const { discord, account, guildId } = await start(fixture);
    const envFile = envFileFor(account, discord);
    const error = await provision(envFile, '--yes').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DISCORD_MISSING_PERMISSION' });
    expect((error as Error).message).toContain(
      'Manage Channels (to create #announcements, create #bug-report',
    );
    expect((error as Error).message).toContain('Nothing was changed');
    expect(writes(discord)).toEqual([]);
    expect(await account.client.studio.v2.flows.list()).toEqual([]);
    expect(channelNamed(discord, guildId, 'announcements')).toBeUndefined();
  });

  it('creates text channels where Discord refuses forums (a guild that is not a Community server)', async () => {
    const fixture: Fixture = {
      guilds: [
        {
          ...emptyGuild.guilds![0]!,
          channels: [
            {
              name: 'announcements',
              permission_overwrites: [
                { role: '@everyone', deny: ['SendMessages', 'SendMessagesInThreads', 'CreatePublicThreads'] },
                {
                  member: 'Flexcord',
                  allow: ['ViewChannel', 'SendMessages', 'SendMessagesInThreads', 'EmbedLinks'],
                },
              ],
            },
          ],
        },
      ],
    };
    const { discord, account, guildId } = await start(fixture);
    const envFile = envFileFor(account, discord);
    // What Discord answers a forum it will not create; the emulator creates forums anywhere.
    discord.control.faults.inject({
      method: 'POST',
      path: '/guilds/:id/channels',
      status: 400,
      code: 50024,
      message: 'Cannot execute action on this channel type',
    });
    const run = await provision(envFile, '--yes', '--only', 'discord');
    expect(run.output).toContain('as a text channel (the guild has no forums)');
    expect(channelNamed(discord, guildId, 'bug-report')?.type).toBe(ChannelType.GuildText);
    expect(channelNamed(discord, guildId, 'feature-request')?.type).toBe(ChannelType.GuildText);
    const again = await provision(envFile, '--yes', '--only', 'discord');
    expect(again.plan.find((action) => action.resource.startsWith('#bug-report'))?.detail).toContain(
      'text channel',
    );
    expect(again.output).toContain('nothing to change');
  });
});

describe('npm run provision with TRIAGE_ROUTING=task', () => {
  it("creates the triage channel, queue and workflow in Flex's workspace and writes their SIDs; a second run changes nothing", async () => {
    const { discord, account } = await start(emptyGuild);
    const envFile = envFileFor(account, discord, 'TRIAGE_ROUTING=task\n');
    const first = await provision(envFile, '--yes', '--only', 'twilio');
    expect(first.exitCode).toBe(0);
    expect(first.plan.map((action) => [action.resource, action.action])).toEqual(
      expect.arrayContaining([
        ['Triage task channel "triage"', 'create'],
        ['Task queue "Flexcord triage"', 'create'],
        ['Workflow "Flexcord triage"', 'create'],
      ]),
    );
    const env = parseEnvFile(readFileSync(envFile, 'utf8'));
    expect(env.TRIAGE_WORKSPACE_SID).toBe(account.workspaceSid);
    expect(env.TRIAGE_WORKFLOW_SID).toMatch(/^WW[0-9a-f]{32}$/);

    // The workflow puts a triage task in the triage queue, for the agents with the triage skill.
    const ws = account.client.taskrouter.v1.workspaces(account.workspaceSid);
    const queue = (await ws.taskQueues.list()).find((q) => q.friendlyName === 'Flexcord triage')!;
    expect(queue.targetWorkers).toBe('routing.skills HAS "triage"');
    const task = await ws.tasks.create({
      workflowSid: env.TRIAGE_WORKFLOW_SID!,
      taskChannel: 'triage',
      attributes: JSON.stringify({ type: 'case_triage', caseNumber: 1 }),
    });
    expect(task.taskQueueSid).toBe(queue.sid);

    const second = await provision(envFile, '--yes', '--only', 'twilio');
    expect(second.exitCode).toBe(0);
    expect(
      second.plan
        .filter((action) => /triage|TRIAGE/.test(`${action.resource} ${action.detail}`))
        .map((a) => a.action),
    ).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });
});

describe('npm run provision with HELP_TOPICS', () => {
  it("writes a filter per routed topic ahead of the brand's own filters in the chat workflow, creates the topic's queue, and a second run changes nothing", async () => {
    const { discord, account } = await start(emptyGuild);
    const topics = join(mkdtempSync(join(tmpdir(), 'flexcord-topics-')), 'topics.yaml');
    writeFileSync(
      topics,
      [
        'topics:',
        '  - id: payments',
        '    label: { en: Payments, es: Pagos }',
        '    emoji: "💳"',
        '    routing: { queue: "Pagos y facturas", skills: [billing, es], priority: 5 }',
        '  - id: other',
        '    label: { en: Something else, es: Otra cosa }',
        '',
      ].join('\n'),
    );
    const ws = account.client.taskrouter.v1.workspaces(account.workspaceSid);
    const workflow = (await ws.workflows.list()).find((w) => w.friendlyName === 'Assign to Anyone')!;
    // The brand routes its VIPs with a filter of its own.
    const vip = await ws.taskQueues.create({ friendlyName: 'VIP', targetWorkers: '1==1' });
    const brand = JSON.parse(workflow.configuration) as { task_routing: { filters?: unknown[] } };
    brand.task_routing.filters = [
      { filter_friendly_name: 'VIP', expression: 'vip == true', targets: [{ queue: vip.sid }] },
    ];
    await ws.workflows(workflow.sid).update({ configuration: JSON.stringify(brand) });

    const envFile = envFileFor(account, discord, `HELP_TOPICS=${topics}\n`);
    const first = await provision(envFile, '--yes', '--only', 'twilio');
    expect(first.exitCode).toBe(0);
    expect(first.plan.map((action) => [action.resource, action.action])).toEqual(
      expect.arrayContaining([
        ['Task queue "Pagos y facturas"', 'create'],
        ['Workflow "Assign to Anyone" (help topic filters)', 'update'],
      ]),
    );
    const queue = (await ws.taskQueues.list()).find((q) => q.friendlyName === 'Pagos y facturas')!;
    expect(queue.targetWorkers).toBe('routing.skills HAS "billing" AND routing.skills HAS "es"');
    const routing = JSON.parse((await ws.workflows(workflow.sid).fetch()).configuration) as {
      task_routing: { filters: { filter_friendly_name: string; expression: string }[] };
    };
    expect(routing.task_routing.filters.map((f) => [f.filter_friendly_name, f.expression])).toEqual([
      [
        'Flexcord last agent: payments',
        '(customChannelType == "discord" AND topic == "payments") AND lastAgent != ""',
      ],
      ['Flexcord topic: payments', 'customChannelType == "discord" AND topic == "payments"'],
      ['Flexcord last agent', '(customChannelType == "discord") AND lastAgent != ""'],
      ['VIP', 'vip == true'],
    ]);
    // A reopened payments case waits for its last agent in the topic's queue, then the queue's anyone.
    expect(routing.task_routing.filters[0]).toMatchObject({
      targets: [
        { queue: queue.sid, known_worker_friendly_name: 'task.lastAgent', timeout: 20 },
        { queue: queue.sid },
      ],
    });
    const payments = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ customChannelType: 'discord', topic: 'payments' }),
    });
    expect(payments.taskQueueSid).toBe(queue.sid);
    const vipTask = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ vip: true }),
    });
    expect(vipTask.taskQueueSid).toBe(vip.sid);

    const second = await provision(envFile, '--yes', '--only', 'twilio');
    expect(
      second.plan.filter((action) => /Pagos|help topic/.test(action.resource)).map((a) => a.action),
    ).toEqual(['unchanged', 'unchanged']);
    expect(second.plan.find((action) => /last agent/.test(action.resource))?.action).toBe('unchanged');
    expect((await ws.workflows(workflow.sid).fetch()).configuration).toBe(JSON.stringify(routing));
  });
});

/**
 * The chat workflow offers a Discord task with a `lastAgent` to that worker only (Leo, though Dana
 * is as free and first in line), and one without to anyone of its queue at once.
 */
async function expectLastAgentFirst(account: TwilioAccount): Promise<void> {
  const ws = account.client.taskrouter.v1.workspaces(account.workspaceSid);
  const workflow = (await ws.workflows.list()).find((w) => w.friendlyName === 'Assign to Anyone')!;
  const workers = await ws.workers.list();
  const named = (name: string) => workers.find((w) => JSON.parse(w.attributes).full_name === name)!.sid;
  const reservedFor = async (lastAgent: string) => {
    const task = await ws.tasks.create({
      workflowSid: workflow.sid,
      taskChannel: 'chat',
      attributes: JSON.stringify({ customChannelType: 'discord', name: 'Lucía 🌷', lastAgent }),
    });
    const reservations = await ws.tasks(task.sid).reservations.list();
    await ws.tasks(task.sid).update({ assignmentStatus: 'canceled', reason: 'test over' });
    return reservations.map((r) => r.workerSid);
  };
  expect(await reservedFor('leo@example.com')).toEqual([named('Leo')]);
  expect(await reservedFor('')).toEqual([named('Dana')]);
}

function sha256(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `plugin-flexcord 0.1.0-sha-<first 12 hex of the built bundle's sha256>`. */
function pluginVersion(path = bundlePath): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../../flex-plugin/package.json', import.meta.url), 'utf8'),
  ) as {
    name: string;
    version: string;
  };
  return `${pkg.name} ${pkg.version}-sha-${sha256(readFileSync(path)).slice(0, 12)}`;
}

/** An .env with only the Twilio credentials (the plugin step needs no more). */
function pluginEnvFile(account: TwilioAccount): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flexcord-plugin-')), '.env');
  writeFileSync(
    path,
    `TWILIO_ACCOUNT_SID=${account.accountSid}\nTWILIO_AUTH_TOKEN=${account.authToken}\nTWILIO_API_BASE_URL=${account.url}\n`,
  );
  return path;
}

/** The active release's plugins, with the bytes Flex would load for ours. */
async function released(account: TwilioAccount) {
  const api = account.client.flexApi.v1;
  const active = await api.pluginReleases('Active').fetch();
  const plugins = await api.pluginConfigurations(active.configurationSid).plugins.list();
  const ours = plugins.find((plugin) => plugin.uniqueName === 'plugin-flexcord');
  const response = await fetch(emulatedRuntimeUrl(account.url, ours?.pluginUrl ?? ''), {
    headers: {
      Authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
    },
  });
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { active, plugins, ours, bytes };
}

describe('npm run provision: the Flex plugin', () => {
  it('deploys the very bundle the browser tests load, prints its checksum, and a second run changes nothing', async () => {
    const account = await startTwilioAccount();
    stops.push(() => account.stop());
    const envFile = pluginEnvFile(account);
    const expected = sha256(readFileSync(bundlePath));

    const dry = await provision(envFile, '--only', 'plugin', '--dry-run');
    expect(dry.output).toContain(`sha256 ${expected}`);
    expect(dry.output).toContain('Dry run: 2 change(s) planned, nothing was changed.');
    expect(await account.client.flexApi.v1.plugins.list()).toEqual([]);
    expect(await account.client.serverless.v1.services.list()).toEqual([]);

    const first = await provision(envFile, '--only', 'plugin', '--yes');
    expect(first.exitCode).toBe(0);
    expect(first.output).toContain(`sha256 ${expected}`);
    expect(first.applied.map((action) => action.resource)).toEqual([
      `Plugin version ${pluginVersion()}`,
      'Flex plugin plugin-flexcord release',
    ]);
    // Hosted the way the Plugins CLI hosts it: Serverless service "default", one environment per plugin.
    const [service] = await account.client.serverless.v1.services.list();
    expect(service?.uniqueName).toBe('default');
    const [environment] = await account.client.serverless.v1.services(service?.sid ?? '').environments.list();
    expect(environment?.uniqueName).toBe('plugin-flexcord');

    const live = await released(account);
    expect(live.ours?.version).toBe(pluginVersion().split(' ')[1]);
    expect(live.ours?.pluginUrl).toBe(
      `https://${environment?.domainName}/plugins/plugin-flexcord/${live.ours?.version}/bundle.js`,
    );
    expect(sha256(live.bytes)).toBe(expected);
    expect(live.bytes.equals(readFileSync(bundlePath))).toBe(true);

    const releasesBefore = (await account.client.flexApi.v1.pluginReleases.list()).length;
    const second = await provision(envFile, '--only', 'plugin', '--yes');
    expect(second.exitCode).toBe(0);
    expect(second.applied).toEqual([]);
    expect(second.plan.map((action) => action.action)).toEqual(['unchanged']);
    expect(second.output).toContain('nothing to change');
    expect(await account.client.flexApi.v1.pluginReleases.list()).toHaveLength(releasesBefore);
    expect(await account.client.serverless.v1.services(service?.sid ?? '').assets.list()).toHaveLength(1);
  });

  it("releases a new bundle beside the account's other plugins, rolls back to the previous release, and re-releases the tested one without uploading it again", async () => {
    const account = await startTwilioAccount();
    stops.push(() => account.stop());
    const envFile = pluginEnvFile(account);
    const api = account.client.flexApi.v1;
    // The brand already runs another plugin, released with the Plugins CLI.
    const other = await api.plugins.create({ uniqueName: 'plugin-brand-theme' });
    const otherVersion = await api.plugins(other.sid).pluginVersions.create({
      versionParam: '2.0.0',
      pluginUrl: 'https://default-1111-theme.twil.io/plugins/plugin-brand-theme/2.0.0/bundle.js',
    });
    const brandConfiguration = await api.pluginConfigurations.create({
      name: 'brand',
      plugins: [{ plugin_version: otherVersion.sid, phase: 3 }],
    });
    await api.pluginReleases.create({ configurationId: brandConfiguration.sid });

    // An older build of Flexcord is released first (another bundle file, other bytes).
    const olderBundle = join(mkdtempSync(join(tmpdir(), 'flexcord-old-')), 'plugin-flexcord.js');
    writeFileSync(olderBundle, `${readFileSync(bundlePath, 'utf8')}\n// older build ✨\n`);
    const older = await provision(envFile, '--only', 'plugin', '--yes', '--bundle', olderBundle);
    expect(older.exitCode).toBe(0);
    const afterOlder = await released(account);
    expect(afterOlder.plugins.map((plugin) => plugin.uniqueName).sort()).toEqual([
      'plugin-brand-theme',
      'plugin-flexcord',
    ]);
    expect(sha256(afterOlder.bytes)).toBe(sha256(readFileSync(olderBundle)));

    // The tested bundle replaces it; the brand's plugin stays.
    const tested = await provision(envFile, '--only', 'plugin', '--yes');
    expect(tested.plan.find((action) => action.resource.endsWith('release'))?.detail).toContain(
      `in place of ${pluginVersion(olderBundle).split(' ')[1]}`,
    );
    const afterTested = await released(account);
    expect(afterTested.plugins.map((plugin) => plugin.uniqueName).sort()).toEqual([
      'plugin-brand-theme',
      'plugin-flexcord',
    ]);
    expect(sha256(afterTested.bytes)).toBe(sha256(readFileSync(bundlePath)));

    // Roll back: the older configuration is released again; nothing is uploaded.
    const dryRollback = await provision(envFile, '--rollback', '--dry-run');
    expect(dryRollback.output).toContain(
      `roll back: release configuration ${afterOlder.active.configurationSid} again`,
    );
    expect((await api.pluginReleases('Active').fetch()).configurationSid).toBe(
      afterTested.active.configurationSid,
    );
    const rollback = await provision(envFile, '--rollback', '--yes');
    expect(rollback.exitCode).toBe(0);
    const afterRollback = await released(account);
    expect(afterRollback.active.configurationSid).toBe(afterOlder.active.configurationSid);
    expect(sha256(afterRollback.bytes)).toBe(sha256(readFileSync(olderBundle)));

    // Provisioning again releases the tested bundle's existing version: no second upload.
    const [service] = await account.client.serverless.v1.services.list();
    const assets = await account.client.serverless.v1.services(service?.sid ?? '').assets.list();
    const again = await provision(envFile, '--only', 'plugin', '--yes');
    expect(again.plan.map((action) => action.action)).toEqual(['unchanged', 'update']);
    expect(await account.client.serverless.v1.services(service?.sid ?? '').assets.list()).toHaveLength(
      assets.length,
    );
    expect(sha256((await released(account)).bytes)).toBe(sha256(readFileSync(bundlePath)));
  });

  it('says there is nothing to roll back to, and how to build a missing bundle', async () => {
    const account = await startTwilioAccount();
    stops.push(() => account.stop());
    const envFile = pluginEnvFile(account);
    await expect(provision(envFile, '--rollback', '--yes')).rejects.toMatchObject({
      code: 'NOTHING_TO_ROLL_BACK',
      message: expect.stringContaining('never released'),
    });
    await provision(envFile, '--only', 'plugin', '--yes');
    await expect(provision(envFile, '--rollback', '--yes')).rejects.toMatchObject({
      code: 'NOTHING_TO_ROLL_BACK',
      message: expect.stringContaining('is the only one ever released'),
    });
    await expect(provision(envFile, '--rollback', '--only', 'discord')).rejects.toMatchObject({
      code: 'BAD_FLAGS',
    });
    await expect(
      provision(envFile, '--only', 'plugin', '--yes', '--bundle', join(tmpdir(), 'no-such-bundle.js')),
    ).rejects.toMatchObject({
      code: 'PLUGIN_BUNDLE_MISSING',
      message: expect.stringContaining('npm run build -w plugin-flexcord'),
    });
  });
});
