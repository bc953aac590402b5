import { useStickToBottom } from '@flexcord/flex-host/stick-to-bottom';
import {
  type APIApplicationCommand,
  type APIGuildForumChannel,
  type APIModalInteractionResponseCallbackData,
  ChannelType,
  InteractionContextType,
} from 'discord-api-types/v10';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { followEvents } from '../shared/http.ts';
import type { WorldView } from '../shared/world-view.ts';
import { Composer } from './Composer.tsx';
import {
  type ChannelNode,
  DiscordControl,
  type InteractionOutcome,
  type OptionValue,
  type RecordedMessage,
} from './discord-api.ts';
import { Message, type MessageActions } from './Message.tsx';
import { ModalDialog } from './ModalDialog.tsx';
import { refusalText } from './refusal-text.ts';
import { canSendMessages } from './refusals.ts';
import { languageOf, type StringKey, type Translate } from './strings.ts';
import { useWords, WordsProvider } from './words.tsx';

type Place = { kind: 'channel'; id: string } | { kind: 'dm' };

interface Notice {
  id: number;
  /** The channel id, or `dm`, where the member did what the notice answers. */
  where: string;
  text: string;
}

interface OpenModal {
  interactionId: string;
  modal: APIModalInteractionResponseCallbackData;
}

const EVENTS = [
  'message.created',
  'message.updated',
  'message.deleted',
  'channel.created',
  'channel.updated',
  'channel.deleted',
  'commands.updated',
];

function flatten(nodes: ChannelNode[], into = new Map<string, ChannelNode>()): Map<string, ChannelNode> {
  for (const node of nodes) {
    into.set(node.id, node);
    flatten(node.children, into);
  }
  return into;
}

function upsert(messages: RecordedMessage[], message: RecordedMessage): RecordedMessage[] {
  const index = messages.findIndex((candidate) => candidate.id === message.id);
  if (index === -1) return [...messages, message];
  const next = [...messages];
  next[index] = message;
  return next;
}

/**
 * A Discord-like client for one member: the guild's channels and the DM with the bot, messages
 * with their embeds and components, slash commands, modals and forum posts — all read from the
 * Discord emulator's control API and followed live through its event stream.
 */
export function MemberClient({ world, memberId }: { world: WorldView; memberId: string }) {
  const member = world.members.find((candidate) => candidate.id === memberId);
  return (
    <WordsProvider locale={member?.locale ?? 'en-US'}>
      <MemberScreen world={world} memberId={memberId} />
    </WordsProvider>
  );
}

const ROLE_WORD: Record<WorldView['members'][number]['role'], StringKey> = {
  member: 'roleMember',
  moderator: 'roleModerator',
  admin: 'roleAdmin',
};

