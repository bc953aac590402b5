import type { Case, PublicPost } from '@flexcord/contracts';
import {
  type APIChannel,
  type APIGuildForumTag,
  type APIMessage,
  ButtonStyle,
  ChannelType,
  ComponentType,
  type REST,
  Routes,
} from 'discord.js';
import type { CaseService } from '../../domain/cases/case-service.ts';
import { statusLabel } from '../../domain/cases/case-status-label.ts';
import { postLink } from '../../domain/cases/post-link.ts';
import { caseTagNames, type ForumTags } from '../../domain/community/public-posts.ts';
import { t } from '../../domain/i18n/messages.ts';
import { PermanentDeliveryError } from '../../infrastructure/outbox/delivery-errors.ts';
import type { OutboxRow } from '../../infrastructure/outbox/outbox-repository.ts';
import { NO_MENTIONS } from './allowed-mentions.ts';
import { clip, publicCaseEmbed } from './case-embeds.ts';
import { classifyDiscordError } from './discord-errors.ts';
import type { CasePostClosePayload, CasePostPayload } from './outbox-kinds.ts';
import { VOTE_PREFIX } from './report-modals.ts';

function tagIds(tags: APIGuildForumTag[] | undefined, names: string[]): string[] {
  const wanted = names.map((name) => name.toLowerCase());
  return (tags ?? [])
    .filter((tag) => wanted.includes(tag.name.toLowerCase()))
    .map((tag) => tag.id)
    .slice(0, 5);
}

/**
 * A feature request's post carries a +1 button (handled by the community interactions), labelled
 * with the count once there are votes (`👍 3`), so everyone reading the post sees it.
 */
function voteButton(found: Case) {
  if (found.type !== 'feature') return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: `${VOTE_PREFIX}${found.number}`,
          label: found.votes ? `👍 ${found.votes}` : '+1',
        },
      ],
    },
  ];
}

function postName(found: Case): string {
  return clip(`#${found.number} · ${found.subject}`, 100);
}

/**
 * Delivers the public post of a case: a forum post with tags where the channel is a forum, else an
 * embed in the text channel; then records where it is on the case. A retry first looks for a post
 * an earlier attempt may have made (forum posts take no nonce).
 */
export function createCasePostDeliverer(rest: REST, cases: CaseService, tags: ForumTags) {
  return async (payload: CasePostPayload, row: OutboxRow) => {
    const found = await cases.find(payload.caseNumber);
    if (!found) throw new PermanentDeliveryError(`case #${payload.caseNumber} vanished`);
    if (found.publicPost) return found.publicPost;
    try {
      const channel = (await rest.get(Routes.channel(payload.channelId))) as APIChannel;
      const embed = publicCaseEmbed(found);
      let post: PublicPost;
      if (channel.type === ChannelType.GuildForum) {
        const earlier =
          row.attempts > 1
            ? (
                (await rest.get(Routes.guildActiveThreads(payload.guildId))) as { threads: APIChannel[] }
              ).threads.find(
                (thread) =>
                  'parent_id' in thread && thread.parent_id === channel.id && thread.name === postName(found),
              )
            : undefined;
        const thread: { id: string; message?: APIMessage } =
          earlier ??
          ((await rest.post(Routes.threads(channel.id), {
            body: {
              name: postName(found),
              applied_tags: tagIds(channel.available_tags, caseTagNames(found, tags)),
              message: { embeds: [embed], components: voteButton(found), allowed_mentions: NO_MENTIONS },
            },
          })) as { id: string; message?: APIMessage });
        // A forum post's starter message has the thread's id.
        const messageId = thread.message?.id ?? thread.id;
        post = {
          channelId: channel.id,
          threadId: thread.id,
          messageId,
          url: `https://discord.com/channels/${payload.guildId}/${thread.id}`,
          name: postName(found),
        };
      } else {
        const message = (await rest.post(Routes.channelMessages(channel.id), {
          body: {
            embeds: [embed],
            components: voteButton(found),
            allowed_mentions: NO_MENTIONS,
            nonce: `cp${row.id}`.slice(0, 25),
            enforce_nonce: true,
          },
        })) as APIMessage;
        post = {
          channelId: channel.id,
          threadId: null,
          messageId: message.id,
          url: `https://discord.com/channels/${payload.guildId}/${channel.id}/${message.id}`,
          ...(channel.name ? { name: `#${channel.name}` } : {}),
        };
      }
      await cases.attachPublicPost(found.number, post);
      return post;
    } catch (error) {
      throw classifyDiscordError(error, `public post of case #${payload.caseNumber}`);
    }
  };
}

