import type { ITask, Manager, TaskChannelDefinition } from '@twilio/flex-ui';
import { isDiscordTask } from '../../agent/agent-context.ts';
import type { FlexApi } from '../../agent/with-flex-agent-context.tsx';
import { DISCORD_BLURPLE, DiscordIcon } from './discord-icon.tsx';

export const DISCORD_CHANNEL_NAME = 'discord';

/** The string (template) key that names the member in the task list, cards and headers. */
export const DISCORD_MEMBER_NAME_STRING = 'FlexcordDiscordMemberName';

/**
 * Flex strings are Handlebars templates. The member's display name, else their Discord username —
 * never the participant identity `discord:<id>` that Flex would show as `task.defaultFrom`.
 */
export const discordStrings = {
  [DISCORD_MEMBER_NAME_STRING]:
    '{{#if task.attributes.customerName}}{{task.attributes.customerName}}{{else}}' +
    '{{#if task.attributes.discordUsername}}{{task.attributes.discordUsername}}{{else}}Discord member{{/if}}{{/if}}',
} as const;

/** A task is a Discord chat when the bridge's flow said so in its attributes. */
export function isDiscordChannelTask(task: ITask): boolean {
  return isDiscordTask(task.attributes ?? {});
}

/** Adds the Discord strings to Flex's strings so channel templates can name them. */
export function addDiscordStrings(manager: Manager): void {
  manager.strings = Object.assign({}, manager.strings, discordStrings);
}

/**
 * Registers the Discord chat channel: the Discord mark and blurple for list, tab and canvas, and the
 * member's name in the task list, incoming task, header and supervisor views.
 *
 * @see https://www.twilio.com/docs/flex/developer/ui/task-channel-definitions
 */
export function registerDiscordTaskChannel(flex: FlexApi): TaskChannelDefinition {
  const channel = flex.DefaultTaskChannels.createChatTaskChannel({
    name: DISCORD_CHANNEL_NAME,
    isApplicable: isDiscordChannelTask,
    icon: <DiscordIcon />,
    iconActive: <DiscordIcon />,
    color: DISCORD_BLURPLE,
  });
  // Flex's chat channels switch the list icon by status; the Discord mark stays in every status.
  // The colour stays Flex's: blurple while the task is live, Flex's grey once it is wrapping up.
  channel.icons = { list: <DiscordIcon />, main: <DiscordIcon />, active: <DiscordIcon /> };
  const templates = channel.templates ?? {};
  const name = DISCORD_MEMBER_NAME_STRING;
  channel.templates = {
    ...templates,
    IncomingTaskCanvas: { ...templates.IncomingTaskCanvas, firstLine: name },
    TaskListItem: { ...templates.TaskListItem, firstLine: name },
    TaskCanvasHeader: { ...templates.TaskCanvasHeader, title: name },
    TaskCard: { ...templates.TaskCard, firstLine: name },
    Supervisor: {
      ...templates.Supervisor,
      TaskCanvasHeader: { ...templates.Supervisor?.TaskCanvasHeader, title: name },
      TaskOverviewCanvas: { ...templates.Supervisor?.TaskOverviewCanvas, firstLine: name },
    },
  };
  flex.TaskChannels.register(channel);
  return channel;
}
