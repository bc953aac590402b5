import { existsSync } from 'node:fs';
import {
  Client,
  GatewayIntentBits,
  type GatewayIntentsString,
  PermissionFlagsBits,
  PermissionsBitField,
  REST,
  Routes,
} from 'discord.js';
import twilio, { type Twilio } from 'twilio';
import { z } from 'zod';
import { RoleSchema } from '../discord/api-shapes.ts';
import { slashCommands } from '../discord/commands.ts';
import { basePermissions, GuildSchema } from './discord-calls.ts';
import { activeRelease } from './plan-plugin.ts';
import { CHAT_TASK_CHANNEL, FLEX_WORKFLOW_NAME } from './plan-twilio.ts';
import { DEFAULT_PLUGIN_BUNDLE, readPluginBundle } from './plugin-bundle.ts';
import type { SmokeOptions } from './smoke-config.ts';

/** One check's outcome: passed, or a problem in a plain sentence and the fix. */
export interface SmokeResult {
  check: string;
  ok: boolean;
  /** What passed, or what is wrong. */
  message: string;
  fix?: string;
}

/**
 * The permissions the running bridge uses in the guild (Manage Channels and Manage Roles are only
 * provisioning's). Create Private Threads only when chats may move to threads.
 */
function neededPermissions(options: SmokeOptions): [string, bigint][] {
  return [
    ['View Channels', PermissionFlagsBits.ViewChannel],
    ['Send Messages', PermissionFlagsBits.SendMessages],
    ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
    ['Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
    ['Embed Links', PermissionFlagsBits.EmbedLinks],
    ['Attach Files', PermissionFlagsBits.AttachFiles],
    ['Read Message History', PermissionFlagsBits.ReadMessageHistory],
    ['Manage Threads', PermissionFlagsBits.ManageThreads],
    ...(options.CHAT_THREADS === 'off'
      ? []
      : ([['Create Private Threads', PermissionFlagsBits.CreatePrivateThreads]] as [string, bigint][])),
  ];
}

/** The invite link with every permission docs/deploy.md lists. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=395405544464`;
}

export interface SmokeDeps {
  twilio: Twilio;
  rest: REST;
  /** How the bridge is reached (default: `fetch`). */
  fetch?: typeof fetch;
  /** The plugin bundle to compare with the released one (default: the built one, when present). */
  bundlePath?: string;
  /** How long the gateway may take to accept the bot (default 20 s). */
  gatewayTimeoutMs?: number;
}

/**
 * The live checks that need no member: each returns a {@link SmokeResult}. Checks that depend on
 * an earlier one (a Discord guild on a valid token) are skipped when it failed, so one cause gives
 * one sentence.
 */
export async function runSmokeChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  return [
    ...(await twilioChecks(options, deps)),
    ...(await bridgeChecks(options, deps)),
    ...(await discordChecks(options, deps)),
  ];
}

