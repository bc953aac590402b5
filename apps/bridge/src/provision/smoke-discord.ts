import {
  Client,
  GatewayIntentBits,
  type GatewayIntentsString,
  PermissionFlagsBits,
  PermissionsBitField,
  REST,
  Routes,
} from 'discord.js';
import { z } from 'zod';
import { RoleSchema } from '../adapters/discord/api-shapes.ts';
import { slashCommands } from '../adapters/discord/commands.ts';
import { basePermissions, GuildSchema } from './discord-calls.ts';
import type { SmokeOptions } from './smoke-config.ts';
import { describeError, fail, pass, type SmokeDeps, type SmokeResult, statusOf } from './smoke-result.ts';

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

const UserSchema = z.object({ id: z.string(), username: z.string() });
const ApplicationSchema = z.object({ id: z.string(), name: z.string() });
const MemberSchema = z.object({ roles: z.array(z.string()) });
const CommandSchema = z.object({ name: z.string() });

/** The Discord side: token, application, guild, permissions, commands, intents. */
export async function discordChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
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
