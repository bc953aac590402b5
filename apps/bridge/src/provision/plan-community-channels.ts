import { BugSeveritySchema } from '@flexcord/contracts';
import { ChannelType, DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import { GuildChannelSchema } from '../adapters/discord/api-shapes.ts';
import { type ForumTags, forumTagNames } from '../domain/community/public-posts.ts';
import { call, discordError } from './discord-calls.ts';
import type { DiscordPlanContext } from './discord-plan-context.ts';

interface CommunityChannelSpec {
  name: string;
  topic: string;
  tags: string[];
}

/** The community channels and the forum tags the bridge applies on their posts (`FORUM_TAGS`). */
export function communityChannels(tags: ForumTags): CommunityChannelSpec[] {
  const statusTags = forumTagNames(tags);
  return [
    {
      name: 'bug-report',
      topic:
        'Official bug reports, filed with /bug. Status and severity are kept up to date by the support team.',
      tags: [...statusTags, ...BugSeveritySchema.options],
    },
    {
      name: 'feature-request',
      topic: 'Official feature requests, filed by moderators with /new_feature.',
      tags: statusTags,
    },
  ];
}

/** #bug-report and #feature-request: forums with their tags (text channels where the guild has no forums). */
export function planCommunityChannels(ctx: DiscordPlanContext, tags: ForumTags): void {
  const { rest, guild, channels, inGuild, actions, warnings, need } = ctx;
  const side = 'discord' as const;
  const forumRefused = { value: false };
  for (const spec of communityChannels(tags)) {
    const resource = `#${spec.name} ${inGuild}`;
    const existing = channels.find((channel) => channel.name === spec.name);
    if (!existing) {
      need('Manage Channels', `create #${spec.name}`);
      const community = guild.features.includes('COMMUNITY');
      actions.push({
        side,
        resource,
        action: 'create',
        detail: `forum with tags ${spec.tags.join(', ')}${community ? '' : ' (a text channel if the guild has no forums: not a Community server)'}`,
        apply: async () => createCommunityChannel(rest, guild.id, spec, forumRefused),
      });
    } else if (existing.type === ChannelType.GuildForum || existing.type === ChannelType.GuildMedia) {
      const have = existing.available_tags ?? [];
      const missingTags = spec.tags.filter(
        (name) => !have.some((tag) => tag.name.toLowerCase() === name.toLowerCase()),
      );
      if (!missingTags.length) {
        actions.push({ side, resource, action: 'unchanged', detail: `${existing.id}: forum with its tags` });
      } else if (have.length + missingTags.length > 20) {
        actions.push({
          side,
          resource,
          action: 'unchanged',
          detail: `${existing.id}: tags missing, no room`,
        });
        warnings.push(
          `#${spec.name} lacks the tags ${missingTags.join(', ')} but a forum holds at most 20 tags: remove some and run again`,
        );
      } else {
        need('Manage Channels', `add tags to #${spec.name}`);
        actions.push({
          side,
          resource,
          action: 'update',
          detail: `${existing.id}: add tags ${missingTags.join(', ')}`,
          apply: async () => {
            const tags = [
              ...have.map((tag) => ({
                id: tag.id,
                name: tag.name,
                moderated: tag.moderated,
                ...(tag.emoji_id ? { emoji_id: tag.emoji_id } : {}),
                ...(tag.emoji_name ? { emoji_name: tag.emoji_name } : {}),
              })),
              ...missingTags.map((name) => ({ name })),
            ];
            await call(
              () => rest.patch(Routes.channel(existing.id), { body: { available_tags: tags } }),
              `add tags to #${spec.name}`,
              'Manage Channels',
            );
            return `${existing.id}: added tags ${missingTags.join(', ')}`;
          },
        });
      }
    } else if (existing.type === ChannelType.GuildText || existing.type === ChannelType.GuildAnnouncement) {
      actions.push({
        side,
        resource,
        action: 'unchanged',
        detail: `${existing.id}: text channel (posts are embeds, no tags)`,
      });
    } else {
      actions.push({
        side,
        resource,
        action: 'unchanged',
        detail: `${existing.id}: not a text or forum channel`,
      });
      warnings.push(
        `#${spec.name} (${existing.id}) is channel type ${existing.type}: the bridge cannot post there. Rename it and run again.`,
      );
    }
  }
}

/** A forum, or — when Discord refuses forums in this guild (not a Community server) — a text channel. */
async function createCommunityChannel(
  rest: REST,
  guildId: string,
  spec: CommunityChannelSpec,
  forumRefused: { value: boolean },
): Promise<string> {
  const textChannel = async () => {
    const created = GuildChannelSchema.parse(
      await call(
        () =>
          rest.post(Routes.guildChannels(guildId), {
            body: { name: spec.name, type: ChannelType.GuildText, topic: spec.topic },
          }),
        `create #${spec.name}`,
        'Manage Channels',
      ),
    );
    return `created ${created.id} as a text channel (the guild has no forums)`;
  };
  if (forumRefused.value) return textChannel();
  try {
    const created = GuildChannelSchema.parse(
      await rest.post(Routes.guildChannels(guildId), {
        body: {
          name: spec.name,
          type: ChannelType.GuildForum,
          topic: spec.topic,
          available_tags: spec.tags.map((name) => ({ name })),
        },
      }),
    );
    return `created ${created.id} as a forum with tags ${spec.tags.join(', ')}`;
  } catch (error) {
    if (!refusesForums(error)) throw discordError(error, `create #${spec.name}`, 'Manage Channels');
    forumRefused.value = true;
    return textChannel();
  }
}

/** Discord's answer to a forum in a guild without the Community feature: the channel type is refused. */
function refusesForums(error: unknown): boolean {
  if (!(error instanceof DiscordAPIError)) return false;
  if (error.code === RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType) return true;
  const errors = (error.rawError as { errors?: Record<string, unknown> }).errors;
  return (
    error.code === RESTJSONErrorCodes.InvalidFormBodyOrContentType && errors !== undefined && 'type' in errors
  );
}