function MemberScreen({ world, memberId }: { world: WorldView; memberId: string }) {
  const { t } = useWords();
  const control = useMemo(() => new DiscordControl(world.discordUrl), [world.discordUrl]);
  const [tree, setTree] = useState<ChannelNode[]>([]);
  const [place, setPlace] = useState<Place>({ kind: 'channel', id: '' });
  const [messages, setMessages] = useState<RecordedMessage[]>([]);
  const [dmChannelId, setDmChannelId] = useState<string | null>(null);
  const [dmUnread, setDmUnread] = useState(false);
  const [commands, setCommands] = useState<APIApplicationCommand[]>([]);
  const [modal, setModal] = useState<OpenModal | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [dmsClosed, setDmsClosed] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const channels = useMemo(() => flatten(tree), [tree]);
  const member = world.members.find((candidate) => candidate.id === memberId);

  const state = useRef({ place, dmChannelId, channels, memberId });
  state.current = { place, dmChannelId, channels, memberId };

  const loadTree = useCallback(
    () => control.channelTree(world.guild.id, memberId).then(setTree),
    [control, world.guild.id, memberId],
  );
  const loadCommands = useCallback(
    () => control.commands(world.guild.id).then(setCommands),
    [control, world.guild.id],
  );

  const loadMessages = useCallback(
    async (current: Place, me: string) => {
      if (current.kind === 'dm') {
        const list = await control.dmMessages(me);
        if (list[0]) setDmChannelId(list[0].channel_id);
        setMessages(list);
      } else if (current.id) {
        setMessages(await control.channelMessages(current.id, me));
      }
    },
    [control],
  );

  // A new member: start in #help, with their DM found again if they have one.
  useEffect(() => {
    setNotices([]);
    setModal(null);
    setDmUnread(false);
    setDmChannelId(null);
    setSettingsOpen(false);
    void control.privacy(memberId).then((privacy) => setDmsClosed(privacy.dmsClosed));
    void control.dmMessages(memberId).then((list) => setDmChannelId(list[0]?.channel_id ?? null));
    void loadTree().then(() => undefined);
    void loadCommands();
  }, [control, memberId, loadTree, loadCommands]);

  useEffect(() => {
    if (place.kind === 'channel' && place.id === '' && tree.length) {
      const help = [...channels.values()].find((channel) => channel.name === 'help');
      if (help) setPlace({ kind: 'channel', id: help.id });
    }
  }, [place, tree, channels]);

  useEffect(() => {
    setMessages([]);
    if (place.kind === 'dm') setDmUnread(false);
    void loadMessages(place, memberId);
  }, [place, memberId, loadMessages]);

  // Live updates from the emulator's event stream.
  useEffect(
    () =>
      followEvents(`${world.discordUrl}/_emulator/events`, EVENTS, (type, data) => {
        const { place: current, dmChannelId: dm, channels: known, memberId: me } = state.current;
        if (type.startsWith('channel.')) {
          void loadTree();
          return;
        }
        if (type === 'commands.updated') {
          void loadCommands();
          return;
        }
        if (type === 'message.deleted') {
          const { id } = data as { id: string };
          setMessages((list) => list.filter((message) => message.id !== id));
          return;
        }
        const { message } = data as { message: RecordedMessage };
        if (message.visible_to !== null && message.visible_to !== me) return;
        const inGuild = known.has(message.channel_id) || 'guild_id' in message;
        if (!inGuild && dm === null) {
          // Maybe the member's first DM: ask the emulator whose DM this is.
          void control.dmMessages(me).then((list) => {
            if (!list.some((candidate) => candidate.id === message.id)) return;
            setDmChannelId(message.channel_id);
            if (state.current.place.kind === 'dm') setMessages(list);
            else setDmUnread(true);
          });
          return;
        }
        const here = current.kind === 'dm' ? message.channel_id === dm : message.channel_id === current.id;
        if (here) setMessages((list) => upsert(list, message));
        else if (message.channel_id === dm && type === 'message.created') setDmUnread(true);
      }),
    [world.discordUrl, control, loadTree, loadCommands],
  );

  const placeKey = place.kind === 'dm' ? 'dm' : place.id;
  const notify = (text: string) =>
    setNotices((list) => [...list, { id: Date.now() + Math.random(), where: placeKey, text }]);

  const handleOutcome = (outcome: InteractionOutcome) => {
    if (outcome.response?.kind === 'modal')
      setModal({ interactionId: outcome.interactionId, modal: outcome.response.modal });
    else if (outcome.response === null) notify(t('appDidNotRespond'));
  };
  /** Runs what the member did; a refusal becomes a notice in their language. True when it went through. */
  const guard = async (work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (error) {
      notify(refusalText(error, t));
      return false;
    }
  };

  const actions: MessageActions = {
    clickButton: (message, customId) =>
      void guard(async () =>
        handleOutcome(await control.pressComponent({ user: memberId, messageId: message.id, customId })),
      ),
    selectMenu: (message, customId, values) =>
      void guard(async () =>
        handleOutcome(
          await control.pressComponent({ user: memberId, messageId: message.id, customId, values }),
        ),
      ),
    channelName: (id) => channels.get(id)?.name ?? undefined,
    memberId,
    editMessage: (message, content) =>
      guard(async () => {
        await control.editMessage({ user: memberId, message: message.id, content });
      }).then(() => undefined),
    avatarUrl: (user) =>
      user.avatar
        ? `${world.discordCdnUrl}/avatars/${user.id}/${user.avatar}.png?size=80`
        : `${world.discordCdnUrl}/embed/avatars/${Number((BigInt(user.id) >> 22n) % 6n)}.png`,
  };

  const current = place.kind === 'channel' ? channels.get(place.id) : undefined;
  const isForum = current?.type === ChannelType.GuildForum;
  const inDm = place.kind === 'dm';
  const usable = commands.filter((command) => {
    // A guild's own commands exist only in that guild, never in DMs.
    if (inDm && command.guild_id) return false;
    const contexts = command.contexts ?? [InteractionContextType.Guild, InteractionContextType.BotDM];
    return contexts.includes(inDm ? InteractionContextType.BotDM : InteractionContextType.Guild);
  });
  const title = inDm
    ? `@${world.bot.username}`
    : current
      ? `${isThreadNode(current) ? '' : '#'}${current.name ?? ''}`
      : '';
  const placeNotices = notices.filter((notice) => notice.where === placeKey);
  const readOnly = !inDm && current !== undefined && !canSendMessages(current);
  const scroll = useStickToBottom<HTMLOListElement>(messages.length + placeNotices.length, placeKey);

  return (
    <div className="discord" data-testid="member-client" lang={languageOf(member?.locale)}>
      <nav className="channels" aria-label={t('channels')}>
        <div className="guild-name">{world.guild.name}</div>
        <button
          type="button"
          className={`channel dm${inDm ? ' selected' : ''}${dmUnread ? ' unread' : ''}`}
          data-testid="dm-channel"
          onClick={() => setPlace({ kind: 'dm' })}
        >
          <span className="channel-icon">@</span> {world.bot.username} <span className="bot-tag">APP</span>
          {dmUnread && <span className="badge" title={t('newMessagesBadge')} />}
        </button>
        {tree.map((node) =>
          node.type === ChannelType.GuildCategory ? (
            <div key={node.id} className="category">
              <div className="category-name">{node.name}</div>
              {node.children.map((child) => (
                <ChannelButton
                  key={child.id}
                  node={child}
                  selectedId={place.kind === 'channel' ? place.id : null}
                  open={(id) => setPlace({ kind: 'channel', id })}
                />
              ))}
            </div>
          ) : (
            <ChannelButton
              key={node.id}
              node={node}
              selectedId={place.kind === 'channel' ? place.id : null}
              open={(id) => setPlace({ kind: 'channel', id })}
            />
          ),
        )}
        <div className="whoami">
          <div className="whoami-line">
            <span>
              <Playing name={member?.displayName ?? ''} t={t} />{' '}
              {member && <span className={`role role-${member.role}`}>{t(ROLE_WORD[member.role])}</span>}
            </span>
            <button
              type="button"
              className="settings-button"
              data-testid="member-settings"
              aria-label={t('userSettings')}
              aria-expanded={settingsOpen}
              title={t('userSettings')}
              onClick={() => setSettingsOpen((open) => !open)}
            >
              ⚙
            </button>
          </div>
          {settingsOpen && (
            <div className="settings-panel" data-testid="settings-panel">
              <div className="settings-title">{t('privacySettings', { guild: world.guild.name })}</div>
              <label className="toggle">
                <input
                  type="checkbox"
                  data-testid="allow-dms"
                  checked={!dmsClosed}
                  onChange={(event) => {
                    const closed = !event.target.checked;
                    setDmsClosed(closed);
                    void guard(async () => {
                      setDmsClosed((await control.setDmsClosed(memberId, closed)).dmsClosed);
                    });
                  }}
                />
                <span>{t('directMessages')}</span>
              </label>
              <p className="settings-help">{t('allowDmsHelp')}</p>
            </div>
          )}
        </div>
      </nav>
      <section
        className="chat"
        aria-label={title}
        data-testid="chat"
        data-place={inDm ? 'dm' : (current?.name ?? '')}
      >
        <header className="chat-header">
          {current && isThreadNode(current) && current.parent_id && (
            <button
              type="button"
              className="back"
              onClick={() => setPlace({ kind: 'channel', id: current.parent_id ?? '' })}
              aria-label={t('back', { channel: channels.get(current.parent_id)?.name ?? '' })}
            >
              ← #{channels.get(current.parent_id)?.name}
            </button>
          )}
          <h1>{title}</h1>
          {current && 'topic' in current && current.topic && <span className="topic">{current.topic}</span>}
        </header>
        {isForum && current ? (
          <ForumPosts forum={current} open={(id) => setPlace({ kind: 'channel', id })} t={t} />
        ) : (
          <div className="messages-frame">
            <ol className="messages" data-testid="messages" ref={scroll.ref} onScroll={scroll.onScroll}>
              {messages.map((message) => (
                <Message key={message.id} message={message} actions={actions} />
              ))}
              {placeNotices.map((notice) => (
                <li key={notice.id} className="message ephemeral system" data-testid="notice">
                  <div className="message-head">
                    <span className="avatar bot" aria-hidden="true">
                      !
                    </span>
                    <span className="author">Discord</span>
                    <span className="bot-tag">{t('systemTag')}</span>
                  </div>
                  <div className="message-body">
                    <div className="content">{notice.text}</div>
                    <div className="ephemeral-note">
                      ◉ {t('onlyYou')} •{' '}
                      <button
                        type="button"
                        className="linkish"
                        onClick={() => setNotices((list) => list.filter((n) => n.id !== notice.id))}
                      >
                        {t('dismissMessage')}
                      </button>
                    </div>
                  </div>
                </li>
              ))}
            </ol>
            {scroll.unseen > 0 && (
              <button type="button" className="new-messages" data-testid="new-messages" onClick={scroll.jump}>
                {scroll.unseen === 1 ? t('oneNewMessage') : t('newMessages', { count: scroll.unseen })}
              </button>
            )}
          </div>
        )}
        {!isForum && (
          <Composer
            key={`${memberId}:${inDm ? 'dm' : place.id}`}
            placeholder={
              readOnly
                ? current && 'thread_metadata' in current && current.thread_metadata?.locked
                  ? t('postLocked')
                  : t('noPermission')
                : t('messagePlaceholder', { place: title })
            }
            disabled={readOnly}
            commands={usable}
            sendMessage={(content, files) =>
              guard(async () => {
                await control.sendMessage({
                  user: memberId,
                  content,
                  files,
                  ...(inDm ? {} : { channel: place.id }),
                });
              })
            }
            runCommand={(name, options: Record<string, OptionValue>) =>
              guard(async () => {
                handleOutcome(
                  await control.runCommand({
                    user: memberId,
                    // `privacy export`: a command and its subcommand, as the box lists them.
                    name: name.split(' ')[0] ?? name,
                    ...(name.includes(' ') ? { subcommand: name.split(' ')[1] } : {}),
                    options,
                    ...(inDm ? {} : { channel: place.id }),
                  }),
                );
              }).then(() => undefined)
            }
          />
        )}
      </section>
      {modal && (
        <ModalDialog
          key={modal.interactionId}
          modal={modal.modal}
          cancel={() => setModal(null)}
          submit={(values) =>
            guard(async () => {
              const outcome = await control.submitModal({
                user: memberId,
                interactionId: modal.interactionId,
                values,
              });
              setModal(null);
              handleOutcome(outcome);
            }).then(() => undefined)
          }
        />
      )}
    </div>
  );
}

