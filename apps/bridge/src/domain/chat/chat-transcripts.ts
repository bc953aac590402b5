import {
  type CaseEvent,
  type ChatTranscript,
  discordIdentity,
  handoverRequestOf,
  type TranscriptLine,
} from '@flexcord/contracts';
import { listCaseEvents } from '../../infrastructure/db/cases-repository.ts';
import { type ChatLineRow, listChatLines } from '../../infrastructure/db/chat-lines-repository.ts';
import { findConversation } from '../../infrastructure/db/conversations-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import { findMember } from '../../infrastructure/db/members-repository.ts';
import {
  listChatsOfMember,
  listTranscriptsOfCase,
  purgeTranscriptsBefore,
  type StoredLine,
  upsertTranscript,
} from '../../infrastructure/db/transcripts-repository.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import { agentNameFromIdentity } from './agent-identity.ts';
import {
  BOT_AUTHOR,
  type ChatChannel,
  type ChatMessage,
  ConversationGoneError,
  SYSTEM_AUTHOR,
} from './chat-channel.ts';
import { agentMessageKey } from './message-edits.ts';

/** Who the virtual agent and the bridge's notices are, in a transcript. */
export const BOT_NAME = 'Virtual agent';
export const SYSTEM_NAME = 'Support';

/** The lifecycle entries of a chat's case timeline that a transcript shows between its messages. */
const NOTICE_EVENTS = new Set<CaseEvent['type']>([
  'agent_joined',
  'agent_left',
  'transferred',
  'chat_moved_to_thread',
  'conversation_ended',
]);

function noticeText(event: CaseEvent): string {
  const who = event.actor.name;
  switch (event.type) {
    case 'agent_joined':
      return `${who} joined the chat`;
    case 'agent_left':
      return `${who} left the chat`;
    case 'transferred':
      return typeof event.data.to === 'string' && event.data.to
        ? `${who} transferred the chat to ${event.data.to}`
        : `${who} transferred the chat`;
    case 'chat_moved_to_thread':
      return 'The chat moved to a private thread (the member’s DMs are closed)';
    default:
      return event.data.by === 'timer'
        ? 'The chat was closed after a while without messages'
        : 'The chat ended';
  }
}

export interface ChatTranscriptsDeps {
  db: Database;
  channel: ChatChannel;
  logger: Logger;
  /** Days an ended chat's transcript is kept; 0 keeps them forever. */
  retentionDays: number;
  now?: () => Date;
}

/**
 * Every chat of a case, kept with it: when a chat ends, its messages as the bridge relayed them
 * (member, the virtual agent, agents, the bridge's notices; files by name) are stored with the
 * chat's lifecycle notices from the case timeline. Purged after the retention days (by the
 * retention job, `domain/privacy/retention.ts`).
 */
export class ChatTranscripts {
  private readonly now: () => Date;

