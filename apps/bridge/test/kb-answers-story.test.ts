import { KbGapsResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';

/**
 * The virtual agent as members meet it, through the real path (discord.js on the Discord
 * emulator, the Studio flow run by the Twilio emulator, the bridge): it answers in the language
 * the member writes in, offers the agent when it isn't sure, and what members asked and didn't
 * get reaches the KB owner's gaps report.
 */
describe('the virtual agent answers in the member’s language and learns what the KB lacks', () => {
  let stack: Stack;
  let token = '';

  beforeAll(async () => {
    stack = await startStack();
    token = stack.twilio.control.issueFlexToken('Dana').token;
    for (const user of ['pixelpat', 'lucia']) {
      await stack.discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
      await stack.discord.control.waitForMessage({
        dmWith: user,
        predicate: (m) => /Hi|Hola/.test(m.content),
      });
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  type Message = ReturnType<Stack['discord']['control']['dmMessages']>[number];
  const buttons = (message: Message) =>
    (message.components ?? []).flatMap((row) =>
      'components' in row ? (row.components as { custom_id: string; label: string }[]) : [],
    );
  /** Sends a DM and waits for the bot's next message in that DM. */
  const ask = async (user: string, content: string): Promise<Message> => {
    const before = stack.discord.control.dmMessages(user).length;
    stack.discord.control.sendMessage({ user, content });
    return eventually(() => {
      const after = stack.discord.control.dmMessages(user).slice(before);
      return after.find((message) => message.author.id === stack.discord.control.botUserId);
    }, `the bot's answer to "${content}"`);
  };
  const gaps = async () => {
    const response = await fetch(`${stack.bridge.url}/api/kb/gaps?days=7`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return KbGapsResponseSchema.parse(await response.json()).report;
  };

  it('when Pat (English Discord) asks in Spanish, the whole answer is in Spanish', async () => {
    const answer = await ask('pixelpat', 'se me cierra el juego al iniciar en el pc');
    expect(answer.embeds[0]?.title).toBe('Esto es lo que encontré');
    expect(answer.embeds[0]?.fields?.[0]?.value).toContain('el-juego-se-cierra-al-iniciar-es');
    expect(answer.embeds[0]?.fields?.[0]?.value).toContain('Leer el artículo');
    expect(answer.embeds[0]?.footer?.text).toBe('¿No lo resolvió? Pulsa «Hablar con un agente».');
    expect(buttons(answer).map((button) => button.label)).toEqual(['Me ayudó', 'Hablar con un agente']);
  });

  it('when Pat presses "Me ayudó", the thanks is in Spanish too, and the answer is recorded as helpful', async () => {
    const answer = stack.discord.control
      .dmMessages('pixelpat')
      .findLast((message) => message.embeds.length > 0)!;
    const helped = buttons(answer).find((button) => button.label === 'Me ayudó')!;
    await stack.discord.control.clickButton({
      user: 'pixelpat',
      messageId: answer.id,
      customId: helped.custom_id,
    });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: '¡Me alegra haber ayudado!' });
    const report = await gaps();
    expect(report.unhelpfulArticles).toEqual([]);
    expect(report.questions.answer).toBeGreaterThanOrEqual(1);
  });

  it('when Lucía (Spanish Discord) asks in English, the answer is in English', async () => {
    const answer = await ask('lucia', 'my game keeps crashing on my phone');
    expect(answer.embeds[0]?.title).toBe('Here is what I found');
    expect(answer.embeds[0]?.fields?.[0]?.value).toContain('game-crashes-mobile');
  });

  it('when the question says nothing of its language, the member’s Discord locale decides', async () => {
    const answer = await ask('lucia', '😀😀😀');
    expect(answer.content).toContain('No estoy seguro de tener un artículo sobre eso');
    expect(buttons(answer).map((button) => button.label)).toEqual(['Hablar con un agente']);
  });

  it('when the KB has nothing, the bot says it isn’t sure and offers the agent, and the gaps report lists the question', async () => {
    const first = await ask('pixelpat', 'how do i change my username');
    expect(first.content).toContain("I'm not sure I have an article about that");
    expect(first.embeds).toEqual([]);
    await ask('pixelpat', 'how can I change my username?');
    const report = await gaps();
    const gap = report.gaps.find((candidate) => /username/.test(candidate.question));
    expect(gap).toMatchObject({ count: 2, unanswered: 2, languages: ['en'] });
    expect([gap!.question, ...gap!.examples].sort()).toEqual([
      'how can I change my username?',
      'how do i change my username',
    ]);
  });

  it('when Lucía presses "Talk to an agent" after an answer, that article shows as unhelpful', async () => {
    const answer = stack.discord.control
      .dmMessages('lucia')
      .findLast((message) => message.embeds.length > 0)!;
    const agent = buttons(answer).find((button) => button.label === 'Talk to an agent')!;
    await stack.discord.control.clickButton({
      user: 'lucia',
      messageId: answer.id,
      customId: agent.custom_id,
    });
    await stack.discord.control.waitForMessage({ dmWith: 'lucia', predicate: (m) => /#\d+/.test(m.content) });
    const report = await gaps();
    expect(report.unhelpfulArticles).toContainEqual({
      slug: 'game-crashes-mobile',
      title: 'Game crashes or closes on Android or iOS',
      shown: 1,
      helped: 0,
      agent: 1,
    });
    expect(report.gaps.some((gap) => gap.question === 'my game keeps crashing on my phone')).toBe(true);
  });

  it('registers every slash command and option described in English and in both Spanish locales', () => {
    const commands = stack.discord.control.commands();
    expect(commands.map((command) => command.name)).toContain('helpme');
    const described = commands.flatMap((command) => [command, ...(command.options ?? [])]);
    for (const item of described) {
      for (const locale of ['es-ES', 'es-419'] as const) {
        const text = item.description_localizations?.[locale];
        expect({
          name: item.name,
          locale,
          ok: typeof text === 'string' && text.length >= 1 && text.length <= 100,
        }).toEqual({
          name: item.name,
          locale,
          ok: true,
        });
      }
    }
    expect(commands.find((command) => command.name === 'helpme')?.description_localizations?.['es-419']).toBe(
      'Recibe ayuda del asistente y del equipo de soporte por mensaje directo',
    );
  });

  it('refuses the gaps report without a Flex token, and bad query values with a reason', async () => {
    expect((await fetch(`${stack.bridge.url}/api/kb/gaps`)).status).toBe(401);
    const bad = await fetch(`${stack.bridge.url}/api/kb/gaps?days=0`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('days');
  });
});