function ChannelButton({
  node,
  selectedId,
  open,
}: {
  node: ChannelNode;
  /** The channel open now. */
  selectedId: string | null;
  open(id: string): void;
}) {
  const selected = selectedId === node.id;
  const icon =
    node.type === ChannelType.GuildForum ? '▤' : node.type === ChannelType.GuildAnnouncement ? '»' : '#';
  const button = (
    <button
      type="button"
      className={`channel${selected ? ' selected' : ''}`}
      data-channel={node.name}
      onClick={() => open(node.id)}
    >
      <span className="channel-icon">{icon}</span> {node.name}
    </button>
  );
  // Discord lists the private threads one is in under their channel.
  const threads = node.type === ChannelType.GuildText ? node.children.filter(isVisiblePrivateThread) : [];
  if (!threads.length) return button;
  return (
    <>
      {button}
      {threads.map((thread) => (
        <button
          key={thread.id}
          type="button"
          className={`channel thread${selectedId === thread.id ? ' selected' : ''}`}
          data-channel={thread.name}
          data-testid="thread-channel"
          onClick={() => open(thread.id)}
        >
          <span className="channel-icon">↳</span> {thread.name}
        </button>
      ))}
    </>
  );
}

function isThreadNode(node: ChannelNode): node is ChannelNode & { parent_id?: string | null } {
  return node.type === ChannelType.PublicThread || node.type === ChannelType.PrivateThread;
}