  constructor(private readonly deps: ChatTranscriptsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Keeps the ended chat (again, on a retry): every message as it was relayed (`chat_lines`, written
   * by the statements that relayed them), with what the Conversation still has when it can be read
   * (the files' Twilio copies, messages of a chat older than the kept lines). A Conversation that
   * is gone (deleted by retention, lost by a reset account) loses nothing that was relayed.
   */
  async keep(conversationSid: string): Promise<{ lines: number } | { skipped: string }> {
    const { db, channel } = this.deps;
    const conversation = await findConversation(db, conversationSid);
    if (!conversation) return { skipped: 'unknown conversation' };
    const [kept, readBack, member, events] = await Promise.all([
      listChatLines(db, conversationSid),
      channel.messagesAfter(conversationSid, -1).catch((error: unknown) => {
        if (error instanceof ConversationGoneError) return [];
        throw error;
      }),
      findMember(db, conversation.discord_user_id),
      conversation.case_number ? listCaseEvents(db, conversation.case_number) : Promise.resolve([]),
    ]);
    const memberAuthor = discordIdentity(conversation.discord_user_id);
    const memberName = member?.display_name ?? 'Member';
    const onPlatform = new Map(readBack.map((message) => [platformKey(message), message]));
    const keptKeys = new Set(kept.map((line) => line.key));
    const messages: ChatMessage[] = [
      ...kept.map((line) => keptMessage(line, onPlatform.get(line.key))),
      ...readBack.filter((message) => !keptKeys.has(platformKey(message))),
    ];
    // Twilio dates messages to the second: a member's message is dated by its Discord id (to the
    // millisecond), and each message no earlier than the one before it, so the chat's own order holds
    // and the lifecycle notices fall between the right messages.
    let floor = 0;
    const lines: StoredLine[] = messages.map((message, index) => {
      floor = Math.max(floor, messageTime(message));
      // The kept lines come first: an edited one says when it was edited.
      const editedAt = kept[index]?.edited_at;
      return {
        ...messageLine(message, memberAuthor, memberName),
        at: new Date(floor).toISOString(),
        ...(editedAt ? { editedAt: new Date(editedAt).toISOString() } : {}),
      };
    });
    const notices = events.filter(
      (event) => NOTICE_EVENTS.has(event.type) && event.data.conversationSid === conversationSid,
    );
    for (const event of notices)
      lines.push({
        at: event.createdAt,
        author: { kind: 'system', name: SYSTEM_NAME },
        body: noticeText(event),
        files: [],
      });
    // Stable: at the same instant a message stays before a notice.
    lines.sort((a, b) => a.at.localeCompare(b.at));
    const agents = [
      ...new Set(notices.filter((event) => event.type === 'agent_joined').map((event) => event.actor.name)),
    ];
    const ended = notices.findLast((event) => event.type === 'conversation_ended');
    await upsertTranscript(db, {
      conversationSid,
      caseNumber: conversation.case_number,
      discordUserId: conversation.discord_user_id,
      startedAt: conversation.created_at,
      endedAt: ended ? new Date(ended.createdAt) : this.now(),
      agents,
      lines,
    });
    return { lines: lines.length };
  }

  /** The member's kept chats, newest first, with their survey answers. */
  chatsOfMember(discordUserId: string) {
    return listChatsOfMember(this.deps.db, discordUserId);
  }

  /**
   * A case's kept chats with their lines, oldest first; `fileLink` makes each file's link (or
   * null). `forMember` leaves out the bridge's notices meant for agents.
   */
  async ofCase(
    caseNumber: number,
    options: {
      conversationSid?: string | undefined;
      fileLink: (mediaSid: string) => string | null;
      forMember?: boolean;
    },
  ): Promise<ChatTranscript[]> {
    const chats = await listTranscriptsOfCase(this.deps.db, caseNumber, options.conversationSid);
    return chats.map((chat) => ({
      ...chat,
      lines: chat.lines
        .filter((line) => !options.forMember || line.audience !== 'agents')
        .map(
          ({ audience: _audience, ...line }): TranscriptLine => ({
            ...line,
            files: line.files.map(({ mediaSid, ...file }) => ({
              ...file,
              url: mediaSid ? options.fileLink(mediaSid) : null,
            })),
          }),
        ),
    }));
  }

  /** Deletes the transcripts older than the retention days; how many. */
  async purge(): Promise<number> {
    if (this.deps.retentionDays <= 0) return 0;
    const before = new Date(this.now().getTime() - this.deps.retentionDays * 86_400_000);
    const purged = await purgeTranscriptsBefore(this.deps.db, before);
    if (purged) this.deps.logger.info({ purged, before: before.toISOString() }, 'purged old transcripts');
    return purged;
  }
}

/** The key a message of the Conversation is kept under: the bridge's outbox key, or the agent message's. */
function platformKey(message: ChatMessage): string {
  const flexcord = message.attributes.flexcord as { key?: unknown } | undefined;
  return typeof flexcord?.key === 'string' ? flexcord.key : agentMessageKey(message.sid);
}

/** A kept line as a message; its files completed from the Conversation's copy when there is one. */
function keptMessage(line: ChatLineRow, onPlatform: ChatMessage | undefined): ChatMessage {
  return {
    sid: onPlatform?.sid ?? line.key,
    index: onPlatform?.index ?? -1,
    author: line.author,
    body: line.body,
    attributes: line.attributes,
    media: line.files.map((file, index) => {
      const copy = onPlatform?.media[index];
      return {
        sid: file.mediaSid ?? copy?.sid ?? '',
        contentType: file.contentType,
        filename: file.filename,
        size: file.size ?? copy?.size ?? 0,
      };
    }),
    dateCreated: new Date(line.created_at),
  };
}

/**
 * The request for an agent the bridge posts into the Conversation as the member (so the flow hands
 * the chat over) is not something the member typed: a transcript shows it as a notice.
 */
function handoverNotice(message: ChatMessage, memberName: string): string | null {
  const handover = handoverRequestOf(message.attributes);
  if (!handover) return null;
  return handover.source === 'button'
    ? `${memberName} pressed “Talk to an agent”`
    : `${memberName}’s request for an agent, kept outside the support hours, was sent`;
}

function messageLine(message: ChatMessage, memberAuthor: string, memberName: string): StoredLine {
  const notice = message.author === memberAuthor ? handoverNotice(message, memberName) : null;
  if (notice)
    return {
      at: message.dateCreated.toISOString(),
      author: { kind: 'system', name: SYSTEM_NAME },
      body: notice,
      files: [],
    };
  const author: TranscriptLine['author'] =
    message.author === memberAuthor
      ? { kind: 'member', name: memberName }
      : message.author === BOT_AUTHOR
        ? { kind: 'bot', name: BOT_NAME }
        : message.author === SYSTEM_AUTHOR
          ? { kind: 'system', name: SYSTEM_NAME }
          : { kind: 'agent', name: agentNameFromIdentity(message.author) };
  return {
    // The bridge's notices in the Conversation are written for the agent, not the member.
    ...(message.author === SYSTEM_AUTHOR ? { audience: 'agents' as const } : {}),
    at: message.dateCreated.toISOString(),
    author,
    body: message.body,
    files: message.media.map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      mediaSid: file.sid || null,
    })),
  };
}

const DISCORD_EPOCH = 1_420_070_400_000n;

/** When a message was written: a member's from its Discord message id, else Twilio's date. */
function messageTime(message: ChatMessage): number {
  const discord = message.attributes.discord as { messageId?: unknown } | undefined;
  const id =
    typeof discord?.messageId === 'string' && /^\d{17,20}$/.test(discord.messageId)
      ? discord.messageId
      : null;
  return id ? Number((BigInt(id) >> 22n) + DISCORD_EPOCH) : message.dateCreated.getTime();
}