/** Delivers a status follow-up: the forum post's tags (or the text channel's embed), and a short note. */
export function createCasePostUpdateDeliverer(rest: REST, cases: CaseService, tags: ForumTags) {
  return async (payload: CasePostPayload, row: OutboxRow) => {
    const found = await cases.find(payload.caseNumber);
    if (!found?.publicPost) return { skipped: 'no public post' };
    const post = found.publicPost;
    try {
      if (payload.inPlace) {
        await rest.patch(Routes.channelMessage(post.threadId ?? post.channelId, post.messageId), {
          body: { embeds: [publicCaseEmbed(found)], components: voteButton(found) },
        });
        return { votes: found.votes ?? 0 };
      }
      if (post.threadId) {
        const forum = (await rest.get(Routes.channel(post.channelId))) as APIChannel;
        const available = forum.type === ChannelType.GuildForum ? forum.available_tags : [];
        await rest.patch(Routes.channel(post.threadId), {
          body: { applied_tags: tagIds(available, caseTagNames(found, tags)) },
        });
        await rest.patch(Routes.channelMessage(post.threadId, post.messageId), {
          body: { embeds: [publicCaseEmbed(found)], components: voteButton(found) },
        });
        await rest.post(Routes.channelMessages(post.threadId), {
          body: {
            content:
              payload.note ??
              t(null, 'case.postStatus', {
                status: statusLabel(found, null),
              }),
            allowed_mentions: NO_MENTIONS,
            nonce: `cu${row.id}`.slice(0, 25),
            enforce_nonce: true,
          },
        });
      } else {
        await rest.patch(Routes.channelMessage(post.channelId, post.messageId), {
          body: { embeds: [publicCaseEmbed(found)], components: voteButton(found) },
        });
      }
      return { status: found.status };
    } catch (error) {
      throw classifyDiscordError(error, `status of case #${payload.caseNumber}'s post`);
    }
  };
}

/**
 * Closes a duplicate's public post: its embed shows it closed, a note in the thread links the
 * original, then the thread is archived and locked (members can no longer post in it; a message
 * in an archived thread would unarchive it, so the note comes first). A retry that finds the
 * thread closed already is done.
 */
export function createCasePostCloseDeliverer(rest: REST, cases: CaseService, tags: ForumTags) {
  return async (payload: CasePostClosePayload, row: OutboxRow) => {
    const [found, original] = await Promise.all([
      cases.find(payload.caseNumber),
      cases.find(payload.originalNumber),
    ]);
    if (!found?.publicPost) return { skipped: 'no public post' };
    if (!original) throw new PermanentDeliveryError(`case #${payload.originalNumber} vanished`);
    const post = found.publicPost;
    const note = t(null, 'duplicate.postNote', {
      original: original.number,
      originalSubject: original.subject,
      link: postLink(original.publicPost, original.number) || `#${original.number}`,
    });
    try {
      if (!post.threadId) {
        await rest.patch(Routes.channelMessage(post.channelId, post.messageId), {
          body: { embeds: [publicCaseEmbed(found)], components: [] },
        });
        await rest.post(Routes.channelMessages(post.channelId), {
          body: {
            content: note,
            message_reference: { message_id: post.messageId, fail_if_not_exists: false },
            allowed_mentions: NO_MENTIONS,
            nonce: `cd${row.id}`.slice(0, 25),
            enforce_nonce: true,
          },
        });
        return { closed: post.messageId };
      }
      if (row.attempts > 1) {
        const thread = (await rest.get(Routes.channel(post.threadId))) as APIChannel & {
          thread_metadata?: { archived?: boolean; locked?: boolean };
        };
        if (thread.thread_metadata?.archived && thread.thread_metadata.locked)
          return { closed: post.threadId };
      }
      await rest.patch(Routes.channelMessage(post.threadId, post.messageId), {
        body: { embeds: [publicCaseEmbed(found)], components: [] },
      });
      await rest.post(Routes.channelMessages(post.threadId), {
        body: {
          content: note,
          allowed_mentions: NO_MENTIONS,
          nonce: `cd${row.id}`.slice(0, 25),
          enforce_nonce: true,
        },
      });
      // The post's tag follows the case (closed), as the lock does: never "open" beside the lock.
      const forum = (await rest.get(Routes.channel(post.channelId))) as APIChannel;
      const available = forum.type === ChannelType.GuildForum ? forum.available_tags : [];
      await rest.patch(Routes.channel(post.threadId), {
        body: { archived: true, locked: true, applied_tags: tagIds(available, caseTagNames(found, tags)) },
      });
      return { closed: post.threadId };
    } catch (error) {
      throw classifyDiscordError(error, `closing case #${payload.caseNumber}'s post as a duplicate`);
    }
  };
}