/** A private thread the member is in (the emulator gives them no permissions in the others). */
function isVisiblePrivateThread(node: ChannelNode): boolean {
  return (
    node.type === ChannelType.PrivateThread && node.permissions !== undefined && node.permissions !== '0'
  );
}

/** A forum channel: its posts (threads) with their tags, newest first. */
function ForumPosts({ forum, open, t }: { forum: ChannelNode; open(id: string): void; t: Translate }) {
  const tags = new Map(
    ((forum as APIGuildForumChannel).available_tags ?? []).map((tag) => [tag.id, tag.name]),
  );
  const posts = [...forum.children].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  return (
    <ul className="forum-posts" data-testid="forum-posts">
      {posts.length === 0 && <li className="empty">{t('noPosts')}</li>}
      {posts.map((post) => (
        <li key={post.id}>
          <button type="button" className="forum-post" data-testid="forum-post" onClick={() => open(post.id)}>
            <span className="post-title">
              {'thread_metadata' in post && post.thread_metadata?.locked && (
                <span className="post-closed" data-testid="forum-post-closed" title={t('lockedPost')}>
                  🔒{' '}
                </span>
              )}
              {post.name}
            </span>
            <span className="post-tags">
              {('applied_tags' in post ? (post.applied_tags ?? []) : []).map((id) => (
                <span key={id} className="tag" data-testid="forum-tag">
                  {tags.get(id) ?? id}
                </span>
              ))}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** "Playing **Lucía**": the name in bold wherever the language puts it. */
function Playing({ name, t }: { name: string; t: Translate }) {
  const [before, after = ''] = t('playing').split('{name}');
  return (
    <>
      {before}
      <strong>{name}</strong>
      {after}
    </>
  );
}
