import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_KINDS } from '../src/adapters/outbox-kinds.ts';
import type { ChatChannel } from '../src/domain/chat/chat-channel.ts';
import { ConversationGoneError } from '../src/domain/chat/chat-channel.ts';
import { ChatTranscripts } from '../src/domain/chat/chat-transcripts.ts';
import { type Database, openDatabase } from '../src/infrastructure/db/database.ts';
import { migrate } from '../src/infrastructure/db/migrate.ts';
import { Outbox } from '../src/infrastructure/outbox/outbox.ts';
import { enqueue } from '../src/infrastructure/outbox/outbox-repository.ts';
import { quietLogger } from './helpers/quiet-logger.ts';

/** A platform that no longer has any Conversation: the transcript stands on the kept lines alone. */
const goneChannel: ChatChannel = {
  openConversation: async () => 'CHgone',
  messagesAfter: async (sid) => {
    throw new ConversationGoneError(sid);
  },
  conversationState: async (sid) => {
    throw new ConversationGoneError(sid);
  },
};

/**
 * A chat's lines are kept by the statement that enqueues each message into the Conversation,
 * whichever code path enqueued it; edits and deletions follow; the request for an agent posted as
 * the member reads as a notice, not as words the member typed (issue #22).
 */
describe('chat lines kept as they pass', () => {
  let db: Database;
  let transcripts: ChatTranscripts;
  const sid = 'CH00000000000000000000000000000001';

  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db);
    await db.query(
      `INSERT INTO members (discord_user_id, username, display_name) VALUES ('111', 'pat', 'Pat')`,
    );
    await db.query(
      `INSERT INTO conversations (sid, discord_user_id, dm_channel_id, state) VALUES ($1, '111', 'D1', 'closed')`,
      [sid],
    );
    transcripts = new ChatTranscripts({ db, channel: goneChannel, logger: quietLogger(), retentionDays: 0 });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('keeps each message once, applies an edit and a deletion, and shows the handover request as a notice', async () => {
    const say = (key: string, author: string, body: string, attributes?: Record<string, unknown>) =>
      enqueue(
        db,
        new Outbox(OUTBOX_KINDS).items({
          kind: 'twilio.message',
          key,
          payload: { conversationSid: sid, author, body, ...(attributes ? { attributes } : {}) },
        }),
      );
    await say('discord:message:1', 'discord:111', 'my save is gone 😢');
    await say('discord:message:1', 'discord:111', 'my save is gone 😢');
    await say('bot:turn:1', 'bot', 'Here is an article');
    await say('helpme:1:request', 'discord:111', 'I would like to talk to an agent.', {
      handover: { source: 'button' },
    });
    await say('discord:message:2', 'discord:111', 'typo hree');
    await say('discord:message:3', 'discord:111', 'never mind');
    await enqueue(db, {
      key: 'edit:2',
      stream: `twilio:conversation:${sid}`,
      kind: 'twilio.message-update',
      payload: { conversationSid: sid, sourceKey: 'discord:message:2', body: 'typo here' },
    });
    await enqueue(db, {
      key: 'remove:3',
      stream: `twilio:conversation:${sid}`,
      kind: 'twilio.message-remove',
      payload: { conversationSid: sid, sourceKey: 'discord:message:3' },
    });

    expect(await transcripts.keep(sid)).toEqual({ lines: 4 });
    const { rows } = await db.query<{ lines: { author: { kind: string; name: string }; body: string }[] }>(
      'SELECT lines FROM chat_transcripts WHERE conversation_sid = $1',
      [sid],
    );
    expect(rows[0]!.lines.map((line) => `${line.author.kind}:${line.author.name}:${line.body}`)).toEqual([
      'member:Pat:my save is gone 😢',
      'bot:Virtual agent:Here is an article',
      'system:Support:Pat pressed “Talk to an agent”',
      'member:Pat:typo here',
    ]);
  });
});
