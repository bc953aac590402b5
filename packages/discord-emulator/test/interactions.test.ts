import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  DiscordAPIError,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DiscordEmulator } from '../src/index.ts';
import { connectClient, startEmulator } from './helpers.ts';

/** The bot under test: one handler per command, set by each test. */
type Handler = (interaction: Interaction) => Promise<void>;

describe('interactions', () => {
  let emulator: DiscordEmulator;
  let client: Client;
  let errors: unknown[];
  let handler: Handler = async () => {};
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ interactionDeadlineMs: 600 });
    ({ client, errors } = await connectClient(emulator));
    client.on('interactionCreate', (interaction) => {
      handler(interaction).catch((error: unknown) => handlerErrors.push(error));
    });
    await client.application?.commands.set([
      new SlashCommandBuilder().setName('helpme').setDescription('Get help').toJSON(),
      new SlashCommandBuilder()
        .setName('case')
        .setDescription('Your cases')
        .addStringOption((option) => option.setName('number').setDescription('Case number').setRequired(true))
        .addBooleanOption((option) => option.setName('details').setDescription('Show details'))
        .toJSON(),
      new SlashCommandBuilder().setName('bug').setDescription('Report a bug').toJSON(),
      new SlashCommandBuilder()
        .setName('new_feature')
        .setDescription('Moderators only')
        .setDefaultMemberPermissions('8192')
        .toJSON(),
    ]);
  });

  afterAll(async () => {
    await client?.destroy();
    await emulator?.stop();
  });

  it('when the bot overwrites its commands in bulk, then they are listed with ids and versions', async () => {
    const commands = emulator.control.commands();
    expect(commands.map((command) => command.name)).toEqual(['helpme', 'case', 'bug', 'new_feature']);
    for (const command of commands) {
      expect(command.id).toMatch(/^\d+$/);
      expect(command.application_id).toBe(emulator.applicationId);
      expect(command.version).toMatch(/^\d+$/);
    }
    expect(commands.find((command) => command.name === 'new_feature')?.default_member_permissions).toBe(
      '8192',
    );
    const fetched = await client.application?.commands.fetch();
    expect(fetched?.size).toBe(4);
  });

  it('when a command is invalid, then registering it fails with 50035 and the errors per field', async () => {
    const error = await client.application?.commands
      .create({ name: 'Bad Name', description: 'x'.repeat(101) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    const raw = (error as DiscordAPIError).rawError as { errors: Record<string, unknown> };
    expect(Object.keys(raw.errors).sort()).toEqual(['description', 'name']);
  });

  it('when a member runs a command answered ephemerally, then only that member sees the reply', async () => {
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const number = interaction.options.getString('number', true);
      await interaction.reply({ content: `Case #${number} is open`, flags: MessageFlags.Ephemeral });
    };
    const outcome = await emulator.control.runCommand({
      user: 'alice',
      channel: 'general',
      name: 'case',
      options: { number: '42', details: true },
    });
    expect(outcome.response?.kind).toBe('message');
    if (outcome.response?.kind !== 'message') return;
    expect(outcome.response.message.content).toBe('Case #42 is open');
    expect(outcome.response.message.flags).toBe(MessageFlags.Ephemeral);
    expect(outcome.response.message.visible_to).toBe(emulator.control.user('alice').id);
    const replyId = outcome.response.message.id;
    expect(
      emulator.control.messages('general', { as: 'maude' }).some((message) => message.id === replyId),
    ).toBe(false);
    expect(emulator.control.messages('general', { as: 'alice' }).map((message) => message.content)).toContain(
      'Case #42 is open',
    );
  });

  it('when the bot defers, then its first followup fills the reply, @original edits it, later followups are new', async () => {
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.followUp('Looking into it');
      await interaction.editReply('Here is what I found');
      await interaction.followUp({ content: 'Only for you', flags: MessageFlags.Ephemeral });
    };
    const outcome = await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'helpme' });
    expect(outcome.response?.kind).toBe('deferred');
    await emulator.control.waitForMessage({ channel: 'general', contains: 'Only for you' });
    const report = emulator.control.interaction(outcome.interactionId);
    expect(report.original?.content).toBe('Here is what I found');
    expect((report.original?.flags ?? 0) & MessageFlags.Loading).toBe(0);
    expect(report.followups.map((message) => [message.content, message.visible_to])).toEqual([
      ['Only for you', emulator.control.user('alice').id],
    ]);
  });

  it('when the bot shows a modal and the member submits it, then the bot gets the values and replies', async () => {
    handler = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const modal = new ModalBuilder()
          .setCustomId('bug-form')
          .setTitle('Report a bug')
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder()
                .setCustomId('summary')
                .setLabel('Summary')
                .setStyle(TextInputStyle.Short),
            ),
          )
          .addLabelComponents(
            new LabelBuilder()
              .setLabel('Steps')
              .setTextInputComponent(
                new TextInputBuilder()
                  .setCustomId('steps')
                  .setStyle(TextInputStyle.Paragraph)
                  .setRequired(false),
              ),
          );
        await interaction.showModal(modal);
      } else if (interaction.isModalSubmit()) {
        const summary = interaction.fields.getTextInputValue('summary');
        const steps = interaction.fields.getTextInputValue('steps');
        await interaction.reply({ content: `Bug filed: ${summary} / ${steps}` });
      }
    };
    const shown = await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'bug' });
    expect(shown.response?.kind).toBe('modal');
    if (shown.response?.kind !== 'modal') return;
    expect(shown.response.modal.title).toBe('Report a bug');
    const submitted = await emulator.control.submitModal({
      user: 'alice',
      values: { summary: 'Login broken', steps: 'Click login' },
    });
    expect(submitted.response?.kind).toBe('message');
    if (submitted.response?.kind !== 'message') return;
    expect(submitted.response.message.content).toBe('Bug filed: Login broken / Click login');
  });

  it('when a modal’s text input breaks Discord’s limits, then showing it fails with 50035 naming the field', async () => {
    const refused: unknown[] = [];
    const input = (extra: Record<string, unknown>) => ({
      custom_id: 'bug-form',
      title: 'Informe de error',
      components: [
        {
          type: 1,
          components: [{ type: 4, custom_id: 'summary', label: 'Resumen', style: 1, ...extra }],
        },
      ],
    });
    const tries = [
      input({ placeholder: 'p'.repeat(101) }),
      input({ max_length: 4001 }),
      input({ min_length: -1 }),
      input({ style: 3 }),
    ];
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const modal = tries.shift()!;
      await interaction.showModal(modal as never).catch((error: unknown) => refused.push(error));
    };
    for (let i = 0; i < 4; i++)
      await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'bug' });
    await vi.waitFor(() => expect(refused).toHaveLength(4));
    expect(refused.map((error) => (error as DiscordAPIError).code)).toEqual([50035, 50035, 50035, 50035]);
    const fields = refused.map((error) => JSON.stringify((error as DiscordAPIError).rawError));
    expect(fields[0]).toContain('"placeholder":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"');
    expect(fields[1]).toContain('"max_length":{"_errors":[{"code":"NUMBER_TYPE_MAX"');
    expect(fields[2]).toContain('"min_length":{"_errors":[{"code":"NUMBER_TYPE_MIN"');
    expect(fields[3]).toContain('"style":{"_errors":[{"code":"BASE_TYPE_CHOICES"');
  });

  it('when a member clicks a button, then interaction.update edits the message in place', async () => {
    handler = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.reply({
          content: 'Need a human?',
          components: [
            new ActionRowBuilder<ButtonBuilder>().addComponents(
              new ButtonBuilder()
                .setCustomId('talk-to-agent')
                .setLabel('Talk to an agent')
                .setStyle(ButtonStyle.Primary),
            ),
          ],
        });
      } else if (interaction.isButton()) {
        await interaction.update({ content: 'Connecting you to an agent', components: [] });
      }
    };
    const asked = await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'helpme' });
    if (asked.response?.kind !== 'message') throw new Error('expected a message');
    const messageId = asked.response.message.id;
    const clicked = await emulator.control.clickButton({
      user: 'alice',
      messageId,
      customId: 'talk-to-agent',
    });
    expect(clicked.response?.kind).toBe('update');
    expect(emulator.control.message(messageId)?.content).toBe('Connecting you to an agent');
    expect(emulator.control.message(messageId)?.components).toEqual([]);
  });

  it('when a member picks a select option, then the bot receives the chosen values', async () => {
    handler = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.reply({
          content: 'Pick a topic',
          components: [
            new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
              new StringSelectMenuBuilder()
                .setCustomId('topic')
                .addOptions({ label: 'Billing', value: 'billing' }, { label: 'Bugs', value: 'bugs' }),
            ),
          ],
        });
      } else if (interaction.isStringSelectMenu()) {
        await interaction.reply({
          content: `Topic: ${interaction.values.join(',')}`,
          flags: MessageFlags.Ephemeral,
        });
      }
    };
    const asked = await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'helpme' });
    if (asked.response?.kind !== 'message') throw new Error('expected a message');
    const chosen = await emulator.control.selectMenu({
      user: 'alice',
      messageId: asked.response.message.id,
      customId: 'topic',
      values: ['billing'],
    });
    expect(chosen.response?.kind === 'message' && chosen.response.message.content).toBe('Topic: billing');
  });

  it('when the bot replies with a file and asks for the response, then it gets the created message back', async () => {
    let resourceMessageId: string | undefined;
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({
        content: 'Your transcript',
        files: [{ attachment: Buffer.from('hello'), name: 'transcript.txt' }],
        withResponse: true,
      });
      resourceMessageId = response.resource?.message?.id;
    };
    const outcome = await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'helpme' });
    if (outcome.response?.kind !== 'message') throw new Error('expected a message');
    expect(outcome.response.message.attachments.map((attachment) => attachment.filename)).toEqual([
      'transcript.txt',
    ]);
    await expect.poll(() => resourceMessageId).toBe(outcome.response.message.id);
  });

  it('when the bot answers after the deadline, then discord.js gets 10062 and the control sees no response', async () => {
    const failures: unknown[] = [];
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await new Promise((resolve) => setTimeout(resolve, 800));
      await interaction.reply('Too late').catch((error: unknown) => failures.push(error));
    };
    const outcome = await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'helpme' });
    expect(outcome.response).toBeNull();
    await expect.poll(() => failures.length).toBe(1);
    expect((failures[0] as DiscordAPIError).code).toBe(10062);
  });

  it('when the bot acknowledges twice, then the second callback fails with 40060', async () => {
    const failures: unknown[] = [];
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('First');
      // Bypass discord.js's own "already replied" guard to reach the API.
      await client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content: 'Second' } },
          auth: false,
        })
        .catch((error: unknown) => failures.push(error));
    };
    await emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'helpme' });
    await expect.poll(() => failures.length).toBe(1);
    expect((failures[0] as DiscordAPIError).code).toBe(40060);
    expect((failures[0] as DiscordAPIError).status).toBe(400);
  });

  it('when a command needs a permission the member lacks, then the control API refuses to run it', async () => {
    await expect(
      emulator.control.runCommand({ user: 'alice', channel: 'general', name: 'new_feature' }),
    ).rejects.toThrow(/limited to members/);
    handler = async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply('Feature noted');
    };
    const outcome = await emulator.control.runCommand({
      user: 'maude',
      channel: 'general',
      name: 'new_feature',
    });
    expect(outcome.response?.kind).toBe('message');
  });

  it('no handler errors and no client errors', () => {
    expect(handlerErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