const pass = (check: string, message: string): SmokeResult => ({ check, ok: true, message });
const fail = (check: string, message: string, fix: string): SmokeResult => ({
  check,
  ok: false,
  message,
  fix,
});

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A read that may fail, kept as its value or its error (one check's failure is a sentence, not a crash). */
async function settle<T>(
  run: () => Promise<T>,
): Promise<{ value: T; error?: undefined } | { value?: undefined; error: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `${code ?? statusOf(error) ?? '?'}: ${message}`;
}

async function twilioChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  const client = deps.twilio;
  const results: SmokeResult[] = [];
  const base = options.PUBLIC_BASE_URL.replace(/\/+$/, '');

  let flexConfig: Awaited<ReturnType<ReturnType<Twilio['flexApi']['v1']['configuration']>['fetch']>>;
  try {
    flexConfig = await client.flexApi.v1.configuration().fetch();
    results.push(
      pass('Twilio credentials', `account ${options.TWILIO_ACCOUNT_SID} accepted them, Flex is set up`),
    );
  } catch (error) {
    const status = statusOf(error);
    results.push(
      status === 401
        ? fail(
            'Twilio credentials',
            'Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (20003 Authentication Error).',
            'Copy the Account SID and the Auth Token (not an API key secret) from Console → Account → API keys & tokens into .env.',
          )
        : status === 404
          ? fail(
              'Twilio credentials',
              'The credentials are valid but this account has no Flex configuration.',
              'Create a Flex project on this account (Console → Flex → Overview), then run `npm run provision`.',
            )
          : fail(
              'Twilio credentials',
              `Twilio could not be read (${describeError(error)}).`,
              'Check the network and TWILIO_API_BASE_URL, then run the check again.',
            ),
    );
    return results;
  }

  // The Flex workspace, its workflow and chat task channel.
  const workspaceSid = flexConfig.taskrouterWorkspaceSid;
  const workspace = workspaceSid
    ? await client.taskrouter.v1
        .workspaces(workspaceSid)
        .fetch()
        .catch(() => undefined)
    : undefined;
  if (!workspace) {
    results.push(
      fail(
        'Flex workspace',
        `Flex's configuration names no TaskRouter workspace that exists (${workspaceSid || 'none'}).`,
        'Open Flex once in the Console so it creates "Flex Task Assignment", or repair the Flex project.',
      ),
    );
  } else {
    const ws = client.taskrouter.v1.workspaces(workspace.sid);
    const [workflows, channels] = await Promise.all([
      ws.workflows.list({ limit: 200 }),
      ws.taskChannels.list({ limit: 200 }),
    ]);
    const wanted = options.TWILIO_FLEX_WORKFLOW_SID;
    const workflow = workflows.find((candidate) =>
      wanted ? candidate.sid === wanted : candidate.friendlyName === FLEX_WORKFLOW_NAME,
    );
    const channel = channels.find((candidate) => candidate.uniqueName === CHAT_TASK_CHANNEL);
    results.push(
      !workflow
        ? fail(
            'Flex workspace',
            wanted
              ? `The workflow ${wanted} (TWILIO_FLEX_WORKFLOW_SID) is not in workspace "${workspace.friendlyName}".`
              : `The workflow "${FLEX_WORKFLOW_NAME}" is not in workspace "${workspace.friendlyName}".`,
            'Fix TWILIO_FLEX_WORKFLOW_SID (or create the workflow in Console → TaskRouter), then run `npm run provision -- --only twilio`.',
          )
        : !channel
          ? fail(
              'Flex workspace',
              `The task channel "${CHAT_TASK_CHANNEL}" is not in workspace "${workspace.friendlyName}".`,
              'Create it (Console → TaskRouter → Workspaces → Task Channels, unique name "chat").',
            )
          : pass(
              'Flex workspace',
              `"${workspace.friendlyName}" with workflow "${workflow.friendlyName}" and task channel "chat"`,
            ),
    );
    const callbackUrl = `${base}/webhooks/twilio/taskrouter`;
    results.push(
      workspace.eventCallbackUrl === callbackUrl
        ? pass('TaskRouter event callback', callbackUrl)
        : fail(
            'TaskRouter event callback',
            `TaskRouter sends its events to ${workspace.eventCallbackUrl || 'nowhere'}, not to ${callbackUrl}: "Dana joined the chat" then depends on the Conversations webhook alone.`,
            'Run `npm run provision -- --only twilio` (add --force to replace a URL that is not ours).',
          ),
    );
  }

  // The Conversations service the bridge uses.
  const { value: service, error: serviceError } = await settle(() =>
    client.conversations.v1.services(options.TWILIO_CONVERSATIONS_SERVICE_SID).fetch(),
  );
  results.push(
    !service
      ? fail(
          'Conversations service',
          `The Conversations service ${options.TWILIO_CONVERSATIONS_SERVICE_SID} (TWILIO_CONVERSATIONS_SERVICE_SID) is not on this account (${describeError(serviceError)}).`,
          "Run `npm run provision -- --only twilio`: it finds Flex's service and writes its SID to .env.",
        )
      : pass('Conversations service', `${service.sid} "${service.friendlyName}"`),
  );

  // The Studio flow: published, calling the bridge at PUBLIC_BASE_URL.
  const botUrl = `${base}/webhooks/twilio/bot`;
  const { value: flow, error: flowError } = await settle(() =>
    client.studio.v2.flows(options.TWILIO_STUDIO_FLOW_SID).fetch(),
  );
  if (!flow) {
    results.push(
      fail(
        'Studio flow',
        `The Studio flow ${options.TWILIO_STUDIO_FLOW_SID} (TWILIO_STUDIO_FLOW_SID) is not on this account (${describeError(flowError)}).`,
        'Run `npm run provision -- --only twilio`: it deploys flows/discord-inbound.json and writes its SID to .env.',
      ),
    );
  } else {
    const definition = JSON.stringify(flow.definition ?? {});
    const urls = [...new Set(definition.match(/https?:\/\/[^"\\]+\/webhooks\/twilio\/bot/g) ?? [])];
    results.push(
      flow.status !== 'published'
        ? fail(
            'Studio flow',
            `The Studio flow "${flow.friendlyName}" is a ${flow.status}, not published.`,
            'Run `npm run provision -- --only twilio`.',
          )
        : !urls.includes(botUrl)
          ? fail(
              'Studio flow',
              `The Studio flow "${flow.friendlyName}" calls the bot at ${urls.join(', ') || 'no URL'}, not at ${botUrl}.`,
              'PUBLIC_BASE_URL changed since provisioning: run `npm run provision -- --only twilio`.',
            )
          : pass('Studio flow', `"${flow.friendlyName}" published, calls ${botUrl}`),
    );
  }

  // The Flex plugin: released, and the built bundle's bytes when there is one to compare.
  const bundlePath = deps.bundlePath ?? DEFAULT_PLUGIN_BUNDLE;
  const bundle = existsSync(bundlePath) ? readPluginBundle(bundlePath) : undefined;
  const name = bundle?.name ?? 'plugin-flexcord';
  const { value: released, error: releaseError } = await settle(() => activeRelease(client, name));
  if (releaseError) {
    results.push(
      fail(
        'Flex plugin',
        `The Flex Plugins API could not be read (${describeError(releaseError)}).`,
        'Check that Flex is enabled, then run the check again.',
      ),
    );
  } else if (!released?.version) {
    results.push(
      fail(
        'Flex plugin',
        released
          ? `The active Flex plugin release (configuration ${released.configurationSid}) does not include ${name}: agents see no Discord channel or case panel.`
          : `Flex has no plugin release: agents see no Discord channel or case panel.`,
        'Run `npm run provision -- --only plugin`.',
      ),
    );
  } else if (bundle && released.sha256 !== bundle.sha256) {
    results.push(
      fail(
        'Flex plugin',
        `Flex runs ${name} ${released.version}, which is not the bundle built here (sha256 ${bundle.sha256.slice(0, 12)}…).`,
        'Run `npm run provision -- --only plugin` to release the built bundle (or `--rollback` if the release is what you want).',
      ),
    );
  } else {
    results.push(
      pass(
        'Flex plugin',
        `${name} ${released.version} released${bundle ? ', same sha256 as the built bundle' : ''}`,
      ),
    );
  }
  return results;
}

async function bridgeChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  const http = deps.fetch ?? fetch;
  const base = options.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const health = await http(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(
    (error: unknown) => error,
  );
  if (health instanceof Error || !(health instanceof Response) || !health.ok) {
    return [
      fail(
        'Bridge at PUBLIC_BASE_URL',
        `Nothing healthy answers at ${base}/healthz (${health instanceof Response ? `HTTP ${health.status}` : describeError(health)}): Twilio's webhooks cannot reach the bridge.`,
        'Start the bridge and make PUBLIC_BASE_URL its public HTTPS address (docs/deploy.md §5: the proxy must forward /webhooks and /api).',
      ),
    ];
  }
  const results = [pass('Bridge at PUBLIC_BASE_URL', `${base}/healthz answers`)];

  // A request signed as Twilio signs it must pass the bridge's signature check; an unsigned one must not.
  const url = `${base}/webhooks/twilio/taskrouter`;
  const params = { EventType: 'flexcord.smoke-check' };
  const signature = twilio.getExpectedTwilioSignature(options.TWILIO_AUTH_TOKEN, url, params);
  const post = (headers: Record<string, string>) =>
    http(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => error);
  const signed = await post({ 'X-Twilio-Signature': signature });
  const unsigned = await post({});
  const codeOf = async (response: unknown) =>
    response instanceof Response
      ? ((await response.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code
      : undefined;
  const signedCode = await codeOf(signed);
  if (!(signed instanceof Response) || signed.status >= 500) {
    results.push(
      fail(
        'Webhook signature',
        `The bridge did not answer a signed webhook at ${url} (${signed instanceof Response ? `HTTP ${signed.status}` : describeError(signed)}).`,
        'Look at the bridge logs for the error, then run the check again.',
      ),
    );
  } else if (signedCode?.startsWith('signature_')) {
    results.push(
      fail(
        'Webhook signature',
        `The bridge refused a webhook signed with TWILIO_AUTH_TOKEN for ${url} (${signedCode}): it runs with another auth token or another PUBLIC_BASE_URL, so it refuses every Twilio webhook.`,
        'Give the bridge the same TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL as this .env (a proxy must not rewrite the host or path), then restart it.',
      ),
    );
  } else if (unsigned instanceof Response && unsigned.status < 400) {
    results.push(
      fail(
        'Webhook signature',
        `The bridge accepted an unsigned webhook at ${url}: anyone could post as Twilio.`,
        'Run the released bridge (it refuses unsigned webhooks with 400) and check that no proxy answers for it.',
      ),
    );
  } else {
    results.push(
      pass('Webhook signature', `${url} accepts Twilio's signature and refuses unsigned requests`),
    );
  }
  return results;
}

const UserSchema = z.object({ id: z.string(), username: z.string() });
const ApplicationSchema = z.object({ id: z.string(), name: z.string() });
const MemberSchema = z.object({ roles: z.array(z.string()) });
const CommandSchema = z.object({ name: z.string() });

async function discordChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  const { rest } = deps;
  const results: SmokeResult[] = [];
  let bot: z.infer<typeof UserSchema>;
  try {
    bot = UserSchema.parse(await rest.get(Routes.user()));
    results.push(pass('Discord bot token', `the bot is ${bot.username}`));
  } catch (error) {
    results.push(
      statusOf(error) === 401
        ? fail(
            'Discord bot token',
            'Discord refused DISCORD_TOKEN (401).',
            'Developer Portal → your application → Bot → Reset Token, and put the new token in DISCORD_TOKEN.',
          )
        : fail(
            'Discord bot token',
            `Discord could not be read (${describeError(error)}).`,
            'Check the network and DISCORD_API_URL, then run the check again.',
          ),
    );
    return results;
  }

  const application = ApplicationSchema.parse(await rest.get(Routes.currentApplication()));
  if (application.id !== options.DISCORD_APPLICATION_ID) {
    results.push(
      fail(
        'Discord application',
        `DISCORD_APPLICATION_ID is ${options.DISCORD_APPLICATION_ID}, but the token belongs to "${application.name}" (${application.id}): commands would be registered for the wrong application.`,
        `Set DISCORD_APPLICATION_ID=${application.id} (Developer Portal → General Information → Application ID).`,
      ),
    );
    return results;
  }
  results.push(pass('Discord application', `"${application.name}" (${application.id})`));

  // The guild: DISCORD_GUILD_ID, else the bot's only guild.
  let guildId = options.DISCORD_GUILD_ID;
  if (!guildId) {
    const guilds = z.array(z.object({ id: z.string() })).parse(await rest.get(Routes.userGuilds()));
    if (guilds.length !== 1) {
      results.push(
        fail(
          'Bot in the guild',
          guilds.length
            ? `The bot is in ${guilds.length} guilds and DISCORD_GUILD_ID does not say which one is the brand's.`
            : 'The bot is in no guild.',
          guilds.length
            ? "Set DISCORD_GUILD_ID to your server's id."
            : `Invite it: ${inviteUrl(application.id)}`,
        ),
      );
      return results;
    }
    guildId = guilds[0]?.id ?? '';
  }
  let guild: z.infer<typeof GuildSchema>;
  let roles: z.infer<typeof RoleSchema>[];
  let member: z.infer<typeof MemberSchema>;
  try {
    guild = GuildSchema.parse(await rest.get(Routes.guild(guildId)));
    roles = z.array(RoleSchema).parse(await rest.get(Routes.guildRoles(guildId)));
    member = MemberSchema.parse(await rest.get(Routes.guildMember(guildId, bot.id)));
  } catch (error) {
    results.push(
      fail(
        'Bot in the guild',
        `The bot is not in the guild ${guildId} (${describeError(error)}).`,
        `Invite it with the permissions it needs: ${inviteUrl(application.id)}`,
      ),
    );
    return results;
  }
  results.push(pass('Bot in the guild', `${bot.username} is in "${guild.name}"`));

  const permissions = basePermissions(guild, roles, bot.id, member.roles);
  const missing = neededPermissions(options)
    .filter(([, flag]) => (permissions & flag) !== flag)
    .map(([name]) => name);
  results.push(
    missing.length
      ? fail(
          'Bot permissions',
          `In "${guild.name}" the bot lacks ${missing.join(', ')}${missing.includes('Create Private Threads') ? ' (chats cannot move to private threads)' : ''}.`,
          `Give the bot's role ${missing.join(', ')} (Server Settings → Roles), or re-invite it: ${inviteUrl(application.id)}`,
        )
      : pass(
          'Bot permissions',
          `has ${new PermissionsBitField(neededPermissions(options).reduce((sum, [, flag]) => sum | flag, 0n)).toArray().length} needed permissions`,
        ),
  );

  // Slash commands, where provisioning registers them.
  const route = options.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(application.id, options.DISCORD_GUILD_ID)
    : Routes.applicationCommands(application.id);
  const registered = z
    .array(CommandSchema)
    .parse(await rest.get(route))
    .map((command) => command.name);
  const expected = slashCommands().map((command) => command.name);
  const absent = expected.filter((name) => !registered.includes(name));
  results.push(
    absent.length
      ? fail(
          'Slash commands',
          `${absent.map((name) => `/${name}`).join(', ')} ${absent.length === 1 ? 'is' : 'are'} not registered ${options.DISCORD_GUILD_ID ? `in "${guild.name}"` : 'globally'}: members cannot use ${absent.length === 1 ? 'it' : 'them'}.`,
          'Run `npm run provision -- --only discord`.',
        )
      : pass('Slash commands', expected.map((name) => `/${name}`).join(', ')),
  );

  results.push(await intentsCheck(options, deps));
  return results;
}

/**
 * Opens a gateway session with the intents the bridge asks for: Discord closes it with 4014 when a
 * privileged one (Message Content, needed with CHAT_THREADS) is not enabled for the application.
 *
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
 */
async function intentsCheck(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult> {
  const intents: GatewayIntentsString[] = [
    'Guilds',
    'DirectMessages',
    ...(options.CHAT_THREADS === 'off' ? [] : (['GuildMessages', 'MessageContent'] as const)),
  ];
  const client = new Client({
    intents: intents.map((name) => GatewayIntentBits[name]),
    rest: { api: options.DISCORD_API_URL },
  });
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        client.once('clientReady', () => resolve());
        client.login(options.DISCORD_TOKEN).catch(reject);
      }),
      new Promise<never>((_resolve, reject) =>
        setTimeout(
          () => reject(new Error('the gateway did not accept the session in time')),
          deps.gatewayTimeoutMs ?? 20_000,
        ).unref(),
      ),
    ]);
    return pass('Gateway intents', intents.join(', '));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (
      /disallowed intents|privileged intent|4014/i.test(
        `${message} ${(error as { code?: unknown }).code ?? ''}`,
      )
    ) {
      return fail(
        'Gateway intents',
        `Discord refused the bot's gateway session (4014): the Message Content intent is off, and with CHAT_THREADS=${options.CHAT_THREADS} the bridge needs it to read chats in private threads.`,
        'Developer Portal → your application → Bot → Privileged Gateway Intents → turn on Message Content (or set CHAT_THREADS=off).',
      );
    }
    return fail(
      'Gateway intents',
      `The bot could not open a gateway session (${message}).`,
      'Check the network, then run the check again.',
    );
  } finally {
    await client.destroy();
  }
}

/** A discord.js REST client for the options. */
export function discordRest(options: SmokeOptions): REST {
  return new REST({ api: options.DISCORD_API_URL }).setToken(options.DISCORD_TOKEN);
}
