import { type Client, DiscordAPIError, type Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { connectClient, startEmulator } from './helpers.ts';

/**
 * A string option with choices, each named in the member's language (`name_localizations`): the
 * client lists the names, the bot receives the chosen `value`.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure
 */
describe('slash-command option choices in the member’s language', () => {
  let emulator: DiscordEmulator;
  let client: Client;
  const received: Interaction[] = [];

  const severity = {
    type: 3,
    name: 'severity',
    description: 'How bad is it?',
    description_localizations: { 'es-ES': '¿Qué tan grave es?' },
    required: true,
    choices: [
      { name: 'Low', name_localizations: { 'es-ES': 'Baja' }, value: 'low' },
      { name: 'High', name_localizations: { 'es-ES': 'Alta' }, value: 'high' },
      { name: 'Critical 🔥', name_localizations: { 'es-ES': 'Crítica 🔥' }, value: 'critical' },
    ],
  };

  beforeAll(async () => {
    emulator = await startEmulator();
    ({ client } = await connectClient(emulator));
    client.on('interactionCreate', (interaction) => {
      received.push(interaction);
      if (interaction.isChatInputCommand()) void interaction.reply({ content: 'ok' });
    });
  });
  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
  });

  it('keeps each choice’s localized names, and sends the bot the value of the one chosen', async () => {
    await client.application?.commands.set([
      { name: 'bug', description: 'Report a bug', options: [severity] },
    ]);
    const [registered] = emulator.control.commands();
    expect(registered?.options?.[0]).toMatchObject({ choices: severity.choices });
    const fetched = await client.application?.commands.fetch();
    const option = fetched?.first()?.options[0];
    expect(option && 'choices' in option ? option.choices : []).toEqual([
      { name: 'Low', nameLocalizations: { 'es-ES': 'Baja' }, nameLocalized: undefined, value: 'low' },
      { name: 'High', nameLocalizations: { 'es-ES': 'Alta' }, nameLocalized: undefined, value: 'high' },
      {
        name: 'Critical 🔥',
        nameLocalizations: { 'es-ES': 'Crítica 🔥' },
        nameLocalized: undefined,
        value: 'critical',
      },
    ]);

    const outcome = await emulator.control.runCommand({
      user: 'alice',
      channel: 'general',
      name: 'bug',
      locale: 'es-ES',
      options: { severity: 'high' },
    });
    expect(outcome.response?.kind).toBe('message');
    const interaction = received.at(-1);
    expect(interaction?.isChatInputCommand() && interaction.options.getString('severity')).toBe('high');
    expect(interaction?.locale).toBe('es-ES');
    // A member picks from the list: a word that is no choice's value is not sent.
    await expect(
      emulator.control.runCommand({
        user: 'alice',
        channel: 'general',
        name: 'bug',
        options: { severity: 'alta' },
      }),
    ).rejects.toThrow('alta is not a choice of severity');
  });

  it('refuses a localized choice name over 100 characters, as Discord does, with 50035 at its path', async () => {
    const error = await client.application?.commands
      .create({
        name: 'bug',
        description: 'Report a bug',
        options: [
          {
            ...severity,
            choices: [{ name: 'Low', name_localizations: { 'es-ES': 'b'.repeat(101) }, value: 'low' }],
          },
        ],
      } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    const raw = (error as DiscordAPIError).rawError as { errors: unknown };
    expect(raw.errors).toEqual({
      options: {
        '0': {
          choices: {
            '0': {
              name_localizations: {
                'es-ES': {
                  _errors: [
                    { code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' },
                  ],
                },
              },
            },
          },
        },
      },
    });
  });
});
