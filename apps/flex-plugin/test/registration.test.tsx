import { render } from '@testing-library/react';
import { CustomizationProvider } from '@twilio-paste/core/customization';
import { cloneElement } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_CASE_ACTION } from '../src/agent/flexcord-actions.ts';
import { CANNED_REPLIES_VIEW } from '../src/features/canned-replies/flex-hooks.tsx';
import { CASES_VIEW, takeRequestedCase } from '../src/features/case-desk/case-desk-selection.ts';
import { CASE_PANEL_KEY } from '../src/features/case-panel/flex-hooks.tsx';
import { DISCORD_BLURPLE, DiscordIcon } from '../src/features/discord-channel/discord-icon.tsx';
import {
  DISCORD_MEMBER_NAME_STRING,
  discordStrings,
} from '../src/features/discord-channel/discord-task-channel.tsx';
import { HANDOVER_NOTICE_KEY } from '../src/features/discord-channel/handover-notice.tsx';
import { features } from '../src/features/index.ts';
import { KB_BUTTON_KEY } from '../src/features/kb-insert/flex-hooks.tsx';
import { FIGURES_VIEW } from '../src/features/supervisor-figures/flex-hooks.tsx';
import { registerFlexcord } from '../src/flexcord-plugin.ts';
import { aTask, fakeFlex } from './fake-flex.ts';

// As real Flex hands it over: Flex wrote channelType (web) over the flow's; customChannelType stays.
const discordTask = aTask({
  channelType: 'web',
  customChannelType: 'discord',
  conversationSid: `CH${'1'.repeat(32)}`,
  discordUsername: 'mika',
});
const webChatTask = aTask({ channelType: 'web', conversationSid: `CH${'2'.repeat(32)}` });
const voiceCaseTask = aTask({ caseNumber: 12 });

function initialised() {
  const fake = fakeFlex();
  registerFlexcord(fake.flex, fake.manager, features);
  return fake;
}

describe('when Flex initialises the plugin', () => {
  it('registers exactly the seven features, in order', () => {
    expect(features.map((f) => f.name)).toEqual([
      'discord-channel',
      'case-panel',
      'kb-insert',
      'case-desk',
      'supervisor-figures',
      'canned-replies',
      'supervisor-audit',
    ]);
  });

  it('offers every agent the Canned replies view and its link (the bridge decides what each may change)', () => {
    const { views, sideNav, rawManager, invokeAction } = initialised();
    const view = views.find((call) => call.element.key === 'flexcord-canned-replies-view')!;
    const link = sideNav.find((call) => call.element.key === 'flexcord-canned-replies-side-link')!;
    (rawManager.user as { roles?: string[] }).roles = ['agent'];
    expect([view, link].map((call) => call.options?.if?.({}) ?? true)).toEqual([true, true]);
    expect((view.element.props as { name: string }).name).toBe(CANNED_REPLIES_VIEW);
    const { getByRole } = render(link.element);
    getByRole('button', { name: 'Canned replies' }).click();
    expect(invokeAction).toHaveBeenCalledWith('NavigateToView', { viewName: CANNED_REPLIES_VIEW });
  });

  it('adds the Cases view and its side-nav link, which navigates to it', async () => {
    const { views, sideNav, invokeAction } = initialised();
    expect(views[0]!.element.key).toBe('flexcord-cases-view');
    expect((views[0]!.element.props as { name: string }).name).toBe(CASES_VIEW);
    expect(sideNav[0]!.element.key).toBe('flexcord-cases-side-link');
    const { getByRole } = render(sideNav[0]!.element);
    getByRole('button', { name: 'Cases' }).click();
    expect(invokeAction).toHaveBeenCalledWith('NavigateToView', { viewName: CASES_VIEW });
  });

  it('offers the Figures view and its link to supervisors and admins only', () => {
    const { views, sideNav, rawManager, invokeAction } = initialised();
    const figuresView = views.find((call) => call.element.key === 'flexcord-figures-view')!;
    const figuresLink = sideNav.find((call) => call.element.key === 'flexcord-figures-side-link')!;
    const shown = () => [figuresView, figuresLink].map((call) => call.options?.if?.({}) ?? true);
    const user = rawManager.user as { roles?: string[] };
    user.roles = ['agent'];
    expect(shown()).toEqual([false, false]);
    user.roles = ['agent', 'supervisor'];
    expect(shown()).toEqual([true, true]);
    user.roles = ['admin'];
    expect(shown()).toEqual([true, true]);
    const { getByRole } = render(figuresLink.element);
    getByRole('button', { name: 'Figures' }).click();
    expect(invokeAction).toHaveBeenCalledWith('NavigateToView', { viewName: FIGURES_VIEW });
  });

  it("hands Paste's CustomizationProvider to Flex, so Paste takes Flex's theme", () => {
    const { providers } = initialised();
    expect(providers).toEqual([{ PasteThemeProvider: CustomizationProvider }]);
  });

  describe('the Discord task channel', () => {
    it('applies to Discord tasks only', () => {
      const [channel] = initialised().registeredChannels;
      const isApplicable = channel?.isApplicable as (task: unknown) => boolean;
      expect(channel?.name).toBe('discord');
      expect(isApplicable(discordTask)).toBe(true);
      expect(isApplicable(webChatTask)).toBe(false);
      expect(isApplicable(voiceCaseTask)).toBe(false);
      expect(isApplicable(aTask({}))).toBe(false);
    });

    it('shows the Discord mark in the list, tab and canvas, and asks Flex for blurple', () => {
      const [channel] = initialised().registeredChannels;
      const icons = channel?.icons as Record<string, { type: unknown }>;
      expect(Object.keys(icons).sort()).toEqual(['active', 'list', 'main']);
      for (const icon of Object.values(icons)) expect(icon.type).toBe(DiscordIcon);
      expect(channel?.colors).toEqual({ main: DISCORD_BLURPLE });
    });

    it("names the member through the channel's templates and keeps the templates it does not change", () => {
      const { registeredChannels, rawManager } = initialised();
      const templates = registeredChannels[0]?.templates as Record<string, Record<string, unknown>>;
      expect(templates.TaskListItem).toEqual({
        firstLine: DISCORD_MEMBER_NAME_STRING,
        secondLine: 'TaskLineChatAssigned',
      });
      expect(templates.TaskCanvasHeader).toEqual({ title: DISCORD_MEMBER_NAME_STRING, endButton: 'End' });
      expect(templates.IncomingTaskCanvas?.firstLine).toBe(DISCORD_MEMBER_NAME_STRING);
      expect(templates.TaskCard?.firstLine).toBe(DISCORD_MEMBER_NAME_STRING);
      expect(rawManager.strings[DISCORD_MEMBER_NAME_STRING]).toBe(discordStrings[DISCORD_MEMBER_NAME_STRING]);
      expect(rawManager.strings.TaskHeaderLine).toBe('{{task.defaultFrom}}');
    });

    it('templates the display name, then the username — never the participant identity', () => {
      const template = discordStrings[DISCORD_MEMBER_NAME_STRING];
      expect(template).toContain('task.attributes.customerName');
      expect(template).toContain('task.attributes.discordUsername');
      expect(template).not.toMatch(/defaultFrom|attributes\.from|identity/);
    });
  });

  describe('the case panel', () => {
    it('replaces the CRM container for Discord tasks and tasks with a case number, and only those', () => {
      const { crm } = initialised();
      expect(crm).toHaveLength(1);
      const [call] = crm;
      expect(call?.method).toBe('replace');
      expect(call?.element.key).toBe(CASE_PANEL_KEY);
      const condition = call?.options?.if;
      expect(condition?.({ task: discordTask })).toBe(true);
      expect(condition?.({ task: voiceCaseTask })).toBe(true);
      expect(condition?.({ task: aTask({ caseNumber: '12' }) })).toBe(true);
      expect(condition?.({ task: webChatTask })).toBe(false);
      expect(condition?.({ task: aTask({ caseNumber: 'none' }) })).toBe(false);
      expect(condition?.({})).toBe(false);
    });
  });

  describe("a request for an agent posted in the member's name", () => {
    const bubble = (attributes: unknown) => ({
      message: {
        authorName: 'Lucía 🌸',
        isFromMe: false,
        source: { body: 'I would like to talk to an agent.', attributes },
      },
    });

    it('replaces the bubble of that message only: what the member typed stays theirs', () => {
      const { bubbles } = initialised();
      expect(bubbles).toHaveLength(1);
      const [call] = bubbles;
      expect(call?.method).toBe('replace');
      expect(call?.element.key).toBe(HANDOVER_NOTICE_KEY);
      expect(call?.options?.if?.(bubble({ handover: { source: 'button' } }))).toBe(true);
      expect(call?.options?.if?.(bubble('{"handover":{"source":"after_hours"}}'))).toBe(true);
      expect(call?.options?.if?.(bubble({ discord: { messageId: '1' } }))).toBe(false);
      expect(call?.options?.if?.(bubble('{}'))).toBe(false);
    });

    it("says what the member did, by name, in the agent's language", () => {
      const english = initialised().bubbles[0]!.element;
      const { container, unmount } = render(
        cloneElement(english, bubble({ handover: { source: 'button' } })),
      );
      expect(container.textContent).toBe('↪ Lucía 🌸 pressed “Talk to an agent”');
      expect(container.textContent).not.toContain('I would like');
      unmount();

      const fake = fakeFlex({ localeTag: 'es-MX' });
      registerFlexcord(fake.flex, fake.manager, features);
      const spanish = render(
        cloneElement(fake.bubbles[0]!.element, bubble({ handover: { source: 'after_hours' } })),
      );
      expect(spanish.container.textContent).toBe(
        '↪ Se envió la solicitud de un agente que Lucía 🌸 hizo fuera del horario de atención',
      );
    });
  });

  describe('the knowledge-base button', () => {
    it('goes first among the reply box actions of any chat with a conversation', () => {
      const { inputActions } = initialised();
      expect(inputActions).toHaveLength(1);
      const [call] = inputActions;
      expect(call?.method).toBe('add');
      expect(call?.element.key).toBe(KB_BUTTON_KEY);
      expect(call?.options?.sortOrder).toBe(-1);
      expect(call?.options?.if?.({ conversationSid: `CH${'1'.repeat(32)}` })).toBe(true);
      expect(call?.options?.if?.({})).toBe(false);
    });
  });
});

describe('each feature stands alone', () => {
  it('registers nothing of a feature the Flex configuration switches off, and the others still register', () => {
    const fake = fakeFlex({
      uiAttributes: {
        flexcord_features: {
          'case-desk': { enabled: false },
          'kb-insert': { enabled: false },
          'supervisor-audit': { enabled: false },
        },
      },
    });
    registerFlexcord(fake.flex, fake.manager, features);
    expect(fake.views.map((call) => call.element.key)).toEqual([
      'flexcord-figures-view',
      'flexcord-canned-replies-view',
    ]);
    expect(fake.sideNav.map((call) => call.element.key)).toEqual([
      'flexcord-figures-side-link',
      'flexcord-canned-replies-side-link',
    ]);
    expect(fake.inputActions).toHaveLength(0);
    expect(fake.registeredActions.has(OPEN_CASE_ACTION)).toBe(false);
    expect(fake.crm).toHaveLength(1);
    expect(fake.registeredChannels).toHaveLength(1);
  });

  it("opens a case in the Cases view through Flex's actions: FlexcordOpenCase, then NavigateToView", async () => {
    const { invokeAction, registeredActions } = initialised();
    expect(registeredActions.has(OPEN_CASE_ACTION)).toBe(true);
    await invokeAction(OPEN_CASE_ACTION, { caseNumber: 42 });
    expect(invokeAction).toHaveBeenLastCalledWith('NavigateToView', { viewName: CASES_VIEW });
    expect(takeRequestedCase()).toBe(42);
    expect(takeRequestedCase()).toBeNull();
  });
});

describe('the plugin class Flex instantiates', () => {
  beforeAll(() => {
    // What the build defines for @twilio/flex-plugin's FlexPlugin constructor.
    Object.assign(globalThis, {
      __FPB_PLUGIN_UNIQUE_NAME: 'plugin-flexcord',
      __FPB_PLUGIN_VERSION: '0.1.0',
      __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: 'test',
      __FPB_FLEX_PLUGIN_VERSION: '7.1.2',
      __FPB_FLEX_UI_VERSION: '2.17.1',
      __FPB_REACT_VERSION: '17.0.2',
      __FPB_REACT_DOM_VERSION: '17.0.2',
    });
  });

  it('has a name and registers every feature from init(flex, manager)', async () => {
    const { FlexcordPlugin } = await import('../src/flexcord-plugin.ts');
    const plugin = new FlexcordPlugin();
    expect(plugin.name).toBe('FlexcordPlugin');
    expect(plugin.uniqueName).toBe('plugin-flexcord');
    const fake = fakeFlex();
    plugin.init(fake.flex, fake.manager);
    expect(fake.registeredChannels).toHaveLength(1);
    expect(fake.crm).toHaveLength(1);
    expect(fake.inputActions).toHaveLength(1);
    expect(fake.providers).toHaveLength(1);
  });
});
